import CairnSupport
import Glibc

/// How often a request a remote failed for a reason worth another try (a dropped connection, a
/// timeout, a server saying it is busy) is tried again, and how long to wait between tries:
/// doubling from `firstDelay`, at most 8 s, with jitter so that workers do not retry in step.
public struct RetryPolicy: Sendable {
    public var retries: Int
    public var firstDelay: Double

    /// `CAIRN_REMOTE_RETRIES` tries again that many times (default 4).
    public init(environment: [String: String] = Environment.variables) {
        retries = environment["CAIRN_REMOTE_RETRIES"].flatMap(Int.init).map { max(0, $0) } ?? 4
        firstDelay = 0.25
    }

    public func wait(before retry: Int) {
        let seconds = min(firstDelay * Double(1 << min(retry, 10)), 8) * Double.random(in: 0.5...1)
        usleep(UInt32(seconds * 1_000_000))
    }
}
