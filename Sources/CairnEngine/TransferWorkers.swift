import CairnSupport
import Dispatch
import Synchronization

/// The threads of one transfer, each with its own connection to the remote (`Link`), kept for
/// the whole transfer: the work of each step is handed out item by item to whichever is free.
final class TransferWorkers: Sendable {
    let transfer: StoreTransfer
    private let links: [Link]
    private let progress = Mutex(StoreTransfer.Progress())

    init(transfer: StoreTransfer) {
        self.transfer = transfer
        links = (0..<transfer.jobs).map { _ in Link(remote: transfer.remote, retry: transfer.retry) }
    }

    /// One worker's connection, opened when first used and again after a failure worth retrying.
    final class Link: @unchecked Sendable {
        let remote: any RemoteStore
        let retry: RetryPolicy
        private var connection: (any RemoteConnection)?

        init(remote: any RemoteStore, retry: RetryPolicy) {
            self.remote = remote
            self.retry = retry
        }

        /// `body` on this worker's connection; a `remoteUnavailable` failure is tried again on a
        /// new connection after a pause, and in the end named with the remote and the key.
        func run<Result>(_ verb: String, _ key: String, _ body: (any RemoteConnection) throws -> Result) throws -> Result {
            var attempt = 0
            while true {
                do {
                    if connection == nil { connection = try remote.connect() }
                    return try body(connection!)
                } catch let error as CairnError where error.code == .remoteUnavailable {
                    connection = nil
                    guard attempt < retry.retries else {
                        throw CairnError(.remoteUnavailable, "\(remote.location): cannot \(verb) \(key)"
                                         + (attempt > 0 ? " (tried \(attempt + 1) times)" : ""),
                                         hint: error.hint ?? "check that the remote is reachable; `cairn push`/`pull` again resumes where this stopped",
                                         cause: [error.message, error.cause].compactMap { $0 }.joined(separator: ": "))
                    }
                    retry.wait(before: attempt)
                    attempt += 1
                }
            }
        }
    }

    /// `body` for every item, on up to `jobs` threads; results in item order. Once an item fails,
    /// no new ones are started.
    func map<Item: Sendable, Value: Sendable>(_ items: [Item], _ body: @escaping @Sendable (Link, Item) throws -> Value) -> [Result<Value, any Error>?] {
        guard !items.isEmpty else { return [] }
        let state = Mutex((next: 0, failed: false, results: [Result<Value, any Error>?](repeating: nil, count: items.count)))
        let group = DispatchGroup()
        for link in links.prefix(items.count) {
            DispatchQueue(label: "cairn.transfer").async(group: group) {
                while true {
                    let index: Int? = state.withLock { state in
                        guard !state.failed, state.next < items.count else { return nil }
                        defer { state.next += 1 }
                        return state.next
                    }
                    guard let index else { return }
                    let result = Result { try body(link, items[index]) }
                    state.withLock { state in
                        state.results[index] = result
                        if case .failure(let error) = result, (error as? CairnError)?.code != .storeDamaged { state.failed = true }
                    }
                }
            }
        }
        group.wait()
        return state.withLock { $0.results }
    }

    /// `body` for every item: a damaged object is named in `report` and skipped, any other
    /// failure stops the transfer. Returns how many items `body` moved (nil: none) and their bytes.
    func each<Item: Sendable>(_ items: [Item], report: inout StoreTransfer.Report,
                              _ body: @escaping @Sendable (Link, Item) throws -> Int64?) throws -> (count: Int, bytes: Int64) {
        var count = 0, bytes: Int64 = 0
        let results = map(items) { link, item in
            let moved = try body(link, item)
            self.advance(by: moved ?? 0)
            return moved
        }
        for result in results {
            switch result {
            case .success(let moved)?:
                if let moved { count += 1; bytes += moved }
            case .failure(let error as CairnError)? where error.code == .storeDamaged:
                report.damaged.append(error.message)
            case .failure(let error)?: throw error
            case nil: break  // not started: an earlier item failed, and is thrown above or below
            }
        }
        return (count, bytes)
    }

