import CairnCore
import CairnSupport
import Dispatch
import Glibc
import Synchronization

/// Watches every job a run submitted, with one `squeue` call per interval for all of them (the
/// interval grows from `SlurmSettings.firstPoll` to `lastPoll` while nothing ends). The result
/// file a job writes is what says it ended; `squeue` only tells a job still queued or running
/// from one that is gone. A job gone without a result file is given `grace` for the shared file
/// system to show it, then counts as failed, with the last state Slurm gave it. Works without
/// Slurm's accounting (`sacct`).
final class SlurmQueue: Sendable {
    enum Ending: Sendable {
        case result(String)
        case vanished(lastState: String?)

        /// Slurm itself stopped the job at its time limit.
        var isSlurmLimit: Bool {
            if case .vanished(let state) = self { return state == "TIMEOUT" }
            return false
        }
    }

    private struct Watched {
        var resultPath: String
        var ended: DispatchSemaphore
        var ending: Ending?
        var lastState: String?
        var goneSince: ContinuousClock.Instant?
    }

    private struct State {
        var jobs: [String: Watched] = [:]
        var polling = false
        /// Set by a new job: the poller goes back to its shortest interval.
        var added = false
    }

    let settings: SlurmSettings
    private let state = Mutex(State())

    init(settings: SlurmSettings) { self.settings = settings }

    /// Starts watching job `id`; `wait(id)` then blocks until it ends.
    func watch(_ id: String, resultPath: String) {
        let start = state.withLock { state in
            state.jobs[id] = Watched(resultPath: resultPath, ended: DispatchSemaphore(value: 0))
            state.added = true
            defer { state.polling = true }
            return !state.polling
        }
        if start { Thread.detachPolling { self.poll() } }
    }

    /// How job `id` ended; nil when `cancellation` came first (the job is then cancelled).
    func wait(_ id: String, cancellation: Cancellation) -> Ending? {
        guard let ended = state.withLock({ $0.jobs[id]?.ended }) else { return nil }
        while ended.wait(timeout: .now() + 0.2) == .timedOut {
            if cancellation.isCancelled {
                _ = try? ChildProcess.output(["scancel", id])
                // Its result, if it manages to write one, no longer matters.
                state.withLock { _ = $0.jobs.removeValue(forKey: id) }
                return nil
            }
        }
        return state.withLock { $0.jobs.removeValue(forKey: id)?.ending }
    }

    private func poll() {
        var interval = settings.firstPoll
        while true {
            let pending = state.withLock { state -> [(String, String)] in
                let waiting = state.jobs.filter { $0.value.ending == nil }.map { ($0.key, $0.value.resultPath) }
                if waiting.isEmpty { state.polling = false }
                return waiting
            }
            if pending.isEmpty { return }
            var ended = false
            var unresolved: [String] = []
            for (id, resultPath) in pending {
                if FileSystem.exists(resultPath) {
                    resolve(id, .result(resultPath))
                    ended = true
                } else {
                    unresolved.append(id)
                }
            }
            if !unresolved.isEmpty {
                let states = Self.states(of: unresolved)
                let now = ContinuousClock.now
                for id in unresolved {
                    let current = states[id]
                    let vanished = state.withLock { state -> String?? in
                        guard var job = state.jobs[id] else { return nil }
                        if let current { job.lastState = current }
                        let active = current.map { ["PENDING", "RUNNING", "CONFIGURING", "COMPLETING", "SUSPENDED", "REQUEUED"].contains($0) } ?? false
                        if active { job.goneSince = nil } else if job.goneSince == nil { job.goneSince = now }
                        state.jobs[id] = job
                        guard let since = job.goneSince, now - since >= settings.grace else { return nil }
                        return .some(job.lastState)
                    }
                    if let lastState = vanished {
                        resolve(id, .vanished(lastState: lastState))
                        ended = true
                    }
                }
            }
            let added = state.withLock { state in defer { state.added = false }; return state.added }
            interval = ended || added ? settings.firstPoll : min(interval * 3 / 2, settings.lastPoll)
            Thread.sleep(interval)
        }
    }

    private func resolve(_ id: String, _ ending: Ending) {
        state.withLock { state in
            guard state.jobs[id]?.ending == nil else { return }
            state.jobs[id]?.ending = ending
            state.jobs[id]?.ended.signal()
        }
    }

    /// Job id → Slurm state (`RUNNING`, `COMPLETED`, `OUT_OF_MEMORY`, …), in one `squeue` call;
    /// a job Slurm no longer knows is missing.
    static func states(of ids: [String]) -> [String: String] {
        guard let (status, text) = try? ChildProcess.output(["squeue", "-h", "-t", "all", "-o", "%i %T", "-j", ids.joined(separator: ",")]),
              ChildProcess.succeeded(status) else { return [:] }
        var states: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            if fields.count == 2 { states[String(fields[0])] = String(fields[1]) }
        }
        return states
    }
}

private enum Thread {
    /// A serial queue of its own always gets a thread, however many stages' threads are waiting.
    static func detachPolling(_ body: @escaping @Sendable () -> Void) {
        DispatchQueue(label: "cairn.slurm.poll").async(execute: body)
    }

    static func sleep(_ duration: Duration) {
        var request = timespec(tv_sec: Int(duration.components.seconds), tv_nsec: Int(duration.components.attoseconds / 1_000_000_000))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
    }
}
