import ArgumentParser
import CairnEngine
import CairnOperations
import CairnSupport

struct GCCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gc",
        abstract: "Remove store objects that no lock file refers to: the workspace's, those of every commit of a branch or tag, those of kept runs."
    )

    @Option(name: .customLong("keep-last"), help: "Keep what the last N recorded runs refer to (default: every recorded run); commits of branches and tags are always kept.")
    var keepLast: Int?

    @Flag(name: .customLong("dry-run"), help: "Say what would be freed; remove nothing.")
    var dryRun = false

    func validate() throws {
        if let keepLast, keepLast < 0 { throw ValidationError("--keep-last must not be negative") }
    }

    func run() throws {
        let outcome = try GarbageCollection(session: try Session(pipelines: [])).collect(keepLast: keepLast, dryRun: dryRun)
        let report = outcome.freed
        Output.standardOutput("\(dryRun ? "would free" : "freed") \(report.objects) object(s), \(Self.size(report.bytes)), "
                              + "and \(report.runs) run-cache entr\(report.runs == 1 ? "y" : "ies"); kept what the workspace "
                              + "(its lock files), \(outcome.keptCommits) commit(s) of branches and tags and \(outcome.keptRuns) recorded run(s) refer to")
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
        let remote = try repair && session.workspace.remote(environment: Environment.variables) != nil ? RemoteStores(session: session).transfer : nil
        let lock = try WorkspaceLock(path: session.workspace.lockPath, wait: true) { _ in }
        defer { withExtendedLifetime(lock) {} }
        let result = try StoreMaintenance(store: try session.makeStore()).verify(repair: repair, remote: remote)
        for object in result.damaged { Output.standardOutput("damaged \(object.path)") }
        Output.standardOutput("checked \(result.checked) object(s): \(result.damaged.count) damaged"
            + (repair ? ", removed, \(result.refetched) fetched again from the remote" : ""))
        if !result.damaged.isEmpty && !repair { throw ExitStatus(code: 1) }
    }
}

/// How `cairn push` and `cairn pull` say what they copied.
enum RemoteSync {
    /// Prints what was copied; damaged objects that were skipped are named, and fail the command.
    static func report(_ verb: String, _ report: StoreTransfer.Report, _ place: String) throws {
        if Output.errorIsTerminal { Output.standardError("\r\u{1B}[K", newline: false) }
        Output.standardOutput("\(verb) \(report.objects) object(s), \(GCCommand.size(report.bytes)), and \(report.runs) run-cache entr\(report.runs == 1 ? "y" : "ies") \(place)")
        if !report.missing.isEmpty {
            throw CairnError(.storeMissing, "\(report.missing.count) object(s) asked for are not in the store they would come from: "
                             + report.missing.prefix(5).map(\.short).joined(separator: ", ") + (report.missing.count > 5 ? ", …" : ""),
                             hint: "the rest were copied; rerun the stages that made them, where their inputs are")
        }
        guard report.damaged.isEmpty else {
            for damage in report.damaged { Output.standardError("skipped: \(damage)") }
            throw CairnError(.storeDamaged, "\(report.damaged.count) damaged object(s) skipped; the rest were copied",
                             hint: "`cairn fsck --repair` where they are stored")
        }
    }
}

/// `--rev REV` and artifact paths of `cairn push` and `cairn pull` (what to move, when not the
/// whole store), and `-j` (how many objects at once).
struct TransferArguments: ParsableArguments {
    @Option(help: "Only what this commit's lock files pin (its outputs and raw inputs, and their run-cache entries).")
    var rev: String?

    @Argument(help: "Only these outputs or raw inputs (of --rev, or of the workspace's lock files).")
    var artifacts: [String] = []

    @Option(name: .shortAndLong, help: "Objects moved at once, each over a connection of its own.")
    var jobs: Int = 8

    func validate() throws {
        guard (1...256).contains(jobs) else { throw ValidationError("-j takes 1 to 256 transfers at once") }
    }

    /// The workspace's store and its remote; on a terminal, a line on standard error counts what has moved.
    func stores(_ verb: String) throws -> RemoteStores {
        try RemoteStores(session: try Session(pipelines: []), jobs: jobs, progress: Output.errorIsTerminal ? TransferProgress(verb).draw : nil)
    }

    /// nil: everything.
    func selection() throws -> StoreTransfer.Selection? {
        guard rev != nil || !artifacts.isEmpty else { return nil }
        let access = try LineageAccess(artifacts: artifacts)
        let (label, _, locks) = try access.locks(rev)
        return try RemoteStores.scope(locks, paths: access.paths, label: label)
    }
}

struct PushCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "push", abstract: "Copy store objects the remote store lacks to it (all, or what --rev and paths need).")

    @OptionGroup var transfer: TransferArguments

    func run() throws {
        let stores = try transfer.stores("pushing")
        try RemoteSync.report("pushed", try stores.push(try transfer.selection()), "to \(stores.location)")
    }
}

struct PullCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pull", abstract: "Copy store objects this store lacks from the remote store (all, or what --rev and paths need).")

    @OptionGroup var transfer: TransferArguments

    func run() throws {
        let stores = try transfer.stores("pulling")
        try RemoteSync.report("pulled", try stores.pull(try transfer.selection()), "from \(stores.location)")
    }
}
