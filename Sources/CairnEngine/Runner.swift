import CairnCore
import CairnSpec
import CairnSupport
import Dispatch
import Synchronization

/// Executes a pipeline: each stage, once the stages it reads from are done, is re-planned with
/// the hashes as they now are, then skipped, restored from the run cache, or run; up to `jobs`
/// at once. Outputs are written to temporary paths and moved into place only on success.
public final class Runner: Sendable {
    public struct Options: Sendable {
        public var jobs: Int
        public var force: Bool
        public var keepGoing: Bool
        /// The stages to run; nil for all.
        public var selection: StageSelection?
        /// A run started by the pipeline's schedule: `always_run` stages run even when fresh.
        public var scheduled: Bool

        public init(jobs: Int, force: Bool = false, keepGoing: Bool = false, selection: StageSelection? = nil,
                    scheduled: Bool = false) {
            self.jobs = max(1, jobs)
            self.force = force
            self.keepGoing = keepGoing
            self.selection = selection
            self.scheduled = scheduled
        }

        /// Why `node` must run whatever its state, if it must; forced stages skip the run cache.
        public func forcedReason(_ node: PipelineGraph.Node) -> RunReason? {
            if force { return .forced }
            return scheduled && node.alwaysRun ? .scheduled : nil
        }
    }

    public let workspace: Workspace
    public let hasher: ContentHasher
    public let store: Store
    public let runCache: RunCache
    public let observer: any RunObserver
    public let cancellation: Cancellation
    public let executor: any StageExecutor
    /// A remote store whose run-cache hits are fetched instead of running (`cairn run --pull`).
    public let remote: StoreTransfer?
    /// Where lock files come from: read ahead while the pipelines loaded, or now.
    public let lockFiles: LockFileCache

    /// `executor`: where stages run; in this process when nil.
    public init(workspace: Workspace, hasher: ContentHasher, store: Store, runCache: RunCache,
                observer: any RunObserver, cancellation: Cancellation, executor: (any StageExecutor)? = nil, remote: StoreTransfer? = nil,
                lockFiles: LockFileCache = LockFileCache()) {
        self.workspace = workspace
        self.hasher = hasher
        self.store = store
        self.runCache = runCache
        self.observer = observer
        self.cancellation = cancellation
        self.executor = executor ?? LocalExecutor(workspace: workspace)
        self.remote = remote
        self.lockFiles = lockFiles
    }

    /// Runs `graph` and writes its lock file — also after a failure or an interruption, so
    /// that what was built stays recorded. Returns one event per stage that was considered.
    public func run(_ graph: PipelineGraph, options: Options) throws -> [StageEvent] {
        let lockPath = workspace.lockFilePath(pipeline: graph.pipeline)
        let lock = try lockFiles.load(lockPath)
        try requireFreshFeeders(of: options.selection, in: graph, lock: lock)
        let included = options.selection?.included(in: graph)
        let selected = graph.nodes.filter { included?.contains($0.name) ?? true }
        let settled = try settledFresh(selected, lock: lock, options: options)
        let events = Mutex(selected.indices.filter { settled[$0] }.map {
            StageEvent(pipeline: graph.pipeline, stage: selected[$0].name, status: .skipped, reasons: [], seconds: 0)
        })
        for event in events.withLock({ $0 }) { observer.stageFinished(event) }
        let nodes = selected.indices.filter { !settled[$0] }.map { selected[$0] }
        let position = Dictionary(uniqueKeysWithValues: nodes.enumerated().map { ($1.name, $0) })
        let schedule = Schedule(upstream: nodes.map { $0.upstream.compactMap { position[$0] } },
                                jobs: options.jobs, keepGoing: options.keepGoing)
        let records = Mutex([String: LockFile.StageRecord]())
        let done = DispatchSemaphore(value: 0)

        @Sendable func report(_ event: StageEvent) {
            events.withLock { $0.append(event) }
            observer.stageFinished(event)
        }
        @Sendable func advance(_ step: Schedule.Step) {
            for (index, status) in step.blocked.map({ ($0, StageStatus.blocked) }) + step.notRun.map({ ($0, .notRun) }) {
                report(StageEvent(pipeline: graph.pipeline, stage: nodes[index].name, status: status, reasons: [], seconds: 0))
            }
            if step.finished { done.signal() }
            for (index, queue) in step.start {
                queue.async {
                    let node = nodes[index]
                    let (event, record) = self.execute(node, in: graph, record: lock.stages[node.name],
                                                       forced: options.forcedReason(node))
                    if let record { records.withLock { $0[node.name] = record } }
                    report(event)
                    advance(schedule.finish(index, on: queue, failed: event.status == .failed,
                                            stop: self.cancellation.isCancelled))
                }
            }
        }
        advance(schedule.begin())
        done.wait()
        try record(graph, lock: lock, built: records.withLock { $0 }, at: lockPath)
        return events.withLock { $0 }
    }

