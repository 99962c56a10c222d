import CairnEngine
import CairnSpec
import CairnSupport

/// Metrics files: outputs whose role is `metrics` (the evaluate stage's, or those a pipeline
/// lists under a stage's `metrics:`), read as flat JSON (the top-level scalars), as DVC does.
public enum MetricsFile {
    /// The paths of every metrics output of `graphs`.
    public static func paths(in graphs: [PipelineGraph]) -> Set<String> {
        Set(graphs.flatMap { $0.nodes.flatMap(\.outputs) }.filter { $0.role == .metrics }.map(\.path))
    }

    /// Top-level scalar values in file order; unreadable bytes give none (a report, not an input).
    public static func values(_ bytes: [UInt8], file: String) -> [(key: String, value: String)] {
        guard let root = try? YAMLDocument.parse(bytes, file: file) else { return [] }
        return (root.entries ?? []).compactMap { entry in entry.value.scalarText.map { (entry.name, $0) } }
    }

    public static func values(atPath path: String) -> [String: String] {
        guard let bytes = try? FileSystem.readAll(path) else { return [:] }
        return Dictionary(values(bytes, file: path)) { first, _ in first }
    }
}
