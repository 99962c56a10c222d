import CairnEngine
import CairnSpec
import StageCatalog

/// `cairn metrics diff` and `cairn params diff`: named values at two points side by side —
/// as recorded lock files have them, or as the workspace has them now.
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
    /// The pipelines as they are now, loaded once for every comparison made with this value.
    private let graphs: [PipelineGraph]

    public init(session: Session) throws {
        self.session = session
        graphs = try session.loadGraphs()
    }

    /// One row per key of either side, by key.
    public static func rows(_ old: Values, _ new: Values) -> [Row] {
        Set(old.keys).union(new.keys).sorted().map { Row(key: $0, old: old[$0], new: new[$0]) }
    }

    /// `PATH:KEY` → value of every metrics file the lock files record, read from the store
    /// (files the store lacks are left out). Which outputs are metrics is what the pipelines
    /// say now.
    public func metrics(recorded locks: [String: LockFile]) throws -> Values {
        let store = try session.makeStore()
        let metricsPaths = MetricsFile.paths(in: graphs)
        var values: Values = [:]
        for (path, hash) in locks.values.flatMap({ $0.stages.values.flatMap(\.outputs) }) where metricsPaths.contains(path) {
            guard let bytes = try? store.read(hash) else { continue }
            for (key, value) in MetricsFile.values(bytes, file: path) { values["\(path):\(key)"] = value }
        }
        return values
    }

    /// `PATH:KEY` → value of every metrics file the pipelines write, as it is in the workspace now.
    public func currentMetrics() -> Values {
        var values: Values = [:]
        for output in graphs.flatMap({ $0.nodes.flatMap(\.outputs) }) where output.role == .metrics {
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

    /// The same, for the pipelines' stages as they are now.
    public func currentParams() -> Values {
        var values: Values = [:]
        for graph in graphs {
            for node in graph.nodes {
                for (key, value) in node.params { values["\(graph.pipeline):\(key)"] = value.canonical }
                guard !node.kind.slots.declaredByPipeline else { continue }
                for (path, value) in node.config.leaves where !path.isEmpty { values["\(graph.pipeline):\(node.name):\(path)"] = value }
            }
        }
        return values
    }
}
