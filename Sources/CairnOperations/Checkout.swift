import CairnEngine
import CairnGit
import CairnSupport

/// Puts outputs back as recorded lock files say they were, from the store, and records them in
/// the workspace's lock files so that `cairn status` agrees. The lock files may come from anyone's
/// commits: every path is checked, and nothing is touched unless every object is in the store.
public struct Checkout {
    public let session: Session
    public let store: Store

    public init(session: Session, store: Store) {
        self.session = session
        self.store = store
    }

    /// Restores the outputs of the stages that produce `paths` (every stage when empty) as
    /// `recorded` has them; `label` names where they come from in messages. Returns how many
    /// outputs were put back.
    @discardableResult
    public func restore(_ recorded: [String: LockFile], paths: [String], label: String) throws -> Int {
        let workspace = session.workspace
        let (wanted, records) = try selection(recorded, paths: paths, label: label)
        for path in wanted.keys.sorted() {
            if !WorkspacePath.resolvesInside(path, root: workspace.root) {
                throw CairnError(.pathEscapesWorkspace, "\(path) leads outside the workspace through a symbolic link; refusing to check it out")
            }
            if let problem = WorkspacePath.reservedProblem(path) {
                throw CairnError(.invalidValue, "the lock files of \(label) name the output '\(path)', which \(problem)",
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
            session.hasher.remember(hash, for: workspace.absolute(path))
        }
        var locks: [String: LockFile] = [:]
        for (id, record) in records {
            if locks[id.pipeline] == nil { locks[id.pipeline] = try LockFile.load(workspace.lockFilePath(pipeline: id.pipeline)) }
            locks[id.pipeline]!.stages[id.stage] = record
        }
        for (pipeline, lock) in locks { try lock.write(to: workspace.lockFilePath(pipeline: pipeline)) }
        try session.hasher.statCache.save()
        return wanted.count
    }

    /// What to put back: output path → hash, and the stage records that go with them.
    private func selection(_ recorded: [String: LockFile], paths: [String], label: String) throws
        -> (wanted: [String: ContentHash], records: [(StageID, LockFile.StageRecord)]) {
        var wanted: [String: ContentHash] = [:]
        var records: [(StageID, LockFile.StageRecord)] = []
        if paths.isEmpty {
            for (pipeline, lock) in recorded {
                for (stage, record) in lock.stages {
                    wanted.merge(record.outputs) { $1 }
                    records.append((StageID(pipeline: pipeline, stage: stage), record))
                }
            }
            return (wanted, records)
        }
        for path in paths {
            guard let producer = Lineage.producer(of: path, in: recorded) else {
                throw CairnError(.usage, "no stage recorded in \(label) produces \(path)")
            }
            wanted.merge(producer.record.outputs) { $1 }
            records.append((producer.id, producer.record))
        }
        return (wanted, records)
    }
}
