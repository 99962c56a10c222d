import CairnEngine
import Glibc
import Synchronization

/// The line `cairn push` and `cairn pull` redraw on a terminal as objects move, at most ten times
/// a second: `pushing: 120/1000 objects and run-cache entries, 48.0 MiB`.
final class TransferProgress: Sendable {
    let verb: String
    private let lastDrawn = Mutex(0.0)

    init(_ verb: String) { self.verb = verb }

    func draw(_ progress: StoreTransfer.Progress) {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let seconds = Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
        let due = lastDrawn.withLock { last in
            guard seconds - last >= 0.1 || progress.done == progress.total else { return false }
            last = seconds
            return true
        }
        guard due else { return }
        Output.standardError("\r\u{1B}[K\(verb): \(progress.done)/\(progress.total) objects and run-cache entries, \(GCCommand.size(progress.bytes))",
                             newline: false)
    }
}
