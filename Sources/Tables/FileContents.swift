import CairnSupport
import Glibc

/// A whole file read into memory. Not memory-mapped: a mapped file that another process
/// truncates kills its reader with SIGBUS, while a copy cannot change under the parser. Large
/// files are read by every core at once, in fixed pieces, so the copy costs little beside the
/// parsing; a file that shrinks or changes while it is read is an error, not a crash.
final class FileContents: @unchecked Sendable {
    let bytes: UnsafeRawBufferPointer
    let path: String

    static let piece = 8 << 20

    init(_ path: String) throws {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileSystem.ioError("open", path) }
        defer { close(fd) }
        var before = stat()
        guard fstat(fd, &before) == 0 else { throw FileSystem.ioError("stat", path) }
        guard before.st_mode & S_IFMT == S_IFREG else {
            throw CairnError(.io, "\(path) is not a regular file")
        }
        let size = Int(before.st_size)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(size, 1), alignment: 4096)
        do {
            _ = try Parallel.map(0..<size, chunk: Self.piece) { range in
                var done = range.lowerBound
                while done < range.upperBound {
                    let count = pread(fd, buffer.baseAddress! + done, range.upperBound - done, off_t(done))
                    if count < 0, errno == EINTR { continue }
                    if count < 0 { throw FileSystem.ioError("read", path) }
                    if count == 0 { throw Self.changed(path) }
                    done += count
                }
            }
            var after = stat()
            guard fstat(fd, &after) == 0 else { throw FileSystem.ioError("stat", path) }
            guard after.st_size == before.st_size, after.st_mtim.tv_sec == before.st_mtim.tv_sec,
                  after.st_mtim.tv_nsec == before.st_mtim.tv_nsec else { throw Self.changed(path) }
        } catch {
            buffer.deallocate()
            throw error
        }
        bytes = UnsafeRawBufferPointer(start: buffer.baseAddress, count: size)
    }

    private static func changed(_ path: String) -> CairnError {
        CairnError(.io, "\(path) changed while it was being read", hint: "read it again once nothing writes it")
    }

    deinit { UnsafeMutableRawPointer(mutating: bytes.baseAddress)?.deallocate() }
}
