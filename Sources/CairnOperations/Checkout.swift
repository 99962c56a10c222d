import CairnEngine
import CairnGit
import CairnSupport

/// Puts back what recorded lock files name — the outputs of their stages and the inputs from
/// outside the pipelines (the raw data) — from the store, and records them in the workspace's
/// lock files so that `cairn status` agrees. The lock files may come from anyone's commits:
/// every path is checked, and nothing is touched unless every object is at hand and no file
/// with changes of its own would be overwritten.
public struct Checkout {
    public struct Outcome: Sendable, Equatable {
        /// Files or folders written from the store.
        public var restored: Int
        /// Those that already had the recorded content.
        public var unchanged: Int

        public init(restored: Int, unchanged: Int) {
            self.restored = restored
            self.unchanged = unchanged
        }
    }

    public let session: Session
    public let store: Store

    public init(session: Session, store: Store) {
        self.session = session
        self.store = store
    }

    /// Restores the paths `recorded` names (every output and external input when `paths` is
    /// empty; else the outputs of the stages producing `paths`, or those inputs); `label` names
    /// where they come from. A file that differs both from what is checked out and from what
    /// the workspace's lock files record (changes not run yet) is overwritten only with `force`.
    public func restore(_ recorded: [String: LockFile], paths: [String], label: String, force: Bool = false) throws -> Outcome {
        let workspace = session.workspace
        let (wanted, records) = try Self.selection(recorded, paths: paths, label: label)
        for path in wanted.keys.sorted() {
            if !WorkspacePath.resolvesInside(path, root: workspace.root) {
                throw CairnError(.pathEscapesWorkspace, "\(path) leads outside the workspace through a symbolic link; refusing to check it out")
            }
            if let problem = WorkspacePath.reservedProblem(path) {
                throw CairnError(.invalidValue, "the lock files of \(label) name '\(path)', which \(problem)",
                                 hint: "refusing to check it out; the commit is damaged or hostile")
            }
        }
        let lock = try WorkspaceLock(path: workspace.lockPath, wait: true) { _ in }
        defer { withExtendedLifetime(lock) {} }
        let current = try session.hasher.currentHashes(of: wanted.keys, in: workspace)
        let changing = wanted.filter { current[$0.key] != $0.value }
        try refuseOverwritingChanges(changing.keys.filter { current[$0] != nil }, current: current, force: force)
        try requireStored(changing)

        let staging = workspace.temporaryDirectory + "/checkout-\(UInt64.random(in: 0...UInt64.max))"
        defer { try? FileSystem.remove(staging) }
        for (index, (path, hash)) in changing.sorted(by: { $0.key < $1.key }).enumerated() {
            let temporary = "\(staging)/\(index)"
            try store.restore(hash, directory: store.isDirectory(hash), to: temporary)
            try FileSystem.replace(workspace.absolute(path), with: temporary)
            session.hasher.remember(hash, for: workspace.absolute(path))
        }
        var locks: [String: LockFile] = [:]
        for (id, record) in records {
            if locks[id.pipeline] == nil {
                // A whole checkout takes each lock file as recorded; a partial one merges its stages in.
                locks[id.pipeline] = paths.isEmpty ? LockFile() : try LockFile.load(workspace.lockFilePath(pipeline: id.pipeline))
            }
            locks[id.pipeline]!.stages[id.stage] = record
        }
        for (pipeline, lock) in locks { try lock.write(to: workspace.lockFilePath(pipeline: pipeline)) }
        try session.hasher.statCache.save()
        return Outcome(restored: changing.count, unchanged: wanted.count - changing.count)
    }

    /// What to put back: path → hash, and the stage records that go with them.
    static func selection(_ recorded: [String: LockFile], paths: [String], label: String) throws
        -> (wanted: [String: ContentHash], records: [(StageID, LockFile.StageRecord)]) {
        var wanted: [String: ContentHash] = [:]
        var records: [(StageID, LockFile.StageRecord)] = []
        let all = recorded.flatMap { pipeline, lock in lock.stages.map { (StageID(pipeline: pipeline, stage: $0.key), $0.value) } }
        let outputs = all.flatMap { $0.1.outputs.keys }
        /// Inputs no recorded stage produces: the raw data, kept in the store since it was read.
        func externalInputs(of record: LockFile.StageRecord) -> [String: ContentHash] {
            record.inputs.filter { input in
                WorkspacePath.reservedProblem(input.key) == nil && !outputs.contains { WorkspacePath.contains($0, input.key) }
            }
        }
        if paths.isEmpty {
            for (id, record) in all {
                wanted.merge(record.outputs) { $1 }
                wanted.merge(externalInputs(of: record)) { first, _ in first }
                records.append((id, record))
            }
            return (wanted, records)
        }
        for path in paths {
            if let producer = Lineage.producer(of: path, in: recorded) {
                wanted.merge(producer.record.outputs) { $1 }
                records.append((producer.id, producer.record))
            } else if let hash = all.lazy.compactMap({ externalInputs(of: $0.1)[path] }).first {
                wanted[path] = hash
            } else {
                throw CairnError(.usage, "no stage recorded in \(label) produces or reads \(path)")
            }
        }
        return (wanted, records)
    }

    /// A file whose content is neither the one checked out nor the one the workspace's lock
    /// files record has changes no run has seen: losing them takes `--force`.
    private func refuseOverwritingChanges(_ paths: [String], current: [String: ContentHash], force: Bool) throws {
        guard !force, !paths.isEmpty else { return }
        let known = try session.lockFiles().values.flatMap { $0.stages.values.flatMap { Array($0.inputs) + Array($0.outputs) } }
        let recordedNow = Dictionary(known) { first, _ in first }
        let modified = paths.filter { recordedNow[$0] != current[$0] }.sorted()
        guard !modified.isEmpty else { return }
        throw CairnError(.usage, "checkout would overwrite \(modified.count) file(s) changed since the last run or checkout: "
                             + modified.prefix(5).joined(separator: ", ") + (modified.count > 5 ? ", …" : ""),
                         hint: "`cairn run` records them first (and keeps raw data in the store); `--force` overwrites them")
    }

    /// Every object to write is in the store; else the error names each missing one and the
    /// remote store it may be pulled from.
    private func requireStored(_ objects: [String: ContentHash]) throws {
        let missing = objects.filter { !store.contains($0.value, directory: store.isDirectory($0.value)) }
        guard !missing.isEmpty else { return }
        let names = missing.keys.sorted().map { "\($0) (\(missing[$0]!.short))" }.joined(separator: ", ")
        let hint: String
        if try session.workspace.remote(environment: Environment.variables) != nil {
            let remote = try RemoteStores(session: session)
            let keys = missing.values.flatMap { [Store.key(of: $0, manifest: false), Store.key(of: $0, manifest: true)] }
            let present = try remote.transfer.present(keys)
            let there = missing.values.filter { present.contains(Store.key(of: $0, manifest: false)) || present.contains(Store.key(of: $0, manifest: true)) }.count
            hint = there == missing.count ? "`cairn pull` fetches them from the remote store \(remote.location)"
                : "the remote store \(remote.location) holds \(there) of the \(missing.count): `cairn pull` them; rerun the stages at that commit for the rest"
        } else {
            hint = "no remote store is set (`remote:` in .cairn/config) to `cairn pull` them from; rerun the stages at that commit"
        }
        throw CairnError(.storeMissing, "not in the store at \(store.root): \(names)", hint: hint)
    }
}
