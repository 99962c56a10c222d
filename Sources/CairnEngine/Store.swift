import CairnSupport
import Glibc

/// Content-addressed copies of every output Cairn has produced: `objects/AB/CDEF…` for a
/// file, `objects/AB/CDEF….dir` for a directory's manifest (whose hash is the directory's).
///
/// A stage's outputs go in, and come back out, as hard links: the output and the object are one
/// read-only file, and storing or restoring it writes no byte (a copy only where the store is on
/// another file system, or a file has as many links as the file system allows). Nothing edits
/// them in place: runs replace outputs by renaming new files over them, and the mode keeps other
/// programs out — except root, whom modes do not stop. So every object is checked against its
/// hash as it is read back (restored, pushed, served to a fetch); one edited in place is found
/// damaged there, dropped, and made anew by the stage. Raw inputs are the user's files to edit:
/// they are copied in. The store may be a directory shared between workspaces; objects appear by
/// atomic rename, so concurrent writers never see half an object.
public struct Store: Sendable {
    public let root: String
    private let hasher: ContentHasher

    public init(root: String, hasher: ContentHasher) {
        self.root = root
        self.hasher = hasher
    }

    /// Where an object lies under the store's root, the same in every store, local or remote.
    public static func key(of hash: ContentHash, manifest: Bool) -> String {
        "objects/\(hash.hex.prefix(2))/\(hash.hex.dropFirst(2))" + (manifest ? ".dir" : "")
    }

    func objectPath(_ hash: ContentHash) -> String { root + "/" + Self.key(of: hash, manifest: false) }

    func manifestPath(_ hash: ContentHash) -> String { root + "/" + Self.key(of: hash, manifest: true) }

    /// True when the object (and, for a directory, every file it lists) is in the store.
    public func contains(_ hash: ContentHash, directory: Bool) -> Bool {
        guard directory else { return FileSystem.exists(objectPath(hash)) }
        guard let entries = try? manifestEntries(hash) else { return false }
        return entries.allSatisfy { FileSystem.exists(objectPath($0.hash)) }
    }

    /// The bytes of a file object, checked against its hash.
    public func read(_ hash: ContentHash) throws -> [UInt8] {
        let bytes = try FileSystem.readAll(objectPath(hash))
        guard ContentHasher.digest(bytes) == hash else { throw damaged(objectPath(hash), hash) }
        return bytes
    }

    /// Whether the store holds `hash` as a directory (a manifest) rather than a file.
    public func isDirectory(_ hash: ContentHash) -> Bool { FileSystem.exists(manifestPath(hash)) }

    /// Copies the file or directory at `path`, whose hash is `hash`, into the store, checking the
    /// bytes as they are copied. An object already there is kept if it has the file's size, or
    /// with `verifyExisting` (`run --force`) only if its bytes have its hash; else it is replaced.
    ///
    /// `trustStatCache`: a file the stat cache holds with this hash, for its status as it is, is
    /// copied in the kernel without being read again, and kept only if its status did not change
    /// meanwhile — what the stat cache vouches for every run. A raw input the run has just hashed
    /// so costs one copy, not a second pass through SHA-256; reading it back verifies it as always.
    /// `linking`: a stage's output, just hashed, becomes the object by a hard link, made read-only.
    public func insert(_ path: String, hash: ContentHash, verifyExisting: Bool = false, trustStatCache: Bool = false,
                       linking: Bool = false) throws {
        if FileSystem.status(path)?.kind == .directory {
            let manifest = try hasher.manifest(ofDirectory: path)
            for entry in try Self.parse(manifest, source: path) {
                try insertFile(path + "/" + entry.path, hash: entry.hash, verifyExisting: verifyExisting, trustStatCache: trustStatCache,
                               linking: linking)
            }
            try insertBytes(Array(manifest.utf8), at: manifestPath(hash))
        } else {
            try insertFile(path, hash: hash, verifyExisting: verifyExisting, trustStatCache: trustStatCache, linking: linking)
        }
    }

