import CairnSupport

/// Keeping a store tidy: garbage collection and checks; what a push or pull moves.
public struct StoreMaintenance {
    public struct Report: Sendable {
        public var objects = 0
        public var bytes: Int64 = 0
        public var runs = 0
        /// Objects whose bytes did not have their hash: not copied, not kept.
        public var damaged: [String] = []
        /// Objects asked for that the source store does not have.
        public var missing: [ContentHash] = []
    }

    /// What a push or pull moves when not the whole store: these objects (a directory's hash
    /// brings its files along) and the run-cache entries of these fingerprints.
    public struct Selection: Sendable {
        public var objects: Set<ContentHash>
        public var fingerprints: Set<ContentHash>

        public init(objects: Set<ContentHash>, fingerprints: Set<ContentHash>) {
            self.objects = objects
            self.fingerprints = fingerprints
        }
    }

    public let store: Store

    public init(store: Store) { self.store = store }

    /// Removes every object not reachable from `roots` (output hashes; a directory keeps its
    /// files), and the run-cache entries that pointed at removed objects.
    public func collectGarbage(keeping roots: Set<ContentHash>, dryRun: Bool) throws -> Report {
        let objects = try store.objects()
        var kept = roots
        for object in objects where object.isManifest && roots.contains(object.hash) {
            kept.formUnion(try store.filesOfDirectory(object.hash))
        }
        var report = Report()
        for object in objects where !kept.contains(object.hash) {
            report.objects += 1
            report.bytes += object.size
            if !dryRun { try FileSystem.remove(object.path) }
        }
        let runCache = RunCache(storeRoot: store.root)
        for (fingerprint, file) in try runCache.fingerprints() {
            let intact = runCache.lookup(fingerprint)?.values.allSatisfy { kept.contains($0.hash) } ?? false
            if intact { continue }
            report.runs += 1
            if !dryRun { try FileSystem.remove(file) }
        }
        return report
    }

    /// Reads every object and checks its bytes against its hash. With `repair`, a damaged one is
    /// removed, and copied again from `remote` when that store holds it intact. Returns the
    /// damaged objects, and how many of them were fetched again.
    public func verify(repair: Bool, remote: StoreTransfer?) throws -> (checked: Int, damaged: [Store.Object], refetched: Int) {
        let objects = try store.objects()
        let damaged = objects.filter { !store.isIntact($0) }
        guard repair else { return (objects.count, damaged, 0) }
        for object in damaged { try FileSystem.remove(object.path) }
        guard let remote, !damaged.isEmpty else { return (objects.count, damaged, 0) }
        _ = try remote.pull(Selection(objects: Set(damaged.map(\.hash)), fingerprints: []))
        let refetched = damaged.filter { FileSystem.exists($0.path) }.count
        return (objects.count, damaged, refetched)
    }
}
