import CairnSupport
import Crypto
import Glibc

/// SHA-256 of files and directories, read in large blocks, through the stat cache.
///
/// A directory's hash is the SHA-256 of its manifest: one line per file, sorted by relative
/// path, `PATH\0HASH\n`. The same manifest is what the store keeps for a directory.
public struct ContentHasher: Sendable {
    public let statCache: StatCache
    static let blockSize = 4 << 20

    public init(statCache: StatCache) { self.statCache = statCache }

    /// Hash of a file or directory at `path` (relative to the working directory), or nil if absent.
    public func hash(_ path: String) throws -> ContentHash? {
        guard let status = FileSystem.status(path) else { return nil }
        if status.kind == .directory { return Self.digest(Array(try manifest(ofDirectory: path).utf8)) }
        return try hashFile(path, status: status)
    }

    /// The manifest text of a directory: `RELATIVE_PATH\0HASH\n` per file, sorted.
    public func manifest(ofDirectory path: String) throws -> String {
        var lines: [String] = []
        try walk(path, prefix: "") { relative, status in
            lines.append("\(relative)\0\(try hashFile(path + "/" + relative, status: status).hex)\n")
        }
        return lines.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.joined()
    }

    /// Records a hash Cairn already knows (e.g. of a file it just restored) without reading it.
    public func remember(_ hash: ContentHash, for path: String) {
        if let status = FileSystem.status(path), status.kind == .file { statCache.remember(hash, for: path, status: status) }
    }

    func hashFile(_ path: String, status: FileSystem.Status) throws -> ContentHash {
        if let known = statCache.hash(for: path, status: status) { return known }
        let hash = try WrittenFiles.take(path, status: status) ?? Self.hashContents(ofFile: path)
        statCache.remember(hash, for: path, status: status)
        return hash
    }

    /// Streams a file through SHA-256 in 4 MiB reads.
    public static func hashContents(ofFile path: String) throws -> ContentHash {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileSystem.ioError("read", path) }
        defer { close(fd) }
        posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL)
        var hasher = SHA256()
        try FileSystem.readChunks(fd, path: path, size: blockSize) { hasher.update(bufferPointer: $0) }
        return ContentHash(digest: hasher.finalize())
    }

    /// Copies `source` to `destination` (created with `mode`), hashing the bytes as they go by:
    /// if they do not have `expected`'s hash the copy is removed and a `storeDamaged` error names
    /// `what`. Verifying costs one pass over bytes the copy reads anyway.
    public static func copyVerifying(_ source: String, to destination: String, expected: ContentHash, what: String,
                                     mode: mode_t = 0o644) throws {
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw FileSystem.ioError("read", source) }
        defer { close(input) }
        posix_fadvise(input, 0, 0, POSIX_FADV_SEQUENTIAL)
        let output = open(destination, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard output >= 0 else { throw FileSystem.ioError("write", destination) }
        var hasher = SHA256()
        do {
            defer { close(output) }
            try FileSystem.readChunks(input, path: source, size: blockSize) { chunk in
                hasher.update(bufferPointer: chunk)
                try FileSystem.writeAll(output, chunk, path: destination)
            }
            guard fchmod(output, mode) == 0 else { throw FileSystem.ioError("set the mode of", destination) }
        } catch {
            unlink(destination)
            throw error
        }
        let actual = ContentHash(digest: hasher.finalize())
        guard actual == expected else {
            unlink(destination)
            throw CairnError(.storeDamaged, "\(what) is damaged: its bytes hash to \(actual.short), not \(expected.short)",
                             hint: "`cairn fsck --repair` removes damaged objects; `cairn pull` or a rerun brings them back")
        }
    }

    /// SHA-256 over bytes that come in pieces.
    public struct Streaming {
        private var hasher = SHA256()
        public init() {}
        public mutating func update(_ bytes: UnsafeRawBufferPointer) { hasher.update(bufferPointer: bytes) }
        public func finalize() -> ContentHash { ContentHash(digest: hasher.finalize()) }
    }

    public static func digest(_ bytes: [UInt8]) -> ContentHash {
        ContentHash(digest: SHA256.hash(data: bytes))
    }

    /// Visits every regular file below `path` (symbolic links followed).
    private func walk(_ path: String, prefix: String,
                      _ visit: (String, FileSystem.Status) throws -> Void) throws {
        for name in try FileSystem.list(path) {
            let relative = prefix.isEmpty ? name : prefix + "/" + name
            guard let status = FileSystem.status(path + "/" + name) else { continue }
            switch status.kind {
            case .directory: try walk(path + "/" + name, prefix: relative, visit)
            case .file: try visit(relative, status)
            case .other: continue
            }
        }
    }
}

extension ContentHasher {
    /// The current hash of each of `paths` (workspace-relative) that exists, each hashed once.
    public func currentHashes(of paths: some Sequence<String>, in workspace: Workspace) throws -> [String: ContentHash] {
        var hashes: [String: ContentHash] = [:]
        for path in paths where hashes[path] == nil {
            if let hash = try hash(workspace.absolute(path)) { hashes[path] = hash }
        }
        return hashes
    }
}
