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

        /// The artifact's hash: the output's, when the artifact is the output itself.
        public func hash(of path: String) -> ContentHash? { record.outputs[path] ?? record.outputs[output] }
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

    /// One recorded run: its lineage commit, its record and the lock files it left.
    public struct RecordedRun: Sendable {
        public var commit: GitRepository.ObjectID
        public var run: RunRecord
        public var locks: [String: LockFile]
    }

    /// Every recorded run, newest first (a lineage commit without a readable record is left out).
    public func runs() throws -> [RecordedRun] {
        try history().compactMap { commit in
            try run(at: commit).map { RecordedRun(commit: commit, run: $0, locks: try locks(at: commit)) }
        }
    }

    /// The newest of `runs` that built the producer's stage as its lock record has it (ran or
    /// restored it, with that fingerprint, to those outputs): found by content, so a commit
    /// made before or after the run finds it alike.
    public static func build(of producer: Producer, in runs: [RecordedRun]) -> RecordedRun? {
        runs.first { recorded in
            guard recorded.run.stages.contains(where: { $0.id == producer.id && $0.status.changedOutputs }),
                  let record = recorded.locks[producer.pipeline]?.stages[producer.stage] else { return false }
            return record.fingerprint == producer.record.fingerprint && record.outputs == producer.record.outputs
        }
    }
}
