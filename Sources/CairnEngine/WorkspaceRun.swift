import CairnCore
import CairnSupport
import Glibc

/// One `cairn run` over a workspace: takes the workspace lock, runs each pipeline with the
/// runner, saves the stat cache. `cairn run` does this once; `cairn watch` on every trigger.
public struct WorkspaceRun: Sendable {
    public struct Outcome: Sendable {
        public var events: [StageEvent] = []
        public var failed: Bool { events.contains { $0.status == .failed } }
    }

    public let workspace: Workspace
    public let hasher: ContentHasher
    public let store: Store
    /// Where stages run; in this process when nil.
    public let executor: (any StageExecutor)?

    /// Run-cache hits are fetched from it (`cairn run --pull`).
    public let remote: StoreTransfer?
    public let lockFiles: LockFileCache

    public init(workspace: Workspace, hasher: ContentHasher, store: Store, executor: (any StageExecutor)? = nil, remote: StoreTransfer? = nil,
                lockFiles: LockFileCache = LockFileCache()) {
        self.workspace = workspace
        self.hasher = hasher
        self.store = store
        self.executor = executor
        self.remote = remote
        self.lockFiles = lockFiles
    }

    /// - Parameters:
    ///   - selections: per graph, the stages asked for (nil: all); a graph with an empty selection is skipped.
    ///   - wait: when another run holds the workspace, wait (after `onWait`) or throw.
    public func perform(_ graphs: [PipelineGraph], selections: [StageSelection?]? = nil, options: Runner.Options,
                        observer: any RunObserver, cancellation: Cancellation,
                        wait: Bool, onWait: (Int32?) -> Void) throws -> Outcome {
        let lock = try WorkspaceLock(path: workspace.lockPath, wait: wait, onWait: onWait)
        defer { withExtendedLifetime(lock) {} }
        // Holding the lock, whoever left these is gone.
        let outputs = graphs.flatMap { $0.nodes.flatMap { $0.outputs.map(\.path) } }
        if Leftovers(workspace: workspace).clean(outputs: outputs) {
            Leftovers(workspace: workspace).removeIncoming(in: store)
            observer.runWarning("cleaned up after a cairn that was killed: stopped its stages, removed its temporary files")
        }
        let runner = Runner(workspace: workspace, hasher: hasher, store: store, runCache: RunCache(storeRoot: store.root),
                            observer: observer, cancellation: cancellation, executor: executor, remote: remote,
                            lockFiles: lockFiles)
        var outcome = Outcome()
        let clock = ContinuousClock()
        for (index, graph) in graphs.enumerated() {
            var pipelineOptions = options
            pipelineOptions.selection = selections?[index]
            if pipelineOptions.selection?.stages.isEmpty == true { continue }
            let started = clock.now
            let events = try runner.run(graph, options: pipelineOptions)
            observer.pipelineFinished(graph.pipeline, events: events, seconds: (clock.now - started).inSeconds)
            let historyPath = StageHistory.path(in: workspace, pipeline: graph.pipeline)
            if events.contains(where: StageHistory.records) {
                let history = StageHistory.load(historyPath), updated = history.updated(with: events, at: Int(time(nil)))
                if updated != history { try updated.write(to: historyPath) }
            }
            outcome.events += events
            if cancellation.isCancelled || (outcome.failed && !options.keepGoing) { break }
        }
        // The stat cache only saves work: failing to save it (a full disk) fails nothing.
        do { try hasher.statCache.save() } catch { observer.runWarning("the stat cache was not saved: \(error)") }
        return outcome
    }
}
