import CairnSupport
import Glibc

/// A file read a piece at a time, by position: a table file's footer, then one record batch
/// after another, so that reading holds one batch's bytes rather than the whole file (or a
/// whole file, its pieces on every core: `FileContents`). Copies, not a mapping: a mapped file
/// that another process truncates kills its reader with SIGBUS. Positional reads of an open
/// descriptor are safe from several threads at once.
final class FilePieces: @unchecked Sendable {
    let path: String
    let size: Int
    private let fd: Int32
    private let status: stat

    init(_ path: String) throws {
        self.path = path
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileSystem.ioError("open", path) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            close(fd)
            throw FileSystem.ioError("stat", path)
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            close(fd)
            throw CairnError(.io, "\(path) is not a regular file")
        }
        status = info
        size = Int(info.st_size)
    }

    deinit { close(fd) }

    /// The bytes of `range`, which lies inside the file.
    func read(_ range: Range<Int>) throws -> Piece {
        let piece = Piece(count: range.count)
        try read(range, into: piece.start)
        return piece
    }

    /// Reads `range`, which lies inside the file, to `target` (room for `range.count` bytes).
    /// A file that ends before it was read out has changed since it was opened.
    func read(_ range: Range<Int>, into target: UnsafeMutableRawPointer) throws {
        precondition(range.lowerBound >= 0 && range.upperBound <= size)
        var done = 0
        while done < range.count {
            let count = pread(fd, target + done, range.count - done, off_t(range.lowerBound + done))
            if count < 0, errno == EINTR { continue }
            if count < 0 { throw FileSystem.ioError("read", path) }
            if count == 0 { throw changed() }
            done += count
        }
    }

    /// Throws if the file is not the one it was when opened: what was read may mix two versions.
    func requireUnchanged() throws {
        var now = stat()
        guard fstat(fd, &now) == 0 else { throw FileSystem.ioError("stat", path) }
        guard now.st_size == status.st_size, now.st_mtim.tv_sec == status.st_mtim.tv_sec,
              now.st_mtim.tv_nsec == status.st_mtim.tv_nsec else { throw changed() }
    }

    private func changed() -> CairnError {
        CairnError(.io, "\(path) changed while it was being read", hint: "read it again once nothing writes it")
    }

    /// Bytes read from the file, freed with the piece.
    final class Piece {
        let start: UnsafeMutableRawPointer
        let count: Int
        /// Valid while the piece is: keep it alive (`withExtendedLifetime`) while they are read.
        var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: start, count: count) }
        /// The bytes copied out, for small pieces.
        var array: [UInt8] { Array(bytes) }

        init(count: Int) {
            self.count = count
            start = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1), alignment: 64)
        }

        deinit { start.deallocate() }
    }
}
