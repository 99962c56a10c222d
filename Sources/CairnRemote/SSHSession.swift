import CSSH2
import CairnEngine
import CairnSupport
import Glibc

/// One authenticated SSH connection with its SFTP channel: TCP, the handshake, the host key
/// checked against `~/.ssh/known_hosts`, then the user's agent keys and `~/.ssh/id_*` files.
final class SSHSession {
    let session: OpaquePointer
    let sftp: OpaquePointer
    private let socket: Int32
    /// `ssh://user@host:port`, for messages.
    let origin: String

    /// libssh2's global set-up, which is not thread-safe: done once, before any session.
    private static let initialized: Bool = libssh2_init(0) == 0

    init(_ remote: SFTPRemote) throws {
        origin = "ssh://\(remote.user)@\(remote.host):\(remote.port)"
        guard Self.initialized, let session = libssh2_session_init_ex(nil, nil, nil, nil) else {
            throw CairnError(.io, "\(origin): cannot start an SSH session")
        }
        self.session = session
        var socket: Int32 = -1
        do {
            socket = try Self.open(host: remote.host, port: remote.port, origin: origin)
            self.socket = socket
            libssh2_session_set_blocking(session, 1)
            libssh2_session_set_timeout(session, 30_000)
            guard libssh2_session_handshake(session, socket) == 0 else {
                throw Self.failure(session, "\(origin): the SSH handshake failed")
            }
            try Self.checkHostKey(session, remote: remote, origin: origin)
            try Self.authenticate(session, remote: remote, origin: origin)
            guard let sftp = libssh2_sftp_init(session) else {
                throw Self.failure(session, "\(origin): the server does not offer SFTP")
            }
            self.sftp = sftp
        } catch {
            libssh2_session_free(session)
            if socket >= 0 { close(socket) }
            throw error
        }
    }

    deinit {
        libssh2_sftp_shutdown(sftp)
        libssh2_session_disconnect_ex(session, SSH_DISCONNECT_BY_APPLICATION, "done", "")
        libssh2_session_free(session)
        close(socket)
    }

