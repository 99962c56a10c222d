import CairnSupport

/// Keeping a store tidy and in step with another: garbage collection and push/pull copies.
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
    public func verify(repair: Bool, remote: Store?) throws -> (checked: Int, damaged: [Store.Object], refetched: Int) {
        let objects = try store.objects()
        let damaged = objects.filter { !store.isIntact($0) }
        var refetched = 0
        if repair {
            for object in damaged {
                try FileSystem.remove(object.path)
                guard let remote, let copy = try remote.objects().first(where: { $0.hash == object.hash && $0.isManifest == object.isManifest })
                else { continue }
                if (try? store.copy(copy, from: remote)) != nil { refetched += 1 }
            }
        }
        return (objects.count, damaged, refetched)
    }

    /// Copies what `source` has and `target` lacks — objects (each checked against its hash)
    /// and run-cache entries — so that either side can restore what the other computed.
    /// `only`: what to copy, when not everything.
    public static func copyMissing(from source: Store, to target: Store, only: Selection? = nil) throws -> Report {
        var report = Report()
        // A selection is looked up object by object: no listing of a large store.
        var objects = only == nil ? try source.objects() : []
        if let selection = only {
            var wanted = selection.objects
            for hash in selection.objects where source.isDirectory(hash) {
                do { wanted.formUnion(try source.filesOfDirectory(hash)) } catch let error as CairnError where error.code == .storeDamaged {
                    report.damaged.append(error.message)
                }
            }
            for hash in wanted.sorted(by: { $0.hex < $1.hex }) {
                let stored = source.objects(of: hash)
                if stored.isEmpty { report.missing.append(hash) }
                objects += stored
            }
        }
        for object in objects {
            let present = object.isManifest ? target.isDirectory(object.hash) : target.contains(object.hash, directory: false)
            guard !present else { continue }
            do {
                try target.copy(object, from: source)
            } catch let error as CairnError where error.code == .storeDamaged {
                report.damaged.append(object.path)  // the others still go across
                continue
            }
            report.objects += 1
            report.bytes += object.size
        }
        let sourceRuns = RunCache(storeRoot: source.root), targetRuns = RunCache(storeRoot: target.root)
        let fingerprints = try only.map { Array($0.fingerprints) } ?? sourceRuns.fingerprints().map(\.fingerprint)
        for fingerprint in fingerprints where targetRuns.lookup(fingerprint) == nil {
            if let entry = sourceRuns.lookup(fingerprint) {
                try targetRuns.record(fingerprint, entry)
                report.runs += 1
            }
        }
        return report
    }
}
