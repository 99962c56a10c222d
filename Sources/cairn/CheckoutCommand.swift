import ArgumentParser
import CairnCore
import CairnEngine
import CairnGit

struct CheckoutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkout",
        abstract: "Put artifacts back as a recorded run left them, from the store."
    )

    @Argument(help: "A commit of the source history (its pinned run) or of refs/cairn/lineage.")
    var rev: String

    @Argument(help: "Output paths; none means every output of every pipeline.")
    var artifacts: [String] = []

    func run() throws {
        let access = try LineageAccess(artifacts: artifacts)
        let paths = access.paths
        let commit = try access.lineageCommit(rev)
        let recorded = try access.lineage.locks(at: commit)
        let workspace = access.session.workspace
        let store = try access.session.makeStore()

        // What to put back: output path → hash, and the stage records that go with them.
        var wanted: [String: ContentHash] = [:]
        var records: [(pipeline: String, stage: String, record: LockFile.StageRecord)] = []
        if paths.isEmpty {
            for (pipeline, lock) in recorded {
                for (stage, record) in lock.stages {
                    wanted.merge(record.outputs) { $1 }
                    records.append((pipeline, stage, record))
                }
            }
        } else {
            for path in paths {
                guard let producer = Lineage.producer(of: path, in: recorded) else {
                    throw CairnError(.usage, "no stage recorded in \(commit.prefix(8)) produces \(path)")
                }
                wanted.merge(producer.record.outputs) { $1 }
                records.append((producer.pipeline, producer.stage, producer.record))
            }
        }
        // Lock files come with anyone's commits: their paths were checked when read; none may be a reserved place.
        for path in wanted.keys.sorted() {
            if !WorkspacePath.resolvesInside(path, root: workspace.root) {
                throw CairnError(.pathEscapesWorkspace, "\(path) leads outside the workspace through a symbolic link; refusing to check it out")
            }
            if let problem = WorkspacePath.reservedProblem(path) {
                throw CairnError(.invalidValue, "the lock files of \(commit.prefix(8)) name the output '\(path)', which \(problem)",
                                 hint: "refusing to check it out; the lineage commit is damaged or hostile")
            }
        }
        let missing = wanted.filter { !store.contains($0.value, directory: store.isDirectory($0.value)) }
        guard missing.isEmpty else {
            throw CairnError(.storeMissing, "not in the store at \(store.root): "
                                 + missing.keys.sorted().map { "\($0) (\(missing[$0]!.short))" }.joined(separator: ", "),
                             hint: "`cairn pull` fetches objects from the remote store; or rerun the stages at that commit")
        }

        let lock = try WorkspaceLock(path: workspace.lockPath, wait: true) { _ in }
        defer { withExtendedLifetime(lock) {} }
        let staging = workspace.temporaryDirectory + "/checkout-\(UInt64.random(in: 0...UInt64.max))"
        defer { try? FileSystem.remove(staging) }
        for (index, (path, hash)) in wanted.sorted(by: { $0.key < $1.key }).enumerated() {
            let temporary = "\(staging)/\(index)"
            try store.restore(hash, directory: store.isDirectory(hash), to: temporary)
            try FileSystem.replace(workspace.absolute(path), with: temporary)
            access.session.hasher.remember(hash, for: workspace.absolute(path))
        }
        // The lock files say what is there now, so that `cairn status` agrees.
        var locks: [String: LockFile] = [:]
        for (pipeline, stage, record) in records {
            if locks[pipeline] == nil { locks[pipeline] = try LockFile.load(workspace.lockFilePath(pipeline: pipeline)) }
            locks[pipeline]!.stages[stage] = record
        }
        for (pipeline, lock) in locks { try lock.write(to: workspace.lockFilePath(pipeline: pipeline)) }
        try access.session.hasher.statCache.save()
        Output.standardOutput("restored \(wanted.count) output\(wanted.count == 1 ? "" : "s") as of \(commit.prefix(8))")
    }
}
