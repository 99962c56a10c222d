import CairnEngine
import CairnGit
import CairnSupport
import Glibc
import Synchronization

/// Records every run that changed an output on the lineage ref of the workspace's git
/// repository; in a folder without one, runs still work and lineage is off. The repository is
/// opened only when there is something to record, so a run that changes nothing pays nothing.
public final class LineageRecorder: Sendable {
    /// A recorded run: the lineage commit, the source it ran from, and how long recording took.
    public struct Recorded: Sendable {
        public var commit: String
        public var source: RunRecord.Source
        public var seconds: Double
    }

    public let workspace: Workspace
    /// Names the program in run records ("cairn 0.4.0").
    public let tool: String
    /// Says what a person should know (lineage is off).
    private let note: @Sendable (String) -> Void
    /// nil until first needed; then the repository's lineage, or nil inside when there is none.
    private let opened = Mutex<Lineage??>(nil)

    public init(workspace: Workspace, tool: String, note: @escaping @Sendable (String) -> Void) {
        self.workspace = workspace
        self.tool = tool
        self.note = note
    }

    /// The lineage of the workspace's repository, or nil (said once) when there is none.
    public func lineage() -> Lineage? {
        opened.withLock { opened in
            if let known = opened { return known }
            let lineage = GitRepository.discover(workspace.root).map { Lineage(repository: $0, workspaceRoot: workspace.root) }
            if lineage == nil {
                note("lineage is off: \(workspace.root) is not in a git repository (`cairn init` makes one)")
            }
            opened = .some(lineage)
            return lineage
        }
    }

    /// `--require-clean`: refuses to start when tracked files are modified.
    public func requireClean() throws {
        guard let source = try lineage()?.source(), source.dirty else { return }
        throw CairnError(.usage, "--require-clean: \(source.modified.count) tracked file(s) are modified: "
                             + source.modified.prefix(5).joined(separator: ", "),
                         hint: "commit or stash them, or run without --require-clean")
    }

    /// Commits the run's record and lock files if it changed at least one output; nil if not.
    /// The source (HEAD, modified files) is read now, at the end of the run.
    public func record(_ graphs: [PipelineGraph], events: [StageEvent], started: Int, finished: Int) throws -> Recorded? {
        guard events.contains(where: \.status.changedOutputs), let lineage = lineage() else { return nil }
        let clock = ContinuousClock()
        let start = clock.now
        let source = try lineage.source()
        var params: [String: [String: String]] = [:], overrides: [String: [String: String]] = [:]
        var locks: [String: [UInt8]] = [:]
        for graph in graphs {
            for node in graph.nodes { params[graph.pipeline, default: [:]].merge(node.params.mapValues(\.canonical)) { $1 } }
            if !graph.overrides.isEmpty { overrides[graph.pipeline] = graph.overrides.mapValues(\.canonical) }
            let path = workspace.lockFilePath(pipeline: graph.pipeline)
            if FileSystem.exists(path) { locks[graph.pipeline] = try FileSystem.readAll(path) }
        }
        let stages = events.map {
            RunRecord.StageRun(pipeline: $0.pipeline, stage: $0.stage, status: $0.status,
                               reasons: $0.reasons.map(\.description), seconds: $0.seconds)
        }
        let run = RunRecord(tool: tool, host: Host.name, user: Self.userName,
                            started: started, finished: finished, source: source, params: params,
                            overrides: overrides, stages: stages)
        let commit = try lineage.record(run, lockFiles: locks)
        return Recorded(commit: commit, source: source, seconds: (clock.now - start).inSeconds)
    }

    static var userName: String {
        Environment.variables["USER"] ?? getpwuid(getuid()).map { String(cString: $0.pointee.pw_name) } ?? "unknown"
    }
}
