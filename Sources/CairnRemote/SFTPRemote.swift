import CSSH2
import CairnEngine
import CairnSupport
import Glibc

/// A remote store in a folder of an SSH server, reached over SFTP (`ssh://[user@]host[:port]/path`).
/// Keys and `known_hosts` come from `$HOME/.ssh` and the agent from `SSH_AUTH_SOCK`, as `ssh` does.
public struct SFTPRemote: RemoteStore {
    public let location: String
    let host: String
    let port: Int
    let user: String
    let root: String
    let home: String
    let agentSocket: String?

    public init(_ url: RemoteURL, environment: [String: String]) {
        location = url.text
        host = url.host
        port = url.port ?? 22
        user = url.user ?? environment["USER"] ?? environment["LOGNAME"] ?? "root"
        root = url.path
        home = environment["HOME"] ?? "/root"
        agentSocket = environment["SSH_AUTH_SOCK"].flatMap { $0.isEmpty ? nil : $0 }
    }

    public func connect() throws -> any RemoteConnection { Connection(try SSHSession(self), root: root) }

    /// One SFTP channel. Writes go to a temporary name renamed into place once complete; a
    /// rename onto an existing key is a finished upload of the same bytes (keys are hashes).
    final class Connection: RemoteConnection {
        let ssh: SSHSession
        let root: String
        private var madeFolders: Set<String> = []
        /// Large reads and writes let libssh2 keep many SFTP packets in flight.
        private static let bufferSize = 2 << 20

        init(_ ssh: SSHSession, root: String) {
            self.ssh = ssh
            self.root = root
        }

        func list(_ folder: String) throws -> [String] {
            let path = root + "/" + folder
            guard let handle = libssh2_sftp_open_ex(ssh.sftp, path, UInt32(path.utf8.count), 0, 0, LIBSSH2_SFTP_OPENDIR) else {
                if status() == LIBSSH2_FX_NO_SUCH_FILE { return [] }
                throw failure("list", path)
            }
            defer { libssh2_sftp_close_handle(handle) }
            var names: [String] = []
            var name = [CChar](repeating: 0, count: 1024)
            var attributes = LIBSSH2_SFTP_ATTRIBUTES()
            while true {
                let count = libssh2_sftp_readdir_ex(handle, &name, name.count, nil, 0, &attributes)
                if count == 0 { return names }
                guard count > 0 else { throw failure("list", path) }
                let entry = String(decoding: name[0..<Int(count)].map { UInt8(bitPattern: $0) }, as: UTF8.self)
                if entry != "." && entry != ".." && !entry.contains(".incoming-") { names.append(entry) }
            }
        }

        func exists(_ key: String) throws -> Bool {
            let path = root + "/" + key
            var attributes = LIBSSH2_SFTP_ATTRIBUTES()
            if libssh2_sftp_stat_ex(ssh.sftp, path, UInt32(path.utf8.count), LIBSSH2_SFTP_STAT, &attributes) == 0 { return true }
            if status() == LIBSSH2_FX_NO_SUCH_FILE { return false }
            throw failure("look up", path)
        }

        func put(_ key: String, from source: ObjectReader) throws {
            let target = root + "/" + key
            try makeFolders(FileSystem.parent(of: target))
            let temporary = "\(target).incoming-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            let flags = UInt(LIBSSH2_FXF_WRITE | LIBSSH2_FXF_CREAT | LIBSSH2_FXF_TRUNC)
            guard let handle = libssh2_sftp_open_ex(ssh.sftp, temporary, UInt32(temporary.utf8.count), flags, 0o444, LIBSSH2_SFTP_OPENFILE) else {
                throw failure("write", temporary)
            }
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.bufferSize, alignment: 16)
            defer { buffer.deallocate() }
            do {
                while case let count = try source.read(into: buffer), count > 0 {
                    var sent = 0
                    while sent < count {
                        let wrote = libssh2_sftp_write(handle, buffer.baseAddress!.assumingMemoryBound(to: CChar.self) + sent, count - sent)
                        guard wrote > 0 else { throw failure("write", temporary) }
                        sent += wrote
                    }
                }
                guard libssh2_sftp_close_handle(handle) == 0 else { throw failure("write", temporary) }
            } catch {
                libssh2_sftp_close_handle(handle)
                remove(temporary)
                throw error
            }
            let renamed = libssh2_sftp_rename_ex(ssh.sftp, temporary, UInt32(temporary.utf8.count), target, UInt32(target.utf8.count),
                                                 Int(LIBSSH2_SFTP_RENAME_OVERWRITE | LIBSSH2_SFTP_RENAME_ATOMIC | LIBSSH2_SFTP_RENAME_NATIVE))
            guard renamed == 0 else {
                let error = failure("rename into", target)
                remove(temporary)
                if try exists(key) { return }
                throw error
            }
        }

