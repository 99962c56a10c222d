import CairnSupport
import Dispatch
import Glibc

/// Starts a program with posix_spawn in a process group of its own, output to a given
/// descriptor, and waits for it; on cancellation the whole group gets SIGTERM, then SIGKILL.
/// Command stages run through it, and so do the cluster's tools (`sbatch`, `squeue`).
public enum ChildProcess {
    /// `group` hears of the child's process group when it starts (true) and when it has ended (false).
    public static func run(_ arguments: [String], output: Int32, cancellation: Cancellation,
                    group: (Int32, Bool) -> Void = { _, _ in }) throws -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, output, 1)
        posix_spawn_file_actions_adddup2(&actions, output, 2)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Own process group (so it can be stopped as a whole), default signal handling and an
        // empty mask (Cairn itself blocks or ignores SIGINT and SIGTERM, which children inherit).
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGTERM)
        sigaddset(&defaults, SIGPIPE)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, arguments[0], &actions, &attributes, argv, environ)
        guard result == 0 else {
            throw CairnError(.stageFailed, "cannot start \(arguments[0])", cause: String(cString: strerror(result)))
        }
        let child = pid
        group(child, true)
        defer { group(child, false) }
        return cancellation.whileRunning(onCancel: { stop(group: child) }) {
            var status: Int32 = 0
            while waitpid(child, &status, 0) < 0 && errno == EINTR {}
            return status
        }
    }

    /// SIGTERM to the group now, SIGKILL two seconds later if it is still there.
    private static func stop(group: pid_t) {
        kill(-group, SIGTERM)
        DispatchQueue.global().asyncAfter(deadline: .now() + 2) { kill(-group, SIGKILL) }
    }

    /// Runs `arguments` (the first found on PATH) and returns its exit status and what it wrote
    /// to standard output and error, gathered in an unlinked temporary file (no pipe to fill).
    public static func output(_ arguments: [String], cancellation: Cancellation = Cancellation()) throws -> (status: Int32, text: String) {
        var template = Array("/tmp/cairn-output-XXXXXX".utf8CString)
        let fd = mkstemp(&template)
        guard fd >= 0 else { throw FileSystem.ioError("create a temporary file in", "/tmp") }
        unlink(template)
        defer { close(fd) }
        let status = try run(["/usr/bin/env"] + arguments, output: fd, cancellation: cancellation)
        var bytes: [UInt8] = []
        lseek(fd, 0, SEEK_SET)
        try FileSystem.readChunks(fd, path: arguments[0], size: 1 << 16) { bytes += $0 }
        return (status, String(decoding: bytes, as: UTF8.self))
    }

    /// True when the child exited with status 0.
    public static func succeeded(_ status: Int32) -> Bool { status & 0x7f == 0 && (status >> 8) & 0xff == 0 }

    /// "exit status 3" or "signal 15 (Terminated)".
    public static func describe(_ status: Int32) -> String {
        let signal = status & 0x7f
        if signal == 0 { return "exit status \((status >> 8) & 0xff)" }
        return "signal \(signal) (\(String(cString: strsignal(signal))))"
    }
}
