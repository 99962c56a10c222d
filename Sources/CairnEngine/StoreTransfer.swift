import CairnSupport
import Dispatch
import Glibc

/// Moves objects and run-cache entries between the local store and a remote one: only what the
/// other side lacks — found by listing folders when there are many keys to ask about, one
/// request each when there are few — by `jobs` workers at once. Every object's hash is checked
/// on the way, and appears on the other side only complete, so an interrupted transfer is
/// resumed by running it again. Files go before the manifests that list them and objects
/// before the run-cache entries that name them: what a store holds, it can restore.
public struct StoreTransfer: Sendable {
    public typealias Report = StoreMaintenance.Report
    public typealias Selection = StoreMaintenance.Selection

    public struct Progress: Sendable {
        public var done = 0
        public var total = 0
        public var bytes: Int64 = 0
    }

    public let local: Store
    public let remote: any RemoteStore
    public var jobs: Int
    public var retry: RetryPolicy
    /// Called as objects arrive, from the workers' threads.
    public var progress: (@Sendable (Progress) -> Void)?

    /// Above this many keys to ask about, the folders holding them are listed instead.
    static let listingThreshold = 64

    public init(local: Store, remote: any RemoteStore, jobs: Int = 8, retry: RetryPolicy = RetryPolicy(),
                progress: (@Sendable (Progress) -> Void)? = nil) {
        self.local = local
        self.remote = remote
        self.jobs = max(1, jobs)
        self.retry = retry
        self.progress = progress
    }

    // MARK: push

    /// Sends what the remote lacks: every object and run-cache entry, or those `selection` needs.
    public func push(_ selection: Selection? = nil) throws -> Report {
        var report = Report()
        let localRuns = RunCache(storeRoot: local.root)
        var objects: [Store.Object]
        var fingerprints: [ContentHash]
        if let selection {
            var wanted = selection.objects
            fingerprints = selection.fingerprints.filter { fingerprint in
                guard let entry = localRuns.lookup(fingerprint) else { return false }
                wanted.formUnion(entry.values.map(\.hash))
                return true
            }
            for hash in wanted where local.isDirectory(hash) {
                do { wanted.formUnion(try local.filesOfDirectory(hash)) } catch let error as CairnError where error.code == .storeDamaged {
                    report.damaged.append(error.message)
                }
            }
            objects = []
            for hash in wanted.sorted(by: { $0.hex < $1.hex }) {
                let stored = local.objects(of: hash)
                if stored.isEmpty { report.missing.append(hash) }
                objects += stored
            }
        } else {
            objects = try local.objects()
            fingerprints = try localRuns.fingerprints().map(\.fingerprint)
        }
        let workers = TransferWorkers(transfer: self)
        let present = try workers.present(objects.map { Store.key(of: $0.hash, manifest: $0.isManifest) } + fingerprints.map(RunCache.key))
        let sending = objects.filter { !present.contains(Store.key(of: $0.hash, manifest: $0.isManifest)) }
        let runs = fingerprints.filter { !present.contains(RunCache.key($0)) }
        workers.expect(sending.count + runs.count)
        for manifests in [false, true] {
            let sent = try workers.each(sending.filter { $0.isManifest == manifests }, report: &report) { link, object in
                let key = Store.key(of: object.hash, manifest: object.isManifest)
                let reader = try ObjectReader(file: object.path, hash: object.hash)
                try link.run("send", key) { connection in
                    reader.rewind()
                    try connection.put(key, from: reader)
                }
                return object.size
            }
            report.objects += sent.count
            report.bytes += sent.bytes
        }
        report.runs = try workers.each(runs, report: &report) { link, fingerprint in
            guard let bytes = localRuns.bytes(of: fingerprint) else { return nil }
            let reader = ObjectReader(bytes: bytes, what: RunCache.key(fingerprint))
            try link.run("send", RunCache.key(fingerprint)) { connection in
                reader.rewind()
                try connection.put(RunCache.key(fingerprint), from: reader)
            }
            return Int64(bytes.count)
        }.count
        return report
    }

    // MARK: pull

