import CairnCore
import CairnEngine
import CairnGit
import CairnSpec
import CairnSupport
import Dispatch
import Glibc
import Synchronization

/// A workspace's experiments, queued, run and applied. Each variant runs in its own copy of the workspace (`WorkspaceCopy`) with its
/// params written into the copy's params files, all sharing the store and the run cache, so
/// that a stage every variant has in common runs once and is restored for the others (the run
/// cache's claims make a variant wait while another makes it). Up to `jobs` stages run at once,
/// spread over the variants running side by side. Each ends as a ref (`ExperimentStore`), failed
/// or not; one failing does not stop the others.
public struct Experiments: Sendable {
    public let session: Session
    public let experiments: ExperimentStore

    public init(session: Session) throws {
        guard let lineage = session.lineage() else {
            throw CairnError(.usage, "experiments live in the git repository, and \(session.workspace.root) is in none",
                             hint: "`cairn init` makes one")
        }
        self.session = session
        experiments = ExperimentStore(lineage: lineage)
    }

    /// Names for `variants`: `name` (or `name-1`, `name-2`, … for several), else `exp-` and six
    /// hex digits of the base commit and the values, so that the same variant keeps its name.
    public static func names(for variants: [Sweep.Variant], base: String?, prefix name: String?) throws -> [String] {
        if let name {
            try ExperimentStore.check(name: name)
            return variants.count == 1 ? [name] : variants.indices.map { "\(name)-\($0 + 1)" }
        }
        return variants.map { variant in
            let text = (base ?? "") + variant.map { "\n\($0.key)=\($0.value.canonical)" }.joined()
            return "exp-" + ContentHasher.digest(Array(text.utf8)).hex.prefix(6)
        }
    }

    /// Checks that every key of the sweep is in a params file, and records the variants as
    /// queued. Returns them.
    public func queue(_ variants: [Sweep.Variant], prefix name: String?) throws -> [Experiment] {
        let files = try paramsFiles()
        for key in Set(variants.flatMap { $0.map(\.key) }) where !files.contains(where: { $0.root.lookup(dottedKey: key) != nil }) {
            throw CairnError(.unknownParam, "no params file of the pipelines has '\(key)'",
                             hint: files.isEmpty ? "add 'params: params.yaml' to the pipeline and the key to it"
                                                 : Suggestion.hint(for: key, in: files.flatMap(\.root.dottedKeys), noun: "params"))
        }
        let base = experiments.repository.resolve("HEAD")
        let now = Int(time(nil))
        let queued = zip(try Self.names(for: variants, base: base, prefix: name), variants).map { name, variant in
            Experiment(name: name, status: .queued, created: now, base: base,
                       params: variant.map { ($0.key, YAMLEdit.text(of: $0.value)) })
        }
        for experiment in queued { try experiments.save(experiment, lockFiles: [:]) }
        return queued
    }

    /// Every queued experiment, oldest first.
    public func queued() throws -> [Experiment] { try experiments.all().map(\.experiment).filter { $0.status == .queued } }

    /// Runs `queued`, at most `jobs` stages at once; `observer(name)` sees each one's stages,
    /// `finished` each experiment as it ends. Holds the workspace's lock meanwhile: nothing
    /// changes the workspace the copies are made from.
    /// `executor(copy)`: where a variant's stages run (nil: here); on a cluster, jobs of every variant at once.
    public func run(_ queued: [Experiment], jobs: Int, cancellation: Cancellation,
                    executor: @escaping @Sendable (Workspace) throws -> (any StageExecutor)? = { _ in nil },
                    observer: @escaping @Sendable (String) -> any RunObserver,
                    finished: @escaping @Sendable (Experiment) -> Void) throws -> [Experiment] {
        let lock = try WorkspaceLock(path: session.workspace.lockPath, wait: true) { _ in }
        defer { withExtendedLifetime(lock) {} }
        let store = try session.makeStore()
        let lanes = max(1, min(jobs, queued.count))
        let next = Mutex(0)
        let results = Mutex([Experiment?](repeating: nil, count: queued.count))
        let group = DispatchGroup()
        for _ in 0..<lanes {
            DispatchQueue.global().async(group: group) {
                while true {
                    let index = next.withLock { index in defer { index += 1 }; return index }
                    guard index < queued.count else { return }
                    let experiment = cancellation.isCancelled ? queued[index]
                        : self.runOne(queued[index], store: store, jobs: max(1, jobs / lanes), cancellation: cancellation,
                                      executor: executor, observer: observer(queued[index].name))
                    results.withLock { $0[index] = experiment }
                    if experiment.status != .queued { finished(experiment) }
                }
            }
        }
        group.wait()
        return results.withLock { $0.compactMap { $0 } }
    }