    /// Which of `nodes` (in pipeline order) are fresh and read only from stages that are: those
    /// are skipped before anything starts — planned on all cores from one look at each path,
    /// rather than each given a turn in the schedule: nothing this run does changes what they
    /// read. A path that cannot be hashed (unreadable) leaves its stages to `execute`, which
    /// reports it.
    private func settledFresh(_ nodes: [PipelineGraph.Node], lock: LockFile, options: Options) throws -> [Bool] {
        let hasher = self.hasher, workspace = self.workspace
        let position = Dictionary(uniqueKeysWithValues: nodes.enumerated().map { ($1.name, $0) })
        let recorded = nodes.map { options.forcedReason($0) == nil && lock.stages.index(forKey: $0.name) != nil }
        // The paths the recorded stages read and write, each once. Outputs are one stage's each
        // (the graph allows no two writers), and an input another recorded stage writes is
        // among them: only the others need making unique.
        func isRecordedOutput(_ input: PipelineGraph.Input) -> Bool {
            guard let producer = input.producer, producer.path == input.path, let index = position[producer.stage] else { return false }
            return recorded[index]
        }
        var paths: [String] = []
        var read: Set<String> = []
        for (node, isRecorded) in zip(nodes, recorded) where isRecorded {
            paths += node.outputs.map(\.path)
            for input in node.inputs where !isRecordedOutput(input) { read.insert(input.path) }
        }
        paths += read
        let hashes = try Parallel.map(paths.indices, chunk: 1024) { range in
            range.compactMap { index in (try? hasher.hash(workspace.absolute(paths[index]))).flatMap { $0 }.map { (paths[index], $0) } }
        }.reduce(into: [String: ContentHash](minimumCapacity: paths.count)) { hashes, piece in
            for (path, hash) in piece { hashes[path] = hash }
        }
        let fresh = try Parallel.map(nodes.indices, chunk: 1024) { range in
            range.map { index -> Bool in
                guard recorded[index], let record = lock.stages[nodes[index].name] else { return false }
                return Planner.decide(nodes[index], record: record, hashes: hashes, staleUpstream: [], forced: nil).freshness == .fresh
            }
        }.flatMap { $0 }
        var settled = fresh
        for index in nodes.indices where settled[index] {
            // Upstream stages come first in pipeline order; one outside the selection is fresh.
            settled[index] = nodes[index].upstream.allSatisfy { position[$0].map { settled[$0] } ?? true }
        }
        return settled
    }

    /// Writes the lock file with the records of the stages that ran or were restored (`built`)
    /// and the recorded ones of the rest — unless that is the lock file as it is. A fresh
    /// stage's record takes the roles the pipeline gives its outputs now, and says which of its
    /// (unchanged) param values this run's overrides gave.
    private func record(_ graph: PipelineGraph, lock: LockFile, built: [String: LockFile.StageRecord], at lockPath: String) throws {
        var kept = 0
        let unchanged = built.isEmpty && graph.nodes.allSatisfy { node in
            guard let record = lock.stages[node.name] else { return true }
            kept += 1
            return record.roles == Self.roles(of: node) && record.overridden == node.overriddenParams
        } && kept == lock.stages.count
        guard !unchanged else { return }
        var updated = LockFile()
        updated.stages.reserveCapacity(graph.nodes.count)
        for node in graph.nodes {
            if var record = built[node.name] ?? lock.stages[node.name] {
                record.roles = Self.roles(of: node)
                record.overridden = node.overriddenParams
                updated.stages[node.name] = record
            }
        }
        if updated != lock { try updated.write(to: lockPath) }
    }

