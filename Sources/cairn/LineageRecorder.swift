import CairnCore
import CairnEngine
import CairnGit
import Glibc

/// Pins every run that changed an output to the source commit, in the workspace's git
/// repository; in a folder without one, runs still work and lineage is off.
struct LineageRecorder {
    let lineage: Lineage?
    let workspace: Workspace

    init(workspace: Workspace) {
        self.workspace = workspace
        lineage = GitRepository.discover(workspace.root).map(Lineage.init)
    }

    /// Said once per command when there is no repository.
    static let offNotice = "lineage is off: \(FileSystem.currentDirectory()) is not in a git repository (`cairn init` makes one)"

    /// Where the code is as the run starts; refuses a dirty tree when `requireClean`.
    func source(requireClean: Bool) throws -> RunRecord.Source? {
        guard let lineage else { return nil }
        let source = try lineage.source()
        if requireClean && source.dirty {
            throw CairnError(.usage, "--require-clean: \(source.modified.count) tracked file(s) are modified: "
                                 + source.modified.prefix(5).joined(separator: ", "),
                             hint: "commit or stash them, or run without --require-clean")
        }
        return source
    }

    /// Commits the run's record and lock files if it changed at least one output.
    @discardableResult
    func record(_ graphs: [PipelineGraph], events: [StageEvent], source: RunRecord.Source?,
                started: Int, finished: Int) throws -> String? {
        guard let lineage, let source, events.contains(where: { $0.status == .ran || $0.status == .restored }) else { return nil }
        var params: [String: [String: String]] = [:]
        var locks: [String: [UInt8]] = [:]
        for graph in graphs {
            for node in graph.nodes { params[graph.pipeline, default: [:]].merge(node.params.mapValues(\.canonical)) { $1 } }
            let path = workspace.lockFilePath(pipeline: graph.pipeline)
            if FileSystem.exists(path) { locks[graph.pipeline] = try FileSystem.readAll(path) }
        }
        let stages = events.map {
            RunRecord.StageRun(pipeline: $0.pipeline, stage: $0.stage, status: $0.status.rawValue,
                               reasons: $0.reasons.map(\.description), seconds: $0.seconds)
        }
        let run = RunRecord(tool: "cairn \(Cairn.configuration.version)", host: Self.hostName, user: Self.userName,
                            started: started, finished: finished, source: source, params: params, stages: stages)
        return try lineage.record(run, lockFiles: locks)
    }

    static var hostName: String {
        var buffer = [CChar](repeating: 0, count: 256)
        gethostname(&buffer, buffer.count)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static var userName: String {
        Environment.variables["USER"] ?? getpwuid(getuid()).map { String(cString: $0.pointee.pw_name) } ?? "unknown"
    }
}
