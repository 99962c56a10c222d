import CairnSupport
import Crypto
import Glibc

/// The bytes of one object on their way to a remote, hashed as they are read: if they do not
/// have the object's hash, the last read throws instead of handing them over, so a damaged
/// local object never arrives anywhere whole.
public final class ObjectReader {
    public let hash: ContentHash
    public let size: Int64
    /// What the bytes are, for messages.
    public let what: String
    private var source: Source
    private var hasher = SHA256()
    private var delivered: Int64 = 0

    private enum Source {
        case file(Int32)
        case bytes([UInt8])
    }

    /// Reads the file at `path`, which should hash to `hash`.
    public init(file path: String, hash: ContentHash) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileSystem.ioError("read", path) }
        posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL)
        var status = stat()
        fstat(fd, &status)
        self.hash = hash
        size = Int64(status.st_size)
        what = path
        source = .file(fd)
    }

    public init(bytes: [UInt8], what: String) {
        hash = ContentHasher.digest(bytes)
        size = Int64(bytes.count)
        self.what = what
        source = .bytes(bytes)
    }

    deinit { if case .file(let fd) = source { close(fd) } }

    /// The hex SHA-256 of the whole content, as S3 wants it before the body.
    public var sha256: String { hash.hex }

    /// Fills `buffer` with the next bytes; 0 at the end. Throws `storeDamaged` when the bytes
    /// run out without the expected hash (or the file shrank).
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let wanted = Int(min(Int64(buffer.count), size - delivered))
        guard wanted > 0 else { return 0 }
        var count = 0
        switch source {
        case .file(let fd):
            while count < wanted {
                let got = Glibc.read(fd, buffer.baseAddress! + count, wanted - count)
                if got < 0 && errno == EINTR { continue }
                guard got > 0 else { throw got == 0 ? damaged("it is shorter than it was") : FileSystem.ioError("read", what) }
                count += got
            }
        case .bytes(let bytes):
            bytes.withUnsafeBytes { all in
                buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: all[Int(delivered)..<Int(delivered) + wanted]))
            }
            count = wanted
        }
        hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        delivered += Int64(count)
        if delivered == size {
            let actual = ContentHash(digest: hasher.finalize())
            guard actual == hash else { throw damaged("its bytes hash to \(actual.short), not \(hash.short)") }
        }
        return count
    }

    /// Starts again from the first byte, for a retried transfer.
    public func rewind() {
        if case .file(let fd) = source { lseek(fd, 0, SEEK_SET) }
        hasher = SHA256()
        delivered = 0
    }

    private func damaged(_ why: String) -> CairnError {
        CairnError(.storeDamaged, "\(what) is damaged: \(why); it was not sent",
                   hint: "`cairn fsck --repair` removes damaged objects; a rerun brings them back")
    }
}
