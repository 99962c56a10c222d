import CairnSupport
import FoundationEssentials

/// Cairn's readable JSON artifacts (transforms, models, metrics): pretty-printed with sorted keys, so that
/// equal values give equal bytes, and read back with a clear error when a file is not one.
public enum JSONFile {
    public static func write(_ value: some Encodable, to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try FileSystem.writeAtomically(Array(try encoder.encode(value)) + [10], to: path)
    }

    /// A JSON file of `type`; `what` names the kind of file in errors ("metrics", "model").
    public static func decode<T: Decodable>(_ type: T.Type, from path: String, displayName: String? = nil, what: String) throws -> T {
        let bytes = try FileSystem.readAll(path)
        do {
            return try JSONDecoder().decode(T.self, from: Data(bytes))
        } catch let error as CairnError {
            throw error
        } catch {
            throw CairnError(.invalidData, "\(displayName ?? path) is not a readable \(what) file", cause: "\(error)")
        }
    }

    static func read<T: VersionedArtifact>(_ type: T.Type, from path: String, displayName: String?, what: String) throws -> T {
        let value = try decode(type, from: path, displayName: displayName, what: what)
        guard value.format == T.formatName, value.version == 1 else {
            throw CairnError(.invalidData, "\(displayName ?? path) is not a version 1 \(T.formatName) file")
        }
        return value
    }
}

/// A JSON artifact that names its format and version, so that a reader refuses other files.
protocol VersionedArtifact: Codable {
    static var formatName: String { get }
    var format: String { get }
    var version: Int { get }
}
