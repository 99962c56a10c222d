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
        var waitingOn: [Int]
        /// Smallest index last, so `popLast` takes the earliest stage in pipeline order.
        var ready: [Int]
        var freeQueues: [DispatchQueue]
        var running = 0
        var unsuccessful: Set<Int> = []
        /// Started or blocked.
        var accounted: Set<Int> = []
        var stopped = false
    }

    private let upstream: [[Int]]
    private let downstream: [[Int]]
    private let keepGoing: Bool
    private let state: Mutex<State>

    init(upstream: [[Int]], jobs: Int, keepGoing: Bool) {
        self.upstream = upstream
        var downstream = [[Int]](repeating: [], count: upstream.count)
        for (index, sources) in upstream.enumerated() { sources.forEach { downstream[$0].append(index) } }
        self.downstream = downstream
        self.keepGoing = keepGoing
        let queues = (0..<jobs).map { DispatchQueue(label: "cairn.worker.\($0)") }
        let waitingOn = upstream.map(\.count)
        state = Mutex(State(waitingOn: waitingOn, ready: waitingOn.indices.filter { waitingOn[$0] == 0 }.reversed(),
                            freeQueues: queues))
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
            release(index, &state)
            return next(&state)
        }
    }

    private func release(_ index: Int, _ state: inout State) {
        for child in downstream[index] {
            state.waitingOn[child] -= 1
            if state.waitingOn[child] == 0 {
                let slot = state.ready.firstIndex { $0 < child } ?? state.ready.endIndex
                state.ready.insert(child, at: slot)
            }
        }
    }

    private func next(_ state: inout State) -> Step {
        var step = Step()
        while !state.stopped, !state.freeQueues.isEmpty, let index = state.ready.popLast() {
            if upstream[index].contains(where: state.unsuccessful.contains) {
                state.unsuccessful.insert(index)
                state.accounted.insert(index)
                step.blocked.append(index)
                release(index, &state)
                continue
            }
            state.running += 1
            state.accounted.insert(index)
            step.start.append((index, state.freeQueues.removeLast()))
        }
        step.finished = state.running == 0 && (state.stopped || state.ready.isEmpty)
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