    /// Decides, then skips, restores or runs one stage. Returns the new lock record, if any.
    func execute(_ node: PipelineGraph.Node, in graph: PipelineGraph, record: LockFile.StageRecord?,
                 forced: RunReason?) -> (StageEvent, LockFile.StageRecord?) {
        let pipeline = graph.pipeline
        let clock = ContinuousClock()
        let started = clock.now
        var event = StageEvent(pipeline: pipeline, stage: node.name, status: .skipped, reasons: [], seconds: 0)
        func finish(_ status: StageStatus, _ error: CairnError? = nil) -> StageEvent {
            event.status = status
            event.error = error
            event.seconds = (clock.now - started).inSeconds
            return event
        }
        do {
            let hashes = try hasher.currentHashes(of: node.paths, in: workspace)
            let planned = Planner.decide(node, record: record, hashes: hashes, staleUpstream: [], forced: forced)
            event.reasons = planned.freshness.reasons
            guard planned.freshness != .fresh else { return (finish(.skipped), nil) }
            guard let fingerprint = planned.fingerprint else {
                throw CairnError(.stageFailed, "cannot run: " + event.reasons.map(\.description).joined(separator: "; "))
            }
            try storeExternalInputs(of: node, hashes: hashes, storage: graph.inputStorage)
            let claim = forced == nil ? try runCache.claim(fingerprint) : nil
            defer { withExtendedLifetime(claim) {} }
            if forced == nil, let cached = try cachedOutputs(fingerprint, of: node) {
                observer.stageStarted(pipeline: pipeline, stage: node.name, restoring: true)
                do {
                    try restore(cached, node: node, pipeline: pipeline)
                    return (finish(.restored), makeRecord(node, fingerprint, hashes, cached.mapValues(\.hash)))
                } catch let error as CairnError where error.code == .storeDamaged {
                    // A damaged object is as good as missing: the store dropped it, the stage makes it anew.
                    observer.stageWarning(pipeline: pipeline, stage: node.name, text: error.message + "; running the stage instead")
                }
            }
            if cancellation.isCancelled { throw CairnError(.interrupted, "interrupted") }
            observer.stageStarted(pipeline: pipeline, stage: node.name, restoring: false)
            event.logPath = workspace.logPath(pipeline: pipeline, stage: node.name)
            let (outputs, requests) = try withRetries(node, pipeline: pipeline) {
                try runInTemporaryPlace(node, in: graph, logPath: event.logPath!, hashes: hashes, verifyStored: forced != nil)
            }
            try runCache.record(fingerprint, outputs)
            event.rerunRequested = try markForRerun(requests, by: node, in: graph)
            return (finish(.ran), makeRecord(node, fingerprint, hashes, outputs.mapValues(\.hash)))
        } catch let error as CairnError {
            return (finish(.failed, error), nil)
        } catch {
            return (finish(.failed, CairnError(.stageFailed, "\(error)")), nil)
        }
    }

    /// `body`, and again after a failure as many times as the stage's `retries:` allows, each
    /// retry announced as a warning (an executor may give the next attempt more: a cluster job
    /// more memory or time). An interruption is not retried.
    private func withRetries<T>(_ node: PipelineGraph.Node, pipeline: String, _ body: () throws -> T) throws -> T {
        var attempt = 1
        while true {
            do {
                return try body()
            } catch let error as CairnError where attempt <= node.retries && !cancellation.isCancelled && error.code != .interrupted {
                observer.stageWarning(pipeline: pipeline, stage: node.name,
                                      text: "attempt \(attempt) of \(node.retries + 1) failed (\(error.message)); trying again")
                attempt += 1
            }
        }
    }

    /// What the run cache holds for `fingerprint`, if the store can restore all of it — after
    /// fetching the entry and its objects from the remote store, when there is one and it can.
    private func cachedOutputs(_ fingerprint: ContentHash, of node: PipelineGraph.Node) throws -> RunCache.Entry? {
        let local = runCache.lookup(fingerprint)
        if let local, store.canRestore(local, outputsOf: node) { return local }
        guard let remote else { return nil }
        _ = try remote.pull(StoreTransfer.Selection(objects: [], fingerprints: [fingerprint]))
        guard let cached = runCache.lookup(fingerprint), store.canRestore(cached, outputsOf: node) else { return nil }
        return cached
    }

    /// A selection that leaves out stages it reads from runs only if they are fresh: the first
    /// stale one is named instead.
    private func requireFreshFeeders(of selection: StageSelection?, in graph: PipelineGraph, lock: LockFile) throws {
        guard let selection else { return }
        for node in selection.feeding(in: graph) {
            let hashes = try hasher.currentHashes(of: node.paths, in: workspace)
            let planned = Planner.decide(node, record: lock.stages[node.name], hashes: hashes, staleUpstream: [], forced: nil)
            guard planned.freshness == .fresh else {
                throw CairnError(.usage, "stage '\(node.name)' is stale (\(planned.freshness.reasons.map(\.description).joined(separator: "; "))) "
                                 + "and the selected stages read from it",
                                 hint: "run it first, or select it too (without --single or --downstream, -s runs what a stage reads from)")
            }
        }
    }

