import CairnEngine
import CairnSpec
import CairnSupport
import StageCatalog

/// `cairn metrics diff` and `cairn params diff`: named values at two points side by side —
/// as the lock files a revision pins have them, or as the workspace has them now.
public struct ValueComparison: Sendable {
    /// "A name → value" table at one point.
    public typealias Values = [String: String]

    public struct Row: Sendable, Equatable {
        public var key: String
        public var old: String?
        public var new: String?

        public init(key: String, old: String?, new: String?) {
            (self.key, self.old, self.new) = (key, old, new)
        }

        /// new − old, when both read as numbers.
        public var delta: Double? {
            guard let old = old.flatMap(Double.init), let new = new.flatMap(Double.init) else { return nil }
            return new - old
        }
    }

    public let session: Session

    public init(session: Session) { self.session = session }

    /// One row per key of either side, by key.
    public static func rows(_ old: Values, _ new: Values) -> [Row] {
        Set(old.keys).union(new.keys).sorted().map { Row(key: $0, old: old[$0], new: new[$0]) }
    }

    /// `PATH:KEY` → value of every output the lock files record with the role metrics, read from
    /// the store by hash; `label` names where the lock files come from when one is missing.
    public func metrics(recorded locks: [String: LockFile], label: String) throws -> Values {
        let store = try session.makeStore()
        var values: Values = [:]
        for (path, hash) in locks.values.flatMap({ $0.stages.values.flatMap { $0.outputs(withRole: .metrics) } }) {
            guard store.contains(hash, directory: false) else {
                throw CairnError(.storeMissing, "the metrics file \(path) of \(label) (\(hash.short)) is not in the store at \(store.root)",
                                 hint: "`cairn pull` fetches it from the remote store, or `cairn checkout` at that commit after a rerun")
            }
            for (key, value) in MetricsFile.values(try store.read(hash), file: path) { values["\(path):\(key)"] = value }
        }
        return values
    }

    /// `PATH:KEY` → value of every metrics file the pipelines write, as it is in the workspace now.
    public func currentMetrics() throws -> Values {
        var values: Values = [:]
        for output in try session.loadGraphs().flatMap({ $0.nodes.flatMap(\.outputs) }) where output.role == .metrics {
            for (key, value) in MetricsFile.values(atPath: session.workspace.absolute(output.path)) { values["\(output.path):\(key)"] = value }
        }
        return values
    }

    /// `PIPELINE:KEY` → value of every params-file key the recorded stages used, and
    /// `PIPELINE:STAGE:PATH` → value of every leaf of a built-in stage's `with:` (a model's
    /// hyperparameters, a split's seed), as canonical text.
    public static func params(recorded locks: [String: LockFile]) -> Values {
        var values: Values = [:]
        for (pipeline, lock) in locks {
            for (stage, record) in lock.stages {
                for (key, value) in record.params { values["\(pipeline):\(key)"] = value }
                guard StageCatalog.kinds[record.kind]?.slots.declaredByPipeline == false,
                      let config = try? YAMLDocument.parse(Array(record.definition.utf8), file: "lock file") else { continue }
                for (path, value) in config.leaves where !path.isEmpty { values["\(pipeline):\(stage):\(path)"] = value }
            }
        }
        return values
    }

    /// `PIPELINE:KEY` of every param value the recorded stages had from `cairn run -S`.
    public static func overridden(recorded locks: [String: LockFile]) -> Set<String> {
        Set(locks.flatMap { pipeline, lock in lock.stages.values.flatMap { $0.overridden.map { "\(pipeline):\($0)" } } })
    }

    /// The same, for the pipelines' stages as they are now; a value the workspace's last run
    /// had from `cairn run -S` is that value (see `overridden`), as its outputs were made with it.
    public func currentParams() throws -> Values {
        var values: Values = [:]
        let locks = try session.lockFiles()
        for graph in try session.loadGraphs() {
            for node in graph.nodes {
                let record = locks[graph.pipeline]?.stages[node.name]
                for (key, value) in node.params {
                    let overridden = record?.overridden.contains(key) == true ? record?.params[key] : nil
                    values["\(graph.pipeline):\(key)"] = overridden ?? value.canonical
                }
                guard !node.kind.slots.declaredByPipeline else { continue }
                for (path, value) in node.config.leaves where !path.isEmpty { values["\(graph.pipeline):\(node.name):\(path)"] = value }
            }
        }
        return values
    }
}
