import Synchronization

/// Shared by a run and its stages: once cancelled (SIGINT, a failed sibling), stages stop and
/// whatever they registered to stop (a child process) is stopped.
public final class Cancellation: Sendable {
    private struct State {
        var cancelled = false
        var nextToken = 0
        var handlers: [Int: @Sendable () -> Void] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    public var isCancelled: Bool { state.withLock { $0.cancelled } }

    public func cancel() {
        let handlers = state.withLock { state -> [@Sendable () -> Void] in
            guard !state.cancelled else { return [] }
            state.cancelled = true
            return Array(state.handlers.values)
        }
        handlers.forEach { $0() }
    }

    /// Runs `handler` on cancellation (at once if already cancelled) while `body` runs.
    public func whileRunning<T>(onCancel handler: @escaping @Sendable () -> Void, _ body: () throws -> T) rethrows -> T {
        let token: Int? = state.withLock { state in
            guard !state.cancelled else { return nil }
            state.nextToken += 1
            state.handlers[state.nextToken] = handler
            return state.nextToken
        }
        if token == nil { handler() }
        defer { if let token { _ = state.withLock { $0.handlers.removeValue(forKey: token) } } }
        return try body()
    }
}