    private static func open(host: String, port: Int, origin: String) throws -> Int32 {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var found: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &found)
        guard status == 0, let first = found else {
            throw CairnError(.remoteUnavailable, "\(origin): cannot find the host '\(host)'", cause: String(cString: gai_strerror(status)))
        }
        defer { freeaddrinfo(first) }
        var lastError: Int32 = 0
        for address in sequence(first: first, next: { $0.pointee.ai_next }) {
            let fd = Glibc.socket(address.pointee.ai_family, address.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), address.pointee.ai_protocol)
            guard fd >= 0 else { lastError = errno; continue }
            if connect(fd, address.pointee.ai_addr, address.pointee.ai_addrlen) == 0 {
                // SFTP's small requests and answers must not wait for the acknowledgements of earlier ones.
                var on: Int32 = 1
                setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
                return fd
            }
            lastError = errno
            close(fd)
        }
        throw CairnError(.remoteUnavailable, "\(origin): cannot connect", cause: String(cString: strerror(lastError)))
    }

    /// The server's key must be the one `known_hosts` has for this host (and port): an unknown
    /// or different key is refused, not learnt, as `ssh` with `StrictHostKeyChecking yes` does.
    private static func checkHostKey(_ session: OpaquePointer, remote: SFTPRemote, origin: String) throws {
        var length = 0
        var type: Int32 = 0
        guard let key = libssh2_session_hostkey(session, &length, &type), let hosts = libssh2_knownhost_init(session) else {
            throw failure(session, "\(origin): the server sent no host key")
        }
        defer { libssh2_knownhost_free(hosts) }
        let file = remote.home + "/.ssh/known_hosts"
        _ = libssh2_knownhost_readfile(hosts, file, LIBSSH2_KNOWNHOST_FILE_OPENSSH)
        let keyBits = type > 0 && type <= 6 ? (type + 1) << LIBSSH2_KNOWNHOST_KEY_SHIFT : LIBSSH2_KNOWNHOST_KEY_UNKNOWN
        let check = libssh2_knownhost_checkp(hosts, remote.host, Int32(remote.port), key, length,
                                             LIBSSH2_KNOWNHOST_TYPE_PLAIN | LIBSSH2_KNOWNHOST_KEYENC_RAW | keyBits, nil)
        let entry = remote.port == 22 ? remote.host : "[\(remote.host)]:\(remote.port)"
        switch check {
        case LIBSSH2_KNOWNHOST_CHECK_MATCH:
            return
        case LIBSSH2_KNOWNHOST_CHECK_MISMATCH:
            throw CairnError(.remoteDenied, "\(origin): the server's host key is not the one \(file) has for \(entry)",
                             hint: "if the server's key really changed, remove its line with `ssh-keygen -R '\(entry)'` and connect once with ssh")
        default:
            throw CairnError(.remoteDenied, "\(origin): \(file) has no host key for \(entry)",
                             hint: "connect once with `ssh -p \(remote.port) \(remote.user)@\(remote.host)` and accept the key, or add it with ssh-keyscan")
        }
    }

    /// The agent's keys first (`SSH_AUTH_SOCK`), then `~/.ssh/id_ed25519`, `id_ecdsa` and
    /// `id_rsa`; the error names the user and every key tried.
    private static func authenticate(_ session: OpaquePointer, remote: SFTPRemote, origin: String) throws {
        var tried: [String] = []
        if remote.agentSocket != nil, let agent = libssh2_agent_init(session) {
            defer { libssh2_agent_disconnect(agent); libssh2_agent_free(agent) }
            if libssh2_agent_connect(agent) == 0, libssh2_agent_list_identities(agent) == 0 {
                var identity: UnsafeMutablePointer<libssh2_agent_publickey>?
                var previous: UnsafeMutablePointer<libssh2_agent_publickey>?
                while libssh2_agent_get_identity(agent, &identity, previous) == 0, let current = identity {
                    if libssh2_agent_userauth(agent, remote.user, current) == 0 { return }
                    tried.append("agent key \(current.pointee.comment.map { String(cString: $0) } ?? "")")
                    previous = current
                }
            }
        }
        for name in ["id_ed25519", "id_ecdsa", "id_rsa"] {
            let path = remote.home + "/.ssh/" + name
            guard FileSystem.exists(path) else { continue }
            let status = libssh2_userauth_publickey_fromfile_ex(session, remote.user, UInt32(remote.user.utf8.count), nil, path, nil)
            if status == 0 { return }
            if status == LIBSSH2_ERROR_SOCKET_RECV || status == LIBSSH2_ERROR_SOCKET_SEND || status == LIBSSH2_ERROR_TIMEOUT
                || status == LIBSSH2_ERROR_SOCKET_DISCONNECT {
                throw failure(session, "\(origin): the connection dropped while authenticating")
            }
            tried.append(path)
        }
        throw CairnError(.remoteDenied, "\(origin): the server accepted none of the keys tried for user '\(remote.user)': "
                         + (tried.isEmpty ? "none (no agent, no ~/.ssh/id_ed25519, id_ecdsa or id_rsa under \(remote.home))" : tried.joined(separator: ", ")),
                         hint: "add one of their public keys to ~\(remote.user)/.ssh/authorized_keys on \(remote.host), or load the right key into ssh-agent")
    }

    /// The session's last error as a Cairn error: a dropped or timed-out connection is worth
    /// trying again; anything else (a protocol or key failure) is not.
    static func failure(_ session: OpaquePointer, _ message: String) -> CairnError {
        var text: UnsafeMutablePointer<CChar>?
        var length: Int32 = 0
        let code = libssh2_session_last_error(session, &text, &length, 0)
        let cause = text.map { String(cString: $0) }
        let transient: Set<Int32> = [
            LIBSSH2_ERROR_SOCKET_NONE, LIBSSH2_ERROR_BANNER_RECV, LIBSSH2_ERROR_BANNER_SEND, LIBSSH2_ERROR_SOCKET_SEND,
            LIBSSH2_ERROR_SOCKET_RECV, LIBSSH2_ERROR_SOCKET_DISCONNECT, LIBSSH2_ERROR_TIMEOUT, LIBSSH2_ERROR_SOCKET_TIMEOUT,
            LIBSSH2_ERROR_KEX_FAILURE, LIBSSH2_ERROR_KEY_EXCHANGE_FAILURE, LIBSSH2_ERROR_CHANNEL_CLOSED, LIBSSH2_ERROR_BAD_SOCKET,
        ]
        return CairnError(transient.contains(code) ? .remoteUnavailable : .io, message, cause: cause)
    }
}