    /// Recreates `destination` from the store (a hard link to the object, read-only; a copy where
    /// no link can be made), checking every byte against its hash. A damaged object is removed from the store — it can only
    /// mislead — and reported as `storeDamaged`, so that the caller reruns or pulls it again.
    public func restore(_ hash: ContentHash, directory: Bool, to destination: String) throws {
        let missing = CairnError(.storeMissing, "\(destination) (\(hash.short)) is not in the store at \(root)")
        guard FileSystem.exists(directory ? manifestPath(hash) : objectPath(hash)) else { throw missing }
        // A manifest's paths are checked here, before anything is written.
        let entries = directory ? try manifestEntries(hash) : []
        guard entries.allSatisfy({ FileSystem.exists(objectPath($0.hash)) }) else { throw missing }
        try FileSystem.makeDirectories(FileSystem.parent(of: destination))
        if directory {
            try FileSystem.makeDirectories(destination)
            for entry in entries {
                let target = destination + "/" + entry.path
                try FileSystem.makeDirectories(FileSystem.parent(of: target))
                try copyOut(entry.hash, to: target)
            }
        } else {
            try copyOut(hash, to: destination)
        }
    }

    private func copyOut(_ hash: ContentHash, to destination: String) throws {
        let object = objectPath(hash)
        do {
            unlink(destination)
            if link(object, destination) == 0 {
                guard try ContentHasher.hashContents(ofFile: destination) == hash else {
                    unlink(destination)
                    throw damaged(object, hash)
                }
            } else {
                try ContentHasher.copyVerifying(object, to: destination, expected: hash, what: "store object \(object)")
            }
        } catch let error as CairnError where error.code == .storeDamaged {
            unlink(object)
            throw error
        }
        hasher.remember(hash, for: destination)
    }

