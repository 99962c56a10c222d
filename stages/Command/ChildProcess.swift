import CairnCore
import CairnSupport
import Dispatch
import Glibc

/// Starts a program with posix_spawn in a process group of its own, output to a given
/// descriptor, and waits for it; on cancellation the whole group gets SIGTERM, then SIGKILL.
enum ChildProcess {
    /// `group` hears of the child's process group when it starts (true) and when it has ended (false).
    static func run(_ arguments: [String], output: Int32, cancellation: Cancellation,
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

    /// "exit status 3" or "signal 15 (Terminated)".
    static func describe(_ status: Int32) -> String {
        let signal = status & 0x7f
        if signal == 0 { return "exit status \((status >> 8) & 0xff)" }
        return "signal \(signal) (\(String(cString: strsignal(signal))))"
    }
}
