/// What a running stage is given: where to read, where to write, its params, its log,
/// and a way to learn that the run was cancelled.
public struct StageContext: Sendable {
    /// Absolute path of the workspace; commands run there.
    public let workspace: String
    public let pipeline: String
    public let stage: String
    /// Input name → absolute path.
    public let inputs: [String: String]
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
                outputs: [String: String], params: [String: ConfigNode], log: StageLog,
                cancellation: Cancellation, progress: @escaping @Sendable (String) -> Void = { _ in },
                requestRerun: @escaping @Sendable (RerunRequest, String) -> Void = { _, _ in },
                onWarning: @escaping @Sendable (String) -> Void = { _ in },
                onProcessGroup: @escaping @Sendable (Int32, Bool) -> Void = { _, _ in }) {
        self.workspace = workspace
        self.pipeline = pipeline
        self.stage = stage
        self.inputs = inputs
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
}

/// The stages a rerun request names.
public enum RerunRequest: Sendable, Equatable {
    case stages([String])
    /// Every stage of this kind that the requesting stage reads from, directly or not.
    case upstream(kind: String)
}
