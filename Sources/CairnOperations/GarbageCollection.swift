import CairnEngine
import CairnGit
import CairnSpec
import CairnSupport

/// `cairn gc`: removes store objects that no lock file in the workspace, and no kept lineage
/// commit, refers to. Takes the workspace lock before reading the lock files: a run holding it
/// may be storing what it will record.
public struct GarbageCollection {
    public struct Outcome: Sendable {
        public var freed: StoreMaintenance.Report
        /// Lineage commits whose outputs were kept.
        public var keptRuns: Int
    }

    public let session: Session

    public init(session: Session) { self.session = session }

    /// - Parameter keepLast: keep what the last N recorded runs refer to; nil for every one.
    public func collect(keepLast: Int?, dryRun: Bool) throws -> Outcome {
        let workspace = session.workspace
        let lock = try WorkspaceLock(path: workspace.lockPath, wait: true) { _ in }
        defer { withExtendedLifetime(lock) {} }
        var roots: Set<ContentHash> = []
        for file in session.files {
            let lock = try LockFile.load(workspace.lockFilePath(pipeline: PipelineSpecParser.pipelineName(of: file)))
            roots.formUnion(lock.stages.values.flatMap(\.outputs.values))
        }
        var kept = 0
        if let repository = GitRepository.discover(workspace.root) {
            let lineage = Lineage(repository: repository)
            let commits = try lineage.history(limit: keepLast ?? .max)
            kept = commits.count
            for commit in commits {
                for lock in try lineage.locks(at: commit).values { roots.formUnion(lock.stages.values.flatMap(\.outputs.values)) }
            }
        }
        let store = try session.makeStore()
        if !dryRun {
            let leftovers = Leftovers(workspace: workspace)
            leftovers.clean(outputs: try session.loadGraphs().flatMap { $0.nodes.flatMap { $0.outputs.map(\.path) } })
            leftovers.removeIncoming(in: store)
        }
        return Outcome(freed: try StoreMaintenance(store: store).collectGarbage(keeping: roots, dryRun: dryRun), keptRuns: kept)
    }
}
