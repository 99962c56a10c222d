/// Kahn's algorithm's bookkeeping over stages by index: how many stages each still waits on,
/// and which are ready, the smallest index first. Ordering a pipeline and scheduling a run both
/// take stages from it, so they agree on the order.
struct ReadyQueue: Sendable {
    private let downstream: [[Int]]
    private var waitingOn: [Int]
    /// Smallest index last, so `popLast` takes the earliest.
    private var ready: [Int]

    init(upstream: [[Int]]) {
        var downstream = [[Int]](repeating: [], count: upstream.count)
        for (index, sources) in upstream.enumerated() { sources.forEach { downstream[$0].append(index) } }
        self.downstream = downstream
        let waitingOn = upstream.map(\.count)
        self.waitingOn = waitingOn
        ready = waitingOn.indices.filter { waitingOn[$0] == 0 }.reversed()
    }

    /// The earliest ready stage, taken off the queue.
    mutating func next() -> Int? { ready.popLast() }

    /// `index` is done with: the stages waiting only on it become ready.
    mutating func release(_ index: Int) {
        for child in downstream[index] {
            waitingOn[child] -= 1
            if waitingOn[child] == 0 {
                let slot = ready.firstIndex { $0 < child } ?? ready.endIndex
                ready.insert(child, at: slot)
            }
        }
    }

    var isEmpty: Bool { ready.isEmpty }

    /// Stages still waiting on others (after everything was taken: the ones on a cycle or below it).
    var waiting: [Int] { waitingOn.indices.filter { waitingOn[$0] > 0 } }
}
