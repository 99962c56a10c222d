import CairnSupport
import Dispatch
import Synchronization

/// Lock files read ahead, on another core, while the pipelines load: a 100,000-stage pipeline's
/// lock file is 50 MB of JSON, and reading it takes as long as parsing the pipeline. A read-ahead
/// result is used only if the file is still the one that was read: a lock file is replaced whole
/// (written elsewhere, then renamed), so a new one has another inode or mtime.
public final class LockFileCache: Sendable {
    private final class Reading: Sendable {
        let done = DispatchSemaphore(value: 0)
        let outcome = Mutex<(status: FileSystem.Status?, lock: Result<LockFile, any Error>)?>(nil)
    }

    private let readings = Mutex<[String: Reading]>([:])
    static let inlineSize: Int64 = 1 << 20

    public init() {}

    /// Starts reading each of `paths` in the background; one smaller than `inlineSize` is left
    /// to `load`, as a thread costs more than reading it.
    public func readAhead(_ paths: [String]) {
        for path in paths where FileSystem.status(path).map({ $0.size >= Self.inlineSize }) ?? false {
            let reading = Reading()
            readings.withLock { $0[path] = reading }
            DispatchQueue.global().async {
                let status = FileSystem.status(path)
                let lock = Result { try LockFile.load(path) }
                reading.outcome.withLock { $0 = (status, lock) }
                reading.done.signal()
            }
        }
    }

    /// The lock file at `path` as it is now: the read-ahead copy if the file has not been
    /// replaced since, else read again.
    public func load(_ path: String) throws -> LockFile {
        guard let reading = readings.withLock({ $0[path] }) else { return try LockFile.load(path) }
        reading.done.wait()
        reading.done.signal()
        let outcome = reading.outcome.withLock { $0 }!
        guard outcome.status == FileSystem.status(path) else { return try LockFile.load(path) }
        return try outcome.lock.get()
    }
}
