import CairnEngine
import CairnGit
import CairnSupport

/// `cairn gc`: removes store objects that nothing kept refers to. Kept are the inputs and
/// outputs named by the workspace's lock files, by the lock files of every commit on a branch,
/// tag or remote-tracking branch, and by the last N recorded runs (every one by default).
/// Takes the workspace lock before reading the lock files: a run holding it may be storing what
/// it will record.
public struct GarbageCollection {
    public struct Outcome: Sendable {
        public var freed: StoreMaintenance.Report
        /// Recorded runs whose objects were kept.
        public var keptRuns: Int
        /// Commits of the history whose lock files were read.
        public var keptCommits: Int
    }

    public let session: Session

    public init(session: Session) { self.session = session }

    static let keptRefs = ["refs/heads/*", "refs/tags/*", "refs/remotes/*"]

    /// - Parameter keepLast: keep what the last N recorded runs refer to; nil for every one.
    public func collect(keepLast: Int?, dryRun: Bool) throws -> Outcome {
        let workspace = session.workspace
        let lock = try WorkspaceLock(path: workspace.lockPath, wait: true) { _ in }
        defer { withExtendedLifetime(lock) {} }
        var roots: Set<ContentHash> = []
        func keep(_ lock: LockFile) {
            for record in lock.stages.values { roots.formUnion(record.outputs.values); roots.formUnion(record.inputs.values) }
        }
        try session.lockFiles().values.forEach(keep)
        var keptRuns = 0, keptCommits = 0
        if let lineage = session.lineage() {
            let runs = try lineage.history(limit: keepLast ?? .max)
            keptRuns = runs.count
            for run in runs { try lineage.locks(at: run).values.forEach(keep) }
            // Experiments keep what their runs made until `cairn exp remove` forgets them.
            for (_, commit) in try lineage.repository.references(matching: ExperimentStore.prefix + "*") {
                try lineage.locks(at: commit).values.forEach(keep)
            }
            var read: Set<GitRepository.ObjectID> = []
            let commits = try lineage.repository.commits(reachableFrom: Self.keptRefs)
            keptCommits = commits.count
            for commit in commits {
                for entry in try lineage.lockEntries(at: commit).values where read.insert(entry.blob).inserted {
                    keep(try lineage.lock(entry, of: commit))
                }
            }
        }
        let store = try session.makeStore()
        if !dryRun {
            let leftovers = Leftovers(workspace: workspace)
            leftovers.clean(outputs: try session.loadGraphs().flatMap { $0.nodes.flatMap { $0.outputs.map(\.path) } })
            leftovers.removeIncoming(in: store)
        }
        return Outcome(freed: try StoreMaintenance(store: store).collectGarbage(keeping: roots, dryRun: dryRun),
                       keptRuns: keptRuns, keptCommits: keptCommits)
    }
}