    private func makeRecord(_ node: PipelineGraph.Node, _ fingerprint: ContentHash, _ hashes: [String: ContentHash],
                            _ outputs: [String: ContentHash]) -> LockFile.StageRecord {
        LockFile.StageRecord(
            kind: node.kind.name, version: node.kind.version, definition: node.config.canonical,
            fingerprint: fingerprint, params: node.params.mapValues(\.canonical),
            // Two inputs may name the same path (train and test both from one table).
            inputs: Dictionary(node.inputs.map { ($0.path, hashes[$0.path]!) }, uniquingKeysWith: { first, _ in first }),
            outputs: outputs, roles: Self.roles(of: node), overridden: node.overriddenParams)
    }

    static func roles(of node: PipelineGraph.Node) -> [String: StageSlots.OutputRole] {
        Dictionary(node.outputs.compactMap { output in output.role.map { (output.path, $0) } }) { first, _ in first }
    }

    /// Keeps the stage's inputs from outside the pipeline (its raw data) in the store, as the
    /// pipeline's `store_inputs:` allows, so that checking out what it built brings them back.
    /// Done before the stage runs: a store that cannot take them fails it with nothing changed.
    private func storeExternalInputs(of node: PipelineGraph.Node, hashes: [String: ContentHash], storage: InputStorage) throws {
        for input in node.inputs where input.producer == nil && input.name != PipelineGraph.rerunEvidenceInput {
            guard let hash = hashes[input.path] else { continue }
            let path = workspace.absolute(input.path)
            let directory = FileSystem.status(path)?.kind == .directory
            guard storage.stores(input.path, size: storage.maxSize == nil ? Int64(0) : FileSystem.totalSize(path)),
                  !store.contains(hash, directory: directory) else { continue }
            do {
                try store.insert(path, hash: hash, trustStatCache: true)
            } catch let error as CairnError where error.code == .storeDamaged {
                throw CairnError(.stageFailed, "input \(input.path) changed while it was being stored; the stage did not run",
                                 hint: "run again once nothing else writes it")
            }
        }
    }

    /// Copies each output out of the store into a temporary place, then moves all into place.
    private func restore(_ cached: RunCache.Entry, node: PipelineGraph.Node, pipeline: String) throws {
        try withTemporaryOutputs(node, pipeline: pipeline) { temporary in
            for output in node.outputs {
                let entry = cached[output.path]!
                try store.restore(entry.hash, directory: entry.directory, to: temporary[output.name]!)
            }
        }
    }

    /// Runs the stage with its outputs pointed at temporary paths; on success stores them, then
    /// moves them into place, and returns what they are. Storing first means a full disk fails
    /// the stage with the previous outputs still in place. `verifyStored`: objects already in
    /// the store are checked byte for byte, and replaced if damaged (`run --force`).
    private func runInTemporaryPlace(_ node: PipelineGraph.Node, in graph: PipelineGraph, logPath: String,
                                     hashes: [String: ContentHash], verifyStored: Bool) throws -> (RunCache.Entry, [RerunAsk]) {
        var entry: RunCache.Entry = [:]
        var requests: [RerunAsk] = []
        let inputsBefore = node.inputs.map { Self.signature(workspace.absolute($0.path)) }
        try withTemporaryOutputs(node, pipeline: graph.pipeline) { temporary in
            let job = StageJob(id: StageID(pipeline: graph.pipeline, stage: node.name), pipelineFile: graph.file, node: node,
                               inputs: Dictionary(uniqueKeysWithValues: node.inputs.map { ($0.name, workspace.absolute($0.path)) }),
                               inputHashes: Dictionary(uniqueKeysWithValues: node.inputs.compactMap { input in hashes[input.path].map { (input.name, $0) } }),
                               outputs: temporary, logPath: logPath)
            requests = try executor.run(job, observer: observer, cancellation: cancellation)
            if cancellation.isCancelled { throw CairnError(.interrupted, "interrupted") }
            for output in node.outputs where !FileSystem.exists(temporary[output.name]!) {
                throw CairnError(.missingOutput, "stage '\(node.name)' did not write its output '\(output.name)' (\(output.path))",
                                 hint: "a command stage must write ${outputs.\(output.name)}")
            }
            // The outputs were made from the inputs as they were hashed before the stage: an input
            // written meanwhile (even if put back) leaves outputs that no fingerprint describes.
            for (input, before) in zip(node.inputs, inputsBefore) where Self.signature(workspace.absolute(input.path)) != before {
                throw CairnError(.stageFailed, "input \(input.path) changed while the stage ran; its outputs are not kept",
                                 hint: "run again once nothing else writes it")
            }
            for output in node.outputs {
                let path = temporary[output.name]!
                guard let hash = try hasher.hash(path) else {
                    throw CairnError(.missingOutput, "output \(output.path) vanished after the stage finished")
                }
                try store.insert(path, hash: hash, verifyExisting: verifyStored, linking: true)
                entry[output.path] = RunCache.Output(hash: hash, directory: FileSystem.status(path)?.kind == .directory)
            }
        }
        for (path, output) in entry where !output.directory { hasher.remember(output.hash, for: workspace.absolute(path)) }
        return (entry, requests)
    }

