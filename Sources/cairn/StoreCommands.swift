import ArgumentParser
import CairnCore
import CairnEngine
import CairnGit
import CairnSpec

struct GCCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gc",
        abstract: "Remove store objects that no lock file in the workspace, and no kept lineage commit, refers to."
    )

    @Option(name: .customLong("keep-last"), help: "Keep what the last N recorded runs refer to (default: every recorded run).")
    var keepLast: Int?

    @Flag(name: .customLong("dry-run"), help: "Say what would be freed; remove nothing.")
    var dryRun = false

    func validate() throws {
        if let keepLast, keepLast < 0 { throw ValidationError("--keep-last must not be negative") }
    }

    func run() throws {
        let session = try Session(pipelines: [])
        let workspace = session.workspace
        // Before reading the lock files: a run holding the workspace may be storing what it will record.
        let lock = try WorkspaceLock(path: workspace.lockPath, wait: true) { _ in }
        defer { withExtendedLifetime(lock) {} }
        var roots: Set<ContentHash> = []
        for file in session.files {
            let lock = try LockFile.load(workspace.lockFilePath(pipeline: PipelineSpecParser.pipelineName(of: file)))
            roots.formUnion(lock.stages.values.flatMap(\.outputs.values))
        }
        var kept = 0
        if let repository = GitRepository.discover(workspace.root) {
            let lineage = Lineage(repository: repository)
            let commits = try lineage.history(limit: keepLast ?? .max)
            kept = commits.count
            for commit in commits {
                for lock in try lineage.locks(at: commit).values { roots.formUnion(lock.stages.values.flatMap(\.outputs.values)) }
            }
        }
        let store = try session.makeStore()
        if !dryRun {
            let leftovers = Leftovers(workspace: workspace)
            leftovers.clean(outputs: try session.loadGraphs().flatMap { $0.nodes.flatMap { $0.outputs.map(\.path) } })
            leftovers.removeIncoming(in: store)
        }
        let report = try StoreMaintenance(store: store).collectGarbage(keeping: roots, dryRun: dryRun)
        Output.standardOutput("\(dryRun ? "would free" : "freed") \(report.objects) object(s), \(Self.size(report.bytes)), "
                              + "and \(report.runs) run-cache entr\(report.runs == 1 ? "y" : "ies"); kept what the workspace "
                              + "and \(kept) recorded run(s) refer to")
    }

    static func size(_ bytes: Int64) -> String {
        bytes < 1 << 20 ? "\(bytes / 1024) KiB" : "\(bytes >> 20) MiB"
    }
}

struct FsckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fsck",
        abstract: "Check every store object against its hash; with --repair, remove damaged ones and fetch them again from the remote."
    )

    @Flag(help: "Remove damaged objects, and copy them again from the remote store when it has them intact.")
    var repair = false

    func run() throws {
        let session = try Session(pipelines: [])
        let remote = try session.workspace.remoteRoot(environment: Environment.variables).map { Store(root: $0, hasher: session.hasher) }
        let lock = try WorkspaceLock(path: session.workspace.lockPath, wait: true) { _ in }
        defer { withExtendedLifetime(lock) {} }
        let result = try StoreMaintenance(store: try session.makeStore()).verify(repair: repair, remote: remote)
        for object in result.damaged { Output.standardOutput("damaged \(object.path)") }
        Output.standardOutput("checked \(result.checked) object(s): \(result.damaged.count) damaged"
            + (repair ? ", removed, \(result.refetched) fetched again from the remote" : ""))
        if !result.damaged.isEmpty && !repair { throw ExitStatus(code: 1) }
    }
}

/// `cairn push` and `cairn pull`: the store and the remote store named in `.cairn/config`.
struct RemoteSync {
    static func stores() throws -> (local: Store, remote: Store) {
        let session = try Session(pipelines: [])
        guard let remote = try session.workspace.remoteRoot(environment: Environment.variables) else {
            throw CairnError(.usage, "no remote store is set", hint: "add `remote: /shared/cairn-store` to .cairn/config")
        }
        try FileSystem.makeDirectories(remote)
        return (try session.makeStore(), Store(root: remote, hasher: session.hasher))
    }

    /// Prints what was copied; damaged objects that were skipped are named, and fail the command.
    static func report(_ verb: String, _ report: StoreMaintenance.Report, _ place: String) throws {
        Output.standardOutput("\(verb) \(report.objects) object(s), \(GCCommand.size(report.bytes)), and \(report.runs) run-cache entr\(report.runs == 1 ? "y" : "ies") \(place)")
        guard report.damaged.isEmpty else {
            for path in report.damaged { Output.standardError("skipped damaged object \(path)") }
            throw CairnError(.storeDamaged, "\(report.damaged.count) damaged object(s) skipped; the rest were copied",
                             hint: "`cairn fsck --repair` where they are stored")
        }
    }
}

struct PushCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "push", abstract: "Copy store objects the remote store lacks to it.")

    func run() throws {
        let (local, remote) = try RemoteSync.stores()
        try RemoteSync.report("pushed", try StoreMaintenance.copyMissing(from: local, to: remote), "to \(remote.root)")
    }
}

struct PullCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pull", abstract: "Copy store objects this store lacks from the remote store.")

    func run() throws {
        let (local, remote) = try RemoteSync.stores()
        try RemoteSync.report("pulled", try StoreMaintenance.copyMissing(from: remote, to: local), "from \(remote.root)")
    }
}