        func get(_ key: String, into sink: (UnsafeRawBufferPointer) throws -> Void) throws -> Bool {
            let path = root + "/" + key
            guard let handle = libssh2_sftp_open_ex(ssh.sftp, path, UInt32(path.utf8.count), UInt(LIBSSH2_FXF_READ), 0, LIBSSH2_SFTP_OPENFILE) else {
                if status() == LIBSSH2_FX_NO_SUCH_FILE { return false }
                throw failure("read", path)
            }
            defer { libssh2_sftp_close_handle(handle) }
            // libssh2 asks ahead for as many bytes as a read's buffer holds: asking for no more
            // than the object has keeps a small object to one request instead of dozens.
            var attributes = LIBSSH2_SFTP_ATTRIBUTES()
            guard libssh2_sftp_fstat_ex(handle, &attributes, 0) == 0 else { throw failure("read", path) }
            var remaining = Int(attributes.filesize)
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, min(remaining, Self.bufferSize)), alignment: 16)
            defer { buffer.deallocate() }
            while remaining > 0 {
                let count = libssh2_sftp_read(handle, buffer.baseAddress!.assumingMemoryBound(to: CChar.self), min(remaining, buffer.count))
                guard count > 0 else { throw count == 0 ? CairnError(.io, "\(ssh.origin): \(path) ended early") : failure("read", path) }
                try sink(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
                remaining -= count
            }
            return true
        }

        /// Creates `folder` and the folders above it, each once per connection.
        private func makeFolders(_ folder: String) throws {
            guard folder.count > 1, !madeFolders.contains(folder) else { return }
            try makeFolders(FileSystem.parent(of: folder))
            if libssh2_sftp_mkdir_ex(ssh.sftp, folder, UInt32(folder.utf8.count), 0o755) != 0 {
                var attributes = LIBSSH2_SFTP_ATTRIBUTES()
                guard libssh2_sftp_stat_ex(ssh.sftp, folder, UInt32(folder.utf8.count), LIBSSH2_SFTP_STAT, &attributes) == 0 else {
                    throw failure("create the folder", folder)
                }
            }
            madeFolders.insert(folder)
        }

        private func remove(_ path: String) { libssh2_sftp_unlink_ex(ssh.sftp, path, UInt32(path.utf8.count)) }

        /// The SFTP status of the last request (`LIBSSH2_FX_…`).
        private func status() -> UInt { libssh2_sftp_last_error(ssh.sftp) }

        private func failure(_ action: String, _ path: String) -> CairnError {
            let message = "\(ssh.origin): cannot \(action) \(path)"
            guard libssh2_session_last_errno(ssh.session) == LIBSSH2_ERROR_SFTP_PROTOCOL else { return SSHSession.failure(ssh.session, message) }
            switch status() {
            case LIBSSH2_FX_PERMISSION_DENIED, LIBSSH2_FX_WRITE_PROTECT:
                return CairnError(.remoteDenied, message, hint: "check that \(ssh.origin)'s user may write under \(root)", cause: "permission denied")
            case LIBSSH2_FX_NO_SPACE_ON_FILESYSTEM, LIBSSH2_FX_QUOTA_EXCEEDED:
                return CairnError(.io, message, cause: "the server's disk or quota is full")
            case LIBSSH2_FX_NO_CONNECTION, LIBSSH2_FX_CONNECTION_LOST:
                return CairnError(.remoteUnavailable, message, cause: "the connection was lost")
            case let code:
                return CairnError(.io, message, cause: "SFTP status \(code)")
            }
        }
    }
}
