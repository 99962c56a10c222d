import CairnSupport
import Dispatch
import Glibc
import Synchronization

/// Remembers the hash of every file Cairn has read, keyed by (path, size, mtime_ns, inode), in
/// `.cairn/statcache`, so that an unchanged file is never read again.
///
/// A file modified within the same clock tick as it was hashed would keep its mtime; as git does
/// with its index, an entry is trusted only if the file's mtime is older than the moment the
/// cache was last saved (minus a margin for coarse file-system clocks); newer ones are re-hashed
/// once, and trusted from the next save on.
///
/// A large saved cache is read on another core while the pipelines load (100,000 files make a
/// 14 MB cache); the first question waits for it.
public final class StatCache: Sendable {
    struct Entry: Sendable {
        var size: Int64
        var modifiedNanoseconds: Int64
        var inode: UInt64
        var hash: ContentHash
        /// Loaded from the saved cache (rather than learnt in this process): subject to the racy check.
        var loaded: Bool
    }

    private struct State {
        var entries: [String: Entry] = [:]
        /// When the loaded cache was saved; entries at or after it are not trusted.
        var savedAtNanoseconds: Int64 = 0
        var dirty = false
    }

    static let header = "cairn-statcache 1"
    /// File-system timestamps come from a clock that may lag by a scheduler tick.
    static let clockMarginNanoseconds: Int64 = 50_000_000

    private let file: String
    private let state = Mutex(State())
    /// Left once the saved cache is in `state`.
    private let loading = DispatchGroup()

    /// Loads `file`, if it exists, in the background; a damaged cache is treated as empty (it only saves work).
    public init(file: String) {
        self.file = file
        // A small cache is read at once: a thread costs more.
        guard FileSystem.status(file).map({ $0.size >= LockFileCache.inlineSize }) ?? false else {
            load()
            return
        }
        loading.enter()
        DispatchQueue.global().async { [self] in
            load()
            loading.leave()
        }
    }

    private func load() {
        let (entries, savedAt) = Self.read(file)
        state.withLock {
            $0.entries = entries
            $0.savedAtNanoseconds = savedAt
        }
    }

    private static func read(_ file: String) -> (entries: [String: Entry], savedAt: Int64) {
        var entries: [String: Entry] = [:]
        guard let bytes = try? FileSystem.readAll(file) else { return ([:], 0) }
        var lines = bytes.split(separator: UInt8(ascii: "\n"))[...]
        let header = Array((Self.header + " ").utf8)
        guard let first = lines.popFirst(), first.starts(with: header), let stamp = Self.number(first.dropFirst(header.count)) else {
            return ([:], 0)
        }
        entries.reserveCapacity(lines.count)
        for line in lines {
            if let (path, entry) = Self.entry(line) { entries[path] = entry }
        }
        return (entries, Int64(clamping: stamp))
    }

    private init(file: String, savedAtNanoseconds: Int64, entries: [String: Entry]) {
        self.file = file
        state.withLock {
            $0.entries = entries
            $0.savedAtNanoseconds = savedAtNanoseconds
        }
    }

    /// `body` on the state, once the saved cache is loaded.
    private func withLoaded<T: Sendable>(_ body: (inout sending State) -> sending T) -> T {
        loading.wait()
        return state.withLock(body)
    }

    /// `HASH SIZE MTIME_NS INODE PATH`, or nil for a damaged line. Read as bytes: a workspace of
    /// 100,000 files has a cache of as many lines, read on every run.
    private static func entry(_ line: ArraySlice<UInt8>) -> (String, Entry)? {
        // Four fields cut off the front, the path the rest: no array of fields per line.
        var rest = line
        func field() -> ArraySlice<UInt8>? {
            guard let space = rest.firstIndex(of: UInt8(ascii: " ")) else { return nil }
            defer { rest = rest[(space + 1)...] }
            return rest[..<space]
        }
        guard let hex = field(), hex.count == 64, hex.allSatisfy(isLowercaseHexDigit),
              let size = field().flatMap(number).flatMap(Int64.init(exactly:)), let mtime = field().flatMap(number).flatMap(Int64.init(exactly:)),
              let inode = field().flatMap(number), !rest.isEmpty
        else { return nil }
        return (String(decoding: rest, as: UTF8.self),
                Entry(size: size, modifiedNanoseconds: mtime, inode: inode,
                      hash: ContentHash(hex: String(decoding: hex, as: UTF8.self)), loaded: true))
    }

    private static func isLowercaseHexDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
    }

    /// Decimal digits as a number; nil for anything else (a negative mtime, from before 1970,
    /// is not kept: the file is hashed again).
    private static func number(_ digits: ArraySlice<UInt8>) -> UInt64? {
        guard !digits.isEmpty else { return nil }
        var value: UInt64 = 0
        for byte in digits {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            let (tens, overflow) = value.multipliedReportingOverflow(by: 10)
            let (sum, carry) = tens.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
            guard !overflow, !carry else { return nil }
            value = sum
        }
        return value
    }


    /// A cache for `file` holding this one's entries below `oldRoot` as entries below `newRoot`:
    /// for a copy of a workspace made of hard links, whose files have the same stat fields.
    public func rebased(from oldRoot: String, to newRoot: String, file: String) -> StatCache {
        let (entries, savedAt) = withLoaded { state in
            (Dictionary(state.entries.compactMap { path, entry in
                path.hasPrefix(oldRoot + "/") ? (newRoot + path.dropFirst(oldRoot.count), entry) : nil
            }) { first, _ in first }, state.savedAtNanoseconds)
        }
        return StatCache(file: file, savedAtNanoseconds: savedAt, entries: entries)
    }

    /// The remembered hash of `path` if its stat fields still match and it is not racily recent.
    func hash(for path: String, status: FileSystem.Status) -> ContentHash? {
        withLoaded { state in
            guard let entry = state.entries[path], entry.size == status.size,
                  entry.modifiedNanoseconds == status.modifiedNanoseconds, entry.inode == status.inode,
                  !entry.loaded || status.modifiedNanoseconds < state.savedAtNanoseconds - Self.clockMarginNanoseconds
            else { return nil }
            return entry.hash
        }
    }

    func remember(_ hash: ContentHash, for path: String, status: FileSystem.Status) {
        withLoaded { state in
            state.entries[path] = Entry(size: status.size, modifiedNanoseconds: status.modifiedNanoseconds,
                                        inode: status.inode, hash: hash, loaded: false)
            state.dirty = true
        }
    }

    /// Writes the cache atomically if anything was learnt, dropping entries for files that are gone.
    public func save() throws {
        let snapshot: [String: Entry]? = withLoaded { state in
            guard state.dirty else { return nil }
            state.dirty = false
            return state.entries
        }
        guard let entries = snapshot else { return }
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var text = "\(Self.header) \(Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec))\n"
        for (path, entry) in entries.sorted(by: { $0.key < $1.key }) where FileSystem.exists(path) {
            text += "\(entry.hash.hex) \(entry.size) \(entry.modifiedNanoseconds) \(entry.inode) \(path)\n"
        }
        try FileSystem.writeAtomically(Array(text.utf8), to: file)
    }
}