    private func insertFile(_ path: String, hash: ContentHash, verifyExisting: Bool, trustStatCache: Bool, linking: Bool) throws {
        let object = objectPath(hash)
        if let existing = FileSystem.status(object) {
            let intact = existing.size == FileSystem.status(path)?.size
                && (!verifyExisting || (try? ContentHasher.hashContents(ofFile: object)) == hash)
            if intact { return }
            unlink(object)
        }
        try FileSystem.makeDirectories(FileSystem.parent(of: object))
        let temporary = "\(object).incoming-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        if linking, link(path, temporary) == 0 {
            chmod(temporary, 0o444)
            // The link is the file as it is: it must still be the file that was hashed.
            guard let now = FileSystem.status(path), hasher.statCache.hash(for: path, status: now) == hash else {
                unlink(temporary)
                throw CairnError(.storeDamaged, "\(path) changed after it was hashed; it was not stored")
            }
        } else if trustStatCache, let before = FileSystem.status(path), hasher.statCache.hash(for: path, status: before) == hash {
            try FileSystem.copyFile(path, to: temporary, mode: 0o444)
            guard FileSystem.status(path) == before else {
                unlink(temporary)
                throw CairnError(.storeDamaged, "\(path) changed while it was copied into the store")
            }
        } else {
            // The file may have changed since it was hashed: what is stored must have its hash.
            try ContentHasher.copyVerifying(path, to: temporary, expected: hash, what: path, mode: 0o444)
        }
        try FileSystem.move(temporary, to: object)
    }

    private func insertBytes(_ bytes: [UInt8], at object: String) throws {
        if FileSystem.exists(object) { return }
        try FileSystem.writeAtomically(bytes, to: object)
        chmod(object, 0o444)
    }

    /// An object as it lies in the store.
    public struct Object: Sendable {
        public var hash: ContentHash
        public var isManifest: Bool
        /// Absolute path of the object file.
        public var path: String
        public var size: Int64
    }

    /// The objects stored for `hash`: its file, its directory manifest, or both; none if neither.
    public func objects(of hash: ContentHash) -> [Object] {
        [(objectPath(hash), false), (manifestPath(hash), true)].compactMap { path, isManifest in
            FileSystem.status(path).map { Object(hash: hash, isManifest: isManifest, path: path, size: $0.size) }
        }
    }

    /// Every object in the store.
    public func objects() throws -> [Object] {
        let root = self.root + "/objects"
        guard FileSystem.exists(root) else { return [] }
        var result: [Object] = []
        for prefix in try FileSystem.list(root) {
            for name in try FileSystem.list(root + "/" + prefix) {
                let isManifest = name.hasSuffix(".dir")
                let hex = prefix + (isManifest ? String(name.dropLast(4)) : name)
                guard ContentHash.isValid(hex) else { continue }  // an incoming copy, or a stranger
                let path = "\(root)/\(prefix)/\(name)"
                result.append(Object(hash: ContentHash(hex: hex), isManifest: isManifest, path: path,
                                     size: FileSystem.status(path)?.size ?? 0))
            }
        }
        return result
    }

    /// The file hashes a directory's manifest lists.
    public func filesOfDirectory(_ hash: ContentHash) throws -> [ContentHash] {
        try manifestEntries(hash).map(\.hash)
    }

    /// Writes an object arriving from `origin`: the bytes `produce` hands to its sink go to a
    /// temporary file and become the object only if they hash to `hash` — and, for a manifest,
    /// list only paths that stay inside the directory. False when `produce` found no such object.
    public func receive(_ hash: ContentHash, manifest: Bool, from origin: String,
                        _ produce: (_ sink: (UnsafeRawBufferPointer) throws -> Void) throws -> Bool) throws -> Bool {
        let target = manifest ? manifestPath(hash) : objectPath(hash)
        if FileSystem.exists(target) { return true }
        try FileSystem.makeDirectories(FileSystem.parent(of: target))
        let temporary = "\(target).incoming-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o444)
        guard fd >= 0 else { throw FileSystem.ioError("write", temporary) }
        var hasher = ContentHasher.Streaming()
        var manifestBytes: [UInt8] = []
        do {
            let found: Bool
            do {
                defer { close(fd) }
                found = try produce { chunk in
                    hasher.update(chunk)
                    if manifest { manifestBytes.append(contentsOf: chunk) }
                    try FileSystem.writeAll(fd, chunk, path: temporary)
                }
            }
            guard found else {
                unlink(temporary)
                return false
            }
            let actual = hasher.finalize()
            guard actual == hash else {
                throw CairnError(.storeDamaged, "\(origin) is damaged: its bytes hash to \(actual.short), not \(hash.short); it was not copied",
                                 hint: "`cairn fsck --repair` where it is stored removes it; a rerun there brings it back")
            }
            if manifest { _ = try Self.parse(String(decoding: manifestBytes, as: UTF8.self), source: origin) }
        } catch {
            unlink(temporary)
            throw error
        }
        try FileSystem.move(temporary, to: target)
        return true
    }

    /// Whether an object's bytes still have its hash.
    public func isIntact(_ object: Object) -> Bool { (try? ContentHasher.hashContents(ofFile: object.path)) == object.hash }

    /// A directory's entries, from a manifest whose bytes are checked against the directory's hash.
    private func manifestEntries(_ hash: ContentHash) throws -> [(path: String, hash: ContentHash)] {
        let path = manifestPath(hash), bytes = try FileSystem.readAll(path)
        guard ContentHasher.digest(bytes) == hash else { throw damaged(path, hash) }
        return try Self.parse(String(decoding: bytes, as: UTF8.self), source: "the store's manifest \(hash.short)")
    }

    private func damaged(_ path: String, _ hash: ContentHash) -> CairnError {
        CairnError(.storeDamaged, "store object \(path) is damaged: its bytes do not hash to \(hash.short)",
                   hint: "`cairn fsck --repair` removes damaged objects; `cairn pull` or a rerun brings them back")
    }

    /// A manifest's entries; a store may come from anyone, so a path that could leave the folder
    /// it is restored into, or a line that is not `PATH\0HASH`, is an error.
    static func parse(_ manifest: String, source: String) throws -> [(path: String, hash: ContentHash)] {
        try manifest.split(separator: "\n").map { line in
            let parts = line.split(separator: "\0", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, ContentHash.isValid(parts[1]) else {
                throw CairnError(.invalidValue, "\(source) is damaged: a line is not PATH\\0SHA256",
                                 hint: "`cairn fsck --repair` removes damaged objects")
            }
            return (try WorkspacePath.validated(String(parts[0]), from: source), ContentHash(hex: String(parts[1])))
        }
    }
}
