import Synchronization

/// The SHA-256 of files this process wrote whole and hashed as the bytes went out (Cairn's table
/// writers do), by path and by the file's status once written: the runner takes a stage's
/// output hash from here instead of reading the file again. A file changed since (another size,
/// mtime or inode) is not vouched for, and is read as any other.
public enum WrittenFiles {
    private static let known = Mutex<[String: (status: FileSystem.Status, hash: ContentHash)]>([:])

    public static func remember(_ hash: ContentHash, for path: String, status: FileSystem.Status) {
        known.withLock { $0[path] = (status, hash) }
    }

    /// The hash written for `path` if the file still has the status it was written with; the
    /// entry is used up either way.
    public static func take(_ path: String, status: FileSystem.Status) -> ContentHash? {
        known.withLock { known in
            guard let entry = known.removeValue(forKey: path), entry.status == status else { return nil }
            return entry.hash
        }
    }
}
