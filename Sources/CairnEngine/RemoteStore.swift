import CairnSupport

/// A store somewhere else — a directory, an SFTP server, an S3 bucket — holding the local
/// store's keys (`objects/AB/CDEF…`, `objects/AB/CDEF….dir`, `runs/AB/CDEF….json`).
/// A transfer opens one connection per worker thread.
public protocol RemoteStore: Sendable {
    /// The remote's URL, for messages.
    var location: String { get }
    func connect() throws -> any RemoteConnection
}

/// One worker's link to a remote store, used by one thread at a time. A failure worth trying
/// again (the network) is a `remoteUnavailable` error; the transfer then opens a new connection.
public protocol RemoteConnection: AnyObject {
    /// The names directly under `folder` (a key prefix without its last slash): its files and
    /// its sub-folders. Empty when there is no such folder.
    func list(_ folder: String) throws -> [String]
    /// Every key under `folder` at any depth, relative to it — when the remote lists a whole
    /// prefix in few requests (S3 pages through 1,000 keys at a time); nil when it can only list
    /// a folder at a time, as a file system does.
    func listTree(_ folder: String) throws -> [String]?
    func exists(_ key: String) throws -> Bool
    /// Stores the bytes `source` reads as `key`, so that the key appears only once it is
    /// complete: a transfer cut short leaves nothing under that name.
    func put(_ key: String, from source: ObjectReader) throws
    /// Hands `key`'s bytes to `sink` in order; false when there is no such key.
    func get(_ key: String, into sink: (UnsafeRawBufferPointer) throws -> Void) throws -> Bool
}

extension RemoteConnection {
    public func listTree(_ folder: String) throws -> [String]? { nil }
}
