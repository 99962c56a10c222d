import CairnSupport
/// What a running stage is given: where to read, where to write, its params, its log,
/// and a way to learn that the run was cancelled.
public struct StageContext: Sendable {
    /// Absolute path of the workspace; commands run there.
    public let workspace: String
    public let pipeline: String
    public let stage: String
    /// Input name → absolute path.
    public let inputs: [String: String]
    /// Input name → content hash, as the runner hashed it before the stage started.
    public let inputHashes: [String: ContentHash]
    /// Output name → absolute temporary path to write; moved into place only if the stage succeeds.
    public let outputs: [String: String]
    /// Param key → value.
    public let params: [String: ConfigNode]
    public let log: StageLog
    public let cancellation: Cancellation
    /// How far a long stage has got ("tree 37/100"), for a terminal to show while it runs.
    public let progress: @Sendable (String) -> Void
    /// Asks that other stages rerun on the next run, with this stage's output `evidence` (an
    /// output name) recorded as an input of theirs: a monitor's drift report marks the training
    /// stages stale. Takes effect only if this stage succeeds.
    public let requestRerun: @Sendable (_ stages: RerunRequest, _ evidence: String) -> Void
    /// Shows a line on the run's output as it happens (a broken data rule the stage let pass).
    public let onWarning: @Sendable (String) -> Void
    /// A stage that starts processes says so, with the process group's id, when each starts and
    /// ends: should Cairn be killed, the next run stops what it left running.
    public let onProcessGroup: @Sendable (_ group: Int32, _ running: Bool) -> Void

    public init(workspace: String, pipeline: String, stage: String, inputs: [String: String],
                inputHashes: [String: ContentHash] = [:], outputs: [String: String], params: [String: ConfigNode], log: StageLog,
                cancellation: Cancellation, progress: @escaping @Sendable (String) -> Void = { _ in },
                requestRerun: @escaping @Sendable (RerunRequest, String) -> Void = { _, _ in },
                onWarning: @escaping @Sendable (String) -> Void = { _ in },
                onProcessGroup: @escaping @Sendable (Int32, Bool) -> Void = { _, _ in }) {
        self.workspace = workspace
        self.pipeline = pipeline
        self.stage = stage
        self.inputs = inputs
        self.inputHashes = inputHashes
        self.outputs = outputs
        self.params = params
        self.log = log
        self.cancellation = cancellation
        self.progress = progress
        self.requestRerun = requestRerun
        self.onWarning = onWarning
        self.onProcessGroup = onProcessGroup
    }

    /// Something the user should see though the stage goes on: written to the log and shown on
    /// the run's output.
    public func warn(_ text: String) {
        log.write("warning: " + text)
        onWarning(text)
    }

    /// A path as the pipeline names it (relative to the workspace), for messages.
    public func displayPath(_ absolute: String) -> String {
        WorkspacePath.normalize(absolute, root: workspace) ?? absolute
    }

    /// The path of input `name`; asking for one the stage was not given is an error naming it.
    public func input(_ name: String) throws -> String {
        guard let path = inputs[name] else { throw CairnError(.stageFailed, "stage '\(stage)' has no input '\(name)'") }
        return path
    }

    /// The temporary path to write output `name` to.
    public func output(_ name: String) throws -> String {
        guard let path = outputs[name] else { throw CairnError(.stageFailed, "stage '\(stage)' has no output '\(name)'") }
        return path
    }

    /// The content hash of input `name`, as the runner hashed it: no need to read it again.
    public func inputHash(_ name: String) throws -> ContentHash {
        guard let hash = inputHashes[name] else { throw CairnError(.stageFailed, "stage '\(stage)' was given no hash of input '\(name)'") }
        return hash
    }

    /// Input `name` read by `read(path, displayName)`: errors name the file as the pipeline does.
    public func reading<T>(_ name: String, _ read: (String, String?) throws -> T) throws -> T {
        let path = try input(name)
        return try read(path, displayPath(path))
    }

    /// As `reading`, for an optional input: nil when the pipeline does not give it.
    public func readingIfGiven<T>(_ name: String, _ read: (String, String?) throws -> T) throws -> T? {
        guard inputs[name] != nil else { return nil }
        return try reading(name, read)
    }
}

/// The stages a rerun request names.
public enum RerunRequest: Sendable, Equatable {
    case stages([String])
    /// Every stage of this kind that the requesting stage reads from, directly or not.
    case upstream(kind: String)
}
