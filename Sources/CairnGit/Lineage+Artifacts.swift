import CairnEngine
import CairnSupport

extension Lineage {
    /// The stage that produced an artifact, as a lock file recorded it.
    public struct Producer: Sendable {
        public var pipeline: String
        public var stage: String
        public var record: LockFile.StageRecord
        /// The output path (the artifact, or the folder output it lies in).
        public var output: String

        public var id: StageID { StageID(pipeline: pipeline, stage: stage) }
    }

    /// The stage whose output is `path` or contains it.
    public static func producer(of path: String, in locks: [String: LockFile]) -> Producer? {
        for (pipeline, lock) in locks.sorted(by: { $0.key < $1.key }) {
            for (stage, record) in lock.stages.sorted(by: { $0.key < $1.key }) {
                if let output = record.outputs.keys.first(where: { WorkspacePath.contains($0, path) }) {
                    return Producer(pipeline: pipeline, stage: stage, record: record, output: output)
                }
            }
        }
        return nil
    }

    /// The lineage commit, at or before `commit`, whose run built this stage with this
    /// fingerprint (ran or restored it), with that run's record.
    public func build(of producer: Producer, from commit: GitRepository.ObjectID) throws
        -> (commit: GitRepository.ObjectID, run: RunRecord)? {
        var next: GitRepository.ObjectID? = commit
        while let id = next {
            if let run = try run(at: id),
               run.stages.contains(where: { $0.id == producer.id && $0.status.changedOutputs }),
               try locks(at: id)[producer.pipeline]?.stages[producer.stage]?.fingerprint == producer.record.fingerprint {
                return (id, run)
            }
            next = try repository.commit(id).parents.first
        }
        return nil
    }
}
