import CairnEngine
import Synchronization

/// Remembers the values in the pipelines' metrics files (outputs whose role is metrics, flat
/// JSON) before a run, to say afterwards which changed.
public final class MetricsTracker: Sendable {
    public struct Change: Sendable, Equatable {
        public var path: String
        public var key: String
        public var old: String?
        public var new: String?
    }

    private let before = Mutex<[String: [String: String]]>([:])

    public init() {}

    public func remember(_ graphs: [PipelineGraph]) {
        let values = Dictionary(Self.metricsFiles(graphs).map { ($0, MetricsFile.values(atPath: $0)) }) { first, _ in first }
        before.withLock { $0 = values }
    }

    public func changes(_ graphs: [PipelineGraph], events: [StageEvent]) -> [Change] {
        let rebuilt = Set(events.filter(\.status.changedOutputs).map(\.id))
        let old = before.withLock { $0 }
        var changes: [Change] = []
        for graph in graphs {
            for node in graph.nodes where rebuilt.contains(StageID(pipeline: graph.pipeline, stage: node.name)) {
                for output in node.outputs where output.role == .metrics {
                    let previous = old[output.path] ?? [:]
                    let current = MetricsFile.values(atPath: output.path)
                    for key in Set(previous.keys).union(current.keys).sorted() where previous[key] != current[key] {
                        changes.append(Change(path: output.path, key: key, old: previous[key], new: current[key]))
                    }
                }
            }
        }
        return changes
    }

    private static func metricsFiles(_ graphs: [PipelineGraph]) -> [String] {
        MetricsFile.paths(in: graphs).sorted()
    }
}
