import CairnSupport
import Glibc

/// A file written front to back through a buffer, for the table writers.
final class OutputFile {
    let path: String
    private let fd: Int32
    private var buffer: [UInt8] = []
    private let flushSize = 1 << 20

    init(_ path: String) throws {
        self.path = path
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

    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { throw FileSystem.ioError("write", path) }
            offset += written
        }
    }
}