    private func runOne(_ queued: Experiment, store: Store, jobs: Int, cancellation: Cancellation,
                        executor: (Workspace) throws -> (any StageExecutor)?, observer: any RunObserver) -> Experiment {
        var experiment = queued
        experiment.created = Int(time(nil))
        experiment.base = experiments.repository.resolve("HEAD")
        let place = "\(session.workspace.temporaryDirectory)/exp-\(queued.name)-\(UInt64.random(in: 0...UInt64.max))"
        defer { try? FileSystem.remove(place) }
        var lockFiles: [String: [UInt8]] = [:]
        do {
            let copy = try WorkspaceCopy(of: session.workspace, at: place, store: store)
            try writeParams(experiment.params, in: copy.copy)
            let variant = Session(workspace: copy.copy, files: session.files, hasher: copy.hasher(from: session.hasher))
            let graphs = try variant.loadGraphs()
            // The shared store, through the variant's hasher: what it stores and restores is the copy's files.
            let outcome = try WorkspaceRun(workspace: copy.copy, hasher: variant.hasher, store: Store(root: store.root, hasher: variant.hasher),
                                           executor: try executor(copy.copy))
                .perform(graphs, options: Runner.Options(jobs: jobs), observer: observer, cancellation: cancellation, wait: true) { _ in }
            for event in outcome.events { experiment.stages[event.status.rawValue, default: 0] += 1 }
            for graph in graphs {
                let path = copy.copy.lockFilePath(pipeline: graph.pipeline)
                if FileSystem.exists(path) { lockFiles[graph.pipeline] = try FileSystem.readAll(path) }
            }
            if let failure = outcome.events.first(where: { $0.status == .failed }) {
                experiment.status = .failed
                experiment.error = "\(failure.id): " + (failure.error?.message ?? "failed")
            } else if cancellation.isCancelled {
                experiment.status = .failed
                experiment.error = "interrupted"
            } else {
                experiment.status = .succeeded
            }
            // A failed variant shows what metrics it got to; a succeeded one must have them all.
            let metrics = { try ValueComparison(session: variant).metrics(recorded: try variant.lockFiles(), label: "experiment \(queued.name)") }
            experiment.metrics = experiment.status == .succeeded ? try metrics() : (try? metrics()) ?? [:]
        } catch {
            experiment.status = .failed
            experiment.error = (error as? CairnError)?.description ?? "\(error)"
        }
        experiment.finished = Int(time(nil))
        do {
            try experiments.save(experiment, lockFiles: lockFiles)
        } catch {
            experiment.status = .failed
            experiment.error = "not recorded: \(error)"
        }
        return experiment
    }

    /// The params files of the session's pipelines, as they are now.
    private func paramsFiles() throws -> [ParamsFile] {
        var seen: Set<String> = []
        return try session.loadGraphs().compactMap(\.paramsFile).filter { seen.insert($0).inserted }.map { path in
            ParamsFile(path: path, root: try YAMLDocument.parse(try FileSystem.readAll(session.workspace.absolute(path)), file: path))
        }
    }

    /// Puts a succeeded experiment's outputs and lock files into the workspace (refusing to
    /// overwrite changes not run yet, unless `force`), then its params into the params files:
    /// the workspace is then as if it had run the variant, and `git commit` pins it.
    public func apply(_ name: String, force: Bool) throws -> Checkout.Outcome {
        let (experiment, commit) = try experiments.named(name)
        guard experiment.status == .succeeded else {
            throw CairnError(.usage, "experiment \(name) \(experiment.status == .queued ? "has not run yet" : "failed"); there is nothing to apply")
        }
        let outcome = try Checkout(session: session, store: try session.makeStore())
            .restore(try experiments.locks(at: commit), paths: [], label: "experiment \(name)", force: force)
        try writeParams(experiment.params, in: session.workspace)
        return outcome
    }

    /// Writes `params` into each params file of `workspace` that has the key, in its text.
    private func writeParams(_ params: [(key: String, value: String)], in workspace: Workspace) throws {
        for file in try paramsFiles() {
            let here = Dictionary(params.filter { file.root.lookup(dottedKey: $0.key) != nil }.map { ($0.key, $0.value) }) { _, last in last }
            guard !here.isEmpty else { continue }
            let path = workspace.absolute(file.path)
            try FileSystem.writeAtomically(try YAMLEdit.replacing(here, in: try FileSystem.readAll(path), file: file.path), to: path)
        }
    }
}
