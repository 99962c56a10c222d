import CairnCore
import CairnEngine
import CairnSpec
import Synchronization

/// Remembers the values in the pipelines' metrics files (outputs named `*metrics*.json`, flat
/// JSON) before a run, to say afterwards which changed.
final class MetricsTracker: Sendable {
    struct Change {
        var path: String
        var key: String
        var old: String?
        var new: String?
    }

    private let before = Mutex<[String: [String: String]]>([:])

    func remember(_ graphs: [PipelineGraph]) {
        let values = Dictionary(uniqueKeysWithValues: Self.metricsFiles(graphs).map { ($0, Self.values(of: $0)) })
        before.withLock { $0 = values }
    }

    func changes(_ graphs: [PipelineGraph], events: [StageEvent]) -> [Change] {
        let rebuilt = Set(events.filter { $0.status == .ran || $0.status == .restored }.map(\.stage))
        let old = before.withLock { $0 }
        var changes: [Change] = []
        for graph in graphs {
            for node in graph.nodes where rebuilt.contains(node.name) {
                for output in node.outputs where Self.isMetrics(output.path) {
                    let previous = old[output.path] ?? [:]
                    let current = Self.values(of: output.path)
                    for key in Set(previous.keys).union(current.keys).sorted() where previous[key] != current[key] {
                        changes.append(Change(path: output.path, key: key, old: previous[key], new: current[key]))
                    }
                }
            }
        }
        return changes
    }

    private static func isMetrics(_ path: String) -> Bool {
        let name = path.split(separator: "/").last ?? ""
        return name.contains("metrics") && name.hasSuffix(".json")
    }

    private static func metricsFiles(_ graphs: [PipelineGraph]) -> [String] {
        graphs.flatMap { $0.nodes.flatMap { $0.outputs.map(\.path) } }.filter(isMetrics)
    }

    /// Top-level scalar values; anything unreadable is no values (it is only a report).
    private static func values(of path: String) -> [String: String] {
        guard let bytes = try? FileSystem.readAll(path), let root = try? YAMLDocument.parse(bytes, file: path) else { return [:] }
        var result: [String: String] = [:]
        for entry in root.entries ?? [] { if let text = entry.value.scalarText { result[entry.name] = text } }
        return result
    }
}
