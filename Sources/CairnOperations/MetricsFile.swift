import CairnSpec
import CairnSupport

/// Metrics files: outputs named `*metrics*.json`, read as flat JSON (the top-level scalars),
/// the shape DVC users know.
public enum MetricsFile {
    public static func matches(_ path: String) -> Bool {
        let name = path.split(separator: "/").last ?? ""
        return name.contains("metrics") && name.hasSuffix(".json")
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
