import CairnSupport
import Crypto
import Glibc

/// A file written front to back through a buffer, for the table writers, hashed as it goes: once
/// finished, its SHA-256 is left in `WrittenFiles`, so that nothing reads it again to learn it.
final class OutputFile {
    let path: String
    private let fd: Int32
    private var buffer: [UInt8] = []
    private let flushSize = 1 << 20
    private var hasher = SHA256()

    init(_ path: String) throws {
        self.path = path
        // A new file, never the old one truncated: the old one may be an output linked into the store.
        unlink(path)
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FileSystem.ioError("create", path) }
        buffer.reserveCapacity(flushSize + 4096)
    }

    deinit { close(fd) }

    func write(_ bytes: some Sequence<UInt8>) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= flushSize { try flush() }
    }

    /// Large buffers go straight to the file, without passing through the buffer.
    func write(raw bytes: UnsafeRawBufferPointer) throws {
        try flush()
        try writeAll(bytes)
    }

    func flush() throws {
        try buffer.withUnsafeBytes { try writeAll($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes what is buffered and records the file's hash with its status as written.
    func finish() throws {
        try flush()
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw FileSystem.ioError("read the status of", path) }
        WrittenFiles.remember(ContentHash(digest: hasher.finalize()), for: path, status: FileSystem.Status(info))
    }

    /// Hashing a buffer and the kernel's copy of it into the page cache cost about the same; a
    /// large buffer has them run at once, on two cores.
    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
        guard bytes.count >= flushSize, Parallel.cores > 1 else {
            hasher.update(bufferPointer: bytes)
            return try writeUnhashed(bytes)
        }
        _ = try Parallel.map(2) { part in
            if part == 0 { hasher.update(bufferPointer: bytes) } else { try writeUnhashed(bytes) }
        }
    }

    private func writeUnhashed(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { throw FileSystem.ioError("write", path) }
            offset += written
        }
    }
}