    /// What a file's or directory's status says of its content: every file's size, modification
    /// time and inode. A write changes it even when the bytes end up as they were.
    static func signature(_ path: String) -> [FileSystem.Status?] {
        guard let status = FileSystem.status(path) else { return [nil] }
        guard status.kind == .directory else { return [status] }
        return ((try? FileSystem.list(path)) ?? []).sorted().flatMap { signature(path + "/" + $0) }
    }

    /// Copies each request's evidence (an output of `node`, a file) to where the named stages
    /// read it from on the next run (`Workspace.rerunEvidencePath`), so that they are stale until
    /// they have run with it. Returns the stages marked.
    private func markForRerun(_ requests: [RerunAsk], by node: PipelineGraph.Node,
                              in graph: PipelineGraph) throws -> [String] {
        var marked: [String] = []
        for (request, evidence) in requests {
            guard let output = node.outputs.first(where: { $0.name == evidence }) else {
                throw CairnError(.stageFailed, "stage '\(node.name)' asked for reruns on the evidence of '\(evidence)', which is not one of its outputs")
            }
            let stages: [String]
            switch request {
            case .stages(let names):
                for name in names where graph.node(named: name) == nil {
                    throw CairnError(.stageFailed, "stage '\(node.name)' asked to rerun '\(name)', which pipeline '\(graph.pipeline)' does not have",
                                     hint: Suggestion.hint(for: name, in: graph.nodes.map(\.name), noun: "stages"))
                }
                stages = names
            case .upstream(let kind):
                let upstream = Planner.upstreamClosure(of: [node.name], in: graph)
                stages = graph.nodes.filter { upstream.contains($0.name) && $0.kind.name == kind }.map(\.name)
            }
            let source = workspace.absolute(output.path), bytes = try FileSystem.readAll(source)
            for stage in stages {
                let destination = workspace.absolute(workspace.rerunEvidencePath(pipeline: graph.pipeline, stage: stage))
                // The same evidence again marks nothing: the stage has run with it, or will.
                if FileSystem.exists(destination), try FileSystem.readAll(destination) == bytes { continue }
                try FileSystem.makeDirectories(FileSystem.parent(of: destination))
                try FileSystem.writeAtomically(bytes, to: destination)
                marked.append(stage)
            }
        }
        return marked
    }

    /// Gives `body` a temporary path per output under `.cairn/tmp`; if it succeeds, moves each
    /// into its real place (replacing what was there); whatever happens, removes the rest.
    private func withTemporaryOutputs(_ node: PipelineGraph.Node, pipeline: String,
                                      _ body: ([String: String]) throws -> Void) throws {
        let directory = "\(workspace.temporaryDirectory)/\(pipeline).\(node.name).\(UInt64.random(in: 0...UInt64.max))"
        defer { try? FileSystem.remove(directory) }
        var temporary: [String: String] = [:]
        for output in node.outputs {
            let place = "\(directory)/\(output.name)"
            try FileSystem.makeDirectories(place)
            temporary[output.name] = place + "/" + (output.path.split(separator: "/").last.map(String.init) ?? output.name)
        }
        try body(temporary)
        // Checked again now: a link may have appeared since the pipeline was loaded.
        for output in node.outputs where !WorkspacePath.resolvesInside(output.path, root: workspace.root) {
            throw CairnError(.pathEscapesWorkspace, "output \(output.path) leads outside the workspace through a symbolic link; not written")
        }
        // A store set elsewhere in the workspace (`store:` in .cairn/config) is as reserved as the default one.
        for output in node.outputs {
            let path = workspace.absolute(output.path)
            if WorkspacePath.contains(store.root, path) || WorkspacePath.contains(path, store.root) {
                throw CairnError(.pathEscapesWorkspace, "output \(output.path) is, lies inside or holds the store \(store.root); not written",
                                 hint: "write outputs elsewhere, or keep the store outside them")
            }
        }
        for output in node.outputs {
            try FileSystem.replace(workspace.absolute(output.path), with: temporary[output.name]!)
        }
    }
}
