import CairnSupport
import Glibc

/// An exclusive `flock` taken before a stage with a given fingerprint is restored or run, in
/// `runs/claims/ABC` of the store (4,096 files, by the fingerprint's first hex digits): two
/// runs sharing a store — the variants of a sweep, two workspaces — that reach the same stage
/// at once do not both make it; the second waits, then finds it in the run cache. A stage
/// sharing the first digits waits needlessly, at most once in 4,096. The kernel drops the
/// lock when the process dies.
public final class RunClaim {
    private let fd: Int32

    init(root: String, fingerprint: ContentHash) throws {
        let path = "\(root)/claims/\(fingerprint.hex.prefix(3))"
        try FileSystem.makeDirectories(FileSystem.parent(of: path))
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FileSystem.ioError("open", path) }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else {
                close(fd)
                throw FileSystem.ioError("lock", path)
            }
        }
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
