import CairnCore
import Glibc

/// Content-addressed copies of every output Cairn has produced: `objects/AB/CDEF…` for a
/// file, `objects/AB/CDEF….dir` for a directory's manifest (whose hash is the directory's).
///
/// Objects are read-only and always copied out, never linked: an edit in place of a restored
/// output cannot reach the store. The store may be a directory shared between workspaces;
/// objects appear by atomic rename, so concurrent writers never see half an object.
public struct Store: Sendable {
    public let root: String
    private let hasher: ContentHasher

    public init(root: String, hasher: ContentHasher) {
        self.root = root
        self.hasher = hasher
    }

    func objectPath(_ hash: ContentHash) -> String {
        "\(root)/objects/\(hash.hex.prefix(2))/\(hash.hex.dropFirst(2))"
    }

    func manifestPath(_ hash: ContentHash) -> String { objectPath(hash) + ".dir" }

    /// True when the object (and, for a directory, every file it lists) is in the store.
    public func contains(_ hash: ContentHash, directory: Bool) -> Bool {
        guard directory else { return FileSystem.exists(objectPath(hash)) }
        guard let entries = try? manifestEntries(hash) else { return false }
        return entries.allSatisfy { FileSystem.exists(objectPath($0.hash)) }
    }

    /// The bytes of a file object.
    public func read(_ hash: ContentHash) throws -> [UInt8] { try FileSystem.readAll(objectPath(hash)) }

    /// Whether the store holds `hash` as a directory (a manifest) rather than a file.
    public func isDirectory(_ hash: ContentHash) -> Bool { FileSystem.exists(manifestPath(hash)) }

    /// Copies the file or directory at `path`, whose hash is `hash`, into the store.
    public func insert(_ path: String, hash: ContentHash) throws {
        if FileSystem.status(path)?.kind == .directory {
            let manifest = try hasher.manifest(ofDirectory: path)
            for entry in Self.parse(manifest) { try insertFile(path + "/" + entry.path, hash: entry.hash) }
            try insertBytes(Array(manifest.utf8), at: manifestPath(hash))
        } else {
            try insertFile(path, hash: hash)
        }
    }

    /// Recreates `destination` from the store (as a fresh, writable copy).
    public func restore(_ hash: ContentHash, directory: Bool, to destination: String) throws {
        guard contains(hash, directory: directory) else {
            throw CairnError(.storeMissing, "\(destination) (\(hash.short)) is not in the store at \(root)")
        }
        try FileSystem.makeDirectories(FileSystem.parent(of: destination))
        if directory {
            try FileSystem.makeDirectories(destination)
            for entry in try manifestEntries(hash) {
                let target = destination + "/" + entry.path
                try FileSystem.makeDirectories(FileSystem.parent(of: target))
                try FileSystem.copyFile(objectPath(entry.hash), to: target)
                hasher.remember(entry.hash, for: target)
            }
        } else {
            try FileSystem.copyFile(objectPath(hash), to: destination)
            hasher.remember(hash, for: destination)
        }
    }

    private func insertFile(_ path: String, hash: ContentHash) throws {
        let object = objectPath(hash)
        if FileSystem.exists(object) { return }
        try FileSystem.makeDirectories(FileSystem.parent(of: object))
        let temporary = "\(object).incoming-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileSystem.copyFile(path, to: temporary, mode: 0o444)
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

    /// Copies one object from `other` into this store, checking that its bytes have its hash.
    public func copy(_ object: Object, from other: Store) throws {
        let target = object.isManifest ? manifestPath(object.hash) : objectPath(object.hash)
        if FileSystem.exists(target) { return }
        try FileSystem.makeDirectories(FileSystem.parent(of: target))
        let temporary = "\(target).incoming-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileSystem.copyFile(object.path, to: temporary, mode: 0o444)
        let actual = try ContentHasher.hashContents(ofFile: temporary)
        guard actual == object.hash else {
            try? FileSystem.remove(temporary)
            throw CairnError(.storeMissing, "\(object.path) is damaged: its content hashes to \(actual.short), not \(object.hash.short)")
        }
        try FileSystem.move(temporary, to: target)
    }

    private func manifestEntries(_ hash: ContentHash) throws -> [(path: String, hash: ContentHash)] {
        Self.parse(try FileSystem.readText(manifestPath(hash)))
    }

    static func parse(_ manifest: String) -> [(path: String, hash: ContentHash)] {
        manifest.split(separator: "\n").compactMap { line in
            let parts = line.split(separator: "\0", maxSplits: 1)
            guard parts.count == 2, ContentHash.isValid(parts[1]) else { return nil }
            return (String(parts[0]), ContentHash(hex: String(parts[1])))
        }
    }
}
