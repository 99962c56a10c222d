import CairnSupport
import Glibc

/// One run at a time per workspace: an exclusive `flock` on `.cairn/lock`, which holds the
/// holder's pid so that a second run can say who it is waiting for. The kernel drops the lock
/// when the process dies, however it dies.
public final class WorkspaceLock {
    private let fd: Int32

    /// - Parameter onWait: called once with the holder's pid before blocking.
    /// - Throws: `workspaceLocked` when `wait` is false and another process holds the lock.
    public init(path: String, wait: Bool, onWait: (Int32?) -> Void) throws {
        try FileSystem.makeDirectories(FileSystem.parent(of: path))
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FileSystem.ioError("open", path) }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let holder = Self.holder(fd)
            guard wait else {
                close(fd)
                throw CairnError(.workspaceLocked,
                                 "the workspace is in use by another cairn run" + (holder.map { " (pid \($0))" } ?? ""),
                                 hint: "wait for it to finish, or run without --no-wait to queue behind it")
            }
            onWait(holder)
            while flock(fd, LOCK_EX) != 0 {
                guard errno == EINTR else {
                    close(fd)
                    throw FileSystem.ioError("lock", path)
                }
            }
        }
        ftruncate(fd, 0)
        let pid = Array("\(getpid())\n".utf8)
        _ = pid.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
    }

    deinit {
        ftruncate(fd, 0)
        flock(fd, LOCK_UN)
        close(fd)
    }

    private static func holder(_ fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        return Int32(String(decoding: buffer[0..<count], as: UTF8.self).trimmingSpaces)
    }
}