    /// Adds items to the progress's total.
    func expect(_ count: Int) {
        let snapshot = progress.withLock { progress in
            progress.total += count
            return progress
        }
        if count > 0 { transfer.progress?(snapshot) }
    }

    private func advance(by bytes: Int64) {
        let snapshot = progress.withLock { progress in
            progress.done += 1
            progress.bytes += bytes
            return progress
        }
        transfer.progress?(snapshot)
    }

    /// Which of `keys` the remote has: by listing the folders they are in when there are many,
    /// else by asking about each.
    func present(_ keys: [String]) throws -> Set<String> {
        if keys.count <= StoreTransfer.listingThreshold {
            let answers = map(keys) { link, key in try link.run("look up", key) { try $0.exists(key) } }
            return Set(try zip(keys, answers).compactMap { key, answer in try answer!.get() ? key : nil })
        }
        var found: Set<String> = []
        for (top, keys) in Dictionary(grouping: keys, by: { String($0.prefix { $0 != "/" }) }) {
            let folders = Array(Set(keys.map(FileSystem.parent(of:)))).sorted()
            // Listing a quarter or more of the 256 folders costs more requests than listing them all at once.
            if folders.count >= 64, let all = try listTree(top) {
                found.formUnion(all)
                continue
            }
            let listed = map(folders) { link, folder in try link.run("list", folder) { try $0.list(folder) }.map { folder + "/" + $0 } }
            found.formUnion(try listed.flatMap { try $0!.get() })
        }
        return Set(keys.filter(found.contains))
    }

    /// Every key two folders below `top` (`objects/AB/…`, `runs/AB/…`): at once where the remote
    /// lists a whole prefix, else folder by folder.
    func listAll(_ top: String) throws -> [String] {
        if let all = try listTree(top) { return all }
        let folders = try links[0].run("list", top) { try $0.list(top) }
            .filter { $0.count == 2 && $0.allSatisfy(\.isHexDigit) }.sorted().map { top + "/" + $0 }
        let listed = map(folders) { link, folder in try link.run("list", folder) { try $0.list(folder) }.map { folder + "/" + $0 } }
        return try listed.flatMap { try $0!.get() }
    }

    /// The keys two folders below `top`, if the remote lists a whole prefix at once.
    private func listTree(_ top: String) throws -> [String]? {
        try links[0].run("list", top) { try $0.listTree(top) }?.filter { $0.split(separator: "/").count == 2 }.map { top + "/" + $0 }
    }

    /// The run-cache entries the remote has for `fingerprints`; one it holds damaged is left out.
    func fetchEntries(_ fingerprints: [ContentHash]) throws -> [ContentHash: RunCache.Entry] {
        let location = transfer.remote.location
        let fetched = map(fingerprints) { link, fingerprint -> RunCache.Entry? in
            let key = RunCache.key(fingerprint)
            var bytes: [UInt8] = []
            let found = try link.run("fetch", key) { connection in
                bytes = []
                return try connection.get(key) { bytes.append(contentsOf: $0) }
            }
            return found ? RunCache.decode(bytes, file: location + "/" + key) : nil
        }
        var entries: [ContentHash: RunCache.Entry] = [:]
        for (fingerprint, result) in zip(fingerprints, fetched) {
            if let entry = try result!.get() { entries[fingerprint] = entry }
        }
        return entries
    }

    /// Fetches one object into `store`, verified; nil when the remote no longer has it.
    func fetch(_ hash: ContentHash, manifest: Bool, into store: Store, _ link: Link) throws -> Int64? {
        let key = Store.key(of: hash, manifest: manifest)
        var bytes: Int64 = 0
        let found = try link.run("fetch", key) { connection in
            bytes = 0
            return try store.receive(hash, manifest: manifest, from: "\(transfer.remote.location)/\(key)") { sink in
                try connection.get(key) { chunk in
                    bytes += Int64(chunk.count)
                    try sink(chunk)
                }
            }
        }
        return found ? bytes : nil
    }
}
