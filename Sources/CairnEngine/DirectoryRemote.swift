import CairnSupport
import Glibc

/// A remote store that is a directory: a shared disk, a mounted volume, another workspace's store.
public struct DirectoryRemote: RemoteStore {
    public let root: String
    public var location: String { root }

    public init(root: String) { self.root = root }

    public func connect() throws -> any RemoteConnection {
        try FileSystem.makeDirectories(root)
        return Connection(root: root)
    }

    final class Connection: RemoteConnection {
        let root: String
        init(root: String) { self.root = root }

        func list(_ folder: String) throws -> [String] {
            let path = root + "/" + folder
            return FileSystem.status(path)?.kind == .directory ? try FileSystem.list(path) : []
        }

        func exists(_ key: String) throws -> Bool { FileSystem.exists(root + "/" + key) }

        func put(_ key: String, from source: ObjectReader) throws {
            let target = root + "/" + key
            try FileSystem.makeDirectories(FileSystem.parent(of: target))
            let temporary = "\(target).incoming-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o444)
            guard fd >= 0 else { throw FileSystem.ioError("write", temporary) }
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 4 << 20, alignment: 16)
            defer { buffer.deallocate() }
            do {
                defer { close(fd) }
                while case let count = try source.read(into: buffer), count > 0 {
                    try FileSystem.writeAll(fd, UnsafeRawBufferPointer(rebasing: buffer[0..<count]), path: temporary)
                }
            } catch {
                unlink(temporary)
                throw error
            }
            try FileSystem.move(temporary, to: target)
        }

        func get(_ key: String, into sink: (UnsafeRawBufferPointer) throws -> Void) throws -> Bool {
            let path = root + "/" + key
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else {
                if errno == ENOENT { return false }
                throw FileSystem.ioError("read", path)
            }
            defer { close(fd) }
            posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL)
            try FileSystem.readChunks(fd, path: path, size: 4 << 20, sink)
            return true
        }
    }
}
