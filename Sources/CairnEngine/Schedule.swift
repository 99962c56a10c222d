import Dispatch
import Synchronization

/// The runner's bookkeeping: which stages are waiting on which, which are ready, and which
/// of the `jobs` worker queues is free. Ready stages start in pipeline order. Every stage is
/// accounted for once: started, blocked by a failure upstream, or not run because the run
/// stopped first. Stage indices are in pipeline (topological) order.
final class Schedule: Sendable {
    /// Stages to start now, each on a free queue, or the news that the run is over.
    struct Step {
        var start: [(index: Int, queue: DispatchQueue)] = []
        var blocked: [Int] = []
        /// Stages the run stopped before (a failure without keep-going, or an interruption).
        var notRun: [Int] = []
        var finished = false
    }

    private struct State {
        var queue: ReadyQueue
        var freeQueues: [DispatchQueue]
        var running = 0
        var unsuccessful: Set<Int> = []
        /// Started or blocked.
        var accounted: Set<Int> = []
        var stopped = false
    }

    private let upstream: [[Int]]
    private let keepGoing: Bool
    private let state: Mutex<State>

    init(upstream: [[Int]], jobs: Int, keepGoing: Bool) {
        self.upstream = upstream
        self.keepGoing = keepGoing
        let queues = (0..<jobs).map { DispatchQueue(label: "cairn.worker.\($0)") }
        state = Mutex(State(queue: ReadyQueue(upstream: upstream), freeQueues: queues))
    }

    func begin() -> Step { state.withLock { next(&$0) } }

    /// Records that `index` finished on `queue`; `stop` ends the run after the running stages.
    func finish(_ index: Int, on queue: DispatchQueue, failed: Bool, stop: Bool) -> Step {
        state.withLock { state in
            state.running -= 1
            state.freeQueues.append(queue)
            if failed {
                state.unsuccessful.insert(index)
                if !keepGoing { state.stopped = true }
            }
            if stop { state.stopped = true }
            state.queue.release(index)
            return next(&state)
        }
    }

    private func next(_ state: inout State) -> Step {
        var step = Step()
        while !state.stopped, !state.freeQueues.isEmpty, let index = state.queue.next() {
            if upstream[index].contains(where: state.unsuccessful.contains) {
                state.unsuccessful.insert(index)
                state.accounted.insert(index)
                step.blocked.append(index)
                state.queue.release(index)
                continue
            }
            state.running += 1
            state.accounted.insert(index)
            step.start.append((index, state.freeQueues.removeLast()))
        }
        step.finished = state.running == 0 && (state.stopped || state.queue.isEmpty)
        if step.finished { settleTheRest(&state, &step) }
        return step
    }

    /// Once a stopped run is over, the stages it never reached: blocked when a stage they read
    /// from, directly or not, failed; otherwise not run.
    private func settleTheRest(_ state: inout State, _ step: inout Step) {
        for index in upstream.indices where !state.accounted.contains(index) {
            state.accounted.insert(index)
            if upstream[index].contains(where: state.unsuccessful.contains) {
                state.unsuccessful.insert(index)
                step.blocked.append(index)
            } else {
                step.notRun.append(index)
            }
        }
    }
}