    /// Fetches what the local store lacks: everything the remote holds, or what `selection` needs.
    public func pull(_ selection: Selection? = nil) throws -> Report {
        var report = Report()
        let localRuns = RunCache(storeRoot: local.root)
        let workers = TransferWorkers(transfer: self)
        var files: Set<ContentHash> = [], manifests: Set<ContentHash> = []
        var entries: [ContentHash: RunCache.Entry] = [:]
        if let selection {
            // Entries first: they name the objects a restore needs.
            let fetched = try workers.fetchEntries(selection.fingerprints.filter { localRuns.lookup($0) == nil }.sorted { $0.hex < $1.hex })
            for fingerprint in selection.fingerprints {
                guard let entry = localRuns.lookup(fingerprint) ?? fetched[fingerprint] else { continue }
                if fetched[fingerprint] != nil { entries[fingerprint] = entry }
                files.formUnion(entry.values.filter { !$0.directory }.map(\.hash))
                manifests.formUnion(entry.values.filter(\.directory).map(\.hash))
            }
            // A hash of the lock files may be a file or a directory: the remote's keys say which.
            let asked = selection.objects.subtracting(files).subtracting(manifests)
            let unknown = asked.filter { !local.contains($0, directory: false) && !local.isDirectory($0) }
            let present = try workers.present(unknown.flatMap { [Store.key(of: $0, manifest: false), Store.key(of: $0, manifest: true)] })
            for hash in asked {
                let known = !unknown.contains(hash)
                if (known && local.isDirectory(hash)) || present.contains(Store.key(of: hash, manifest: true)) { manifests.insert(hash) }
                if (known && local.contains(hash, directory: false)) || present.contains(Store.key(of: hash, manifest: false)) { files.insert(hash) }
                if !known && !present.contains(Store.key(of: hash, manifest: true)) && !present.contains(Store.key(of: hash, manifest: false)) {
                    report.missing.append(hash)
                }
            }
        } else {
            for key in try workers.listAll("objects") {
                guard let (hash, manifest) = Self.object(named: key) else { continue }
                if manifest { manifests.insert(hash) } else { files.insert(hash) }
            }
            let fingerprints = try workers.listAll("runs").compactMap(Self.fingerprint(named:)).filter { localRuns.lookup($0) == nil }
            entries = try workers.fetchEntries(fingerprints)
        }
        // Manifests, then the files they list, then the files on their own.
        let newManifests = manifests.filter { !local.isDirectory($0) }.sorted { $0.hex < $1.hex }
        workers.expect(newManifests.count)
        let gotManifests = try workers.each(newManifests, report: &report) { link, hash in
            try workers.fetch(hash, manifest: true, into: local, link)
        }
        var listed: Set<ContentHash> = []
        for hash in manifests where local.isDirectory(hash) {
            do { listed.formUnion(try local.filesOfDirectory(hash)) } catch let error as CairnError where error.code == .storeDamaged {
                report.damaged.append(error.message)
            }
        }
        let needed = files.union(listed).filter { !local.contains($0, directory: false) }
        if selection != nil {
            // Files a manifest lists but the remote lacks are missing, not an error of the transfer.
            let present = try workers.present(needed.map { Store.key(of: $0, manifest: false) })
            report.missing += needed.filter { !present.contains(Store.key(of: $0, manifest: false)) }.sorted { $0.hex < $1.hex }
        }
        let fetching = needed.filter { !report.missing.contains($0) }.sorted { $0.hex < $1.hex }
        workers.expect(fetching.count)
        let gotFiles = try workers.each(fetching, report: &report) { link, hash in
            try workers.fetch(hash, manifest: false, into: local, link)
        }
        report.objects = gotManifests.count + gotFiles.count
        report.bytes = gotManifests.bytes + gotFiles.bytes
        // An entry is kept only once the store can restore every output it names.
        for (fingerprint, entry) in entries.sorted(by: { $0.key.hex < $1.key.hex })
        where entry.values.allSatisfy({ local.contains($0.hash, directory: $0.directory) }) {
            try localRuns.record(fingerprint, entry)
            report.runs += 1
        }
        return report
    }

    /// Which of `keys` the remote has.
    public func present(_ keys: [String]) throws -> Set<String> { try TransferWorkers(transfer: self).present(keys) }

    /// A hash and whether it is a manifest, from a key under `objects/`; nil for any other name
    /// (a temporary upload, or something a stranger put there).
    static func object(named key: String) -> (ContentHash, Bool)? {
        let parts = key.split(separator: "/")
        guard parts.count == 3, parts[0] == "objects" else { return nil }
        let manifest = parts[2].hasSuffix(".dir")
        let hex = String(parts[1] + (manifest ? parts[2].dropLast(4) : parts[2]))
        return ContentHash.isValid(hex) ? (ContentHash(hex: hex), manifest) : nil
    }

    static func fingerprint(named key: String) -> ContentHash? {
        let parts = key.split(separator: "/")
        guard parts.count == 3, parts[0] == "runs", parts[2].hasSuffix(".json") else { return nil }
        let hex = String(parts[1] + parts[2].dropLast(5))
        return ContentHash.isValid(hex) ? ContentHash(hex: hex) : nil
    }
}
