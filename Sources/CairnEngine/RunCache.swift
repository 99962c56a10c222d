import CairnCore
import FoundationEssentials

/// Fingerprint → what the stage produced, kept in the store (`runs/AB/CDEF….json`) so that a
/// stage whose definition and inputs were seen before is restored instead of rerun — also
/// after reverting a change, and also in another workspace sharing the store.
public struct RunCache: Sendable {
    public struct Output: Codable, Sendable, Equatable {
        public var hash: ContentHash
        public var directory: Bool
    }

    /// Output path → what was there.
    public typealias Entry = [String: Output]

    public let root: String

    public init(storeRoot: String) { root = storeRoot + "/runs" }

    private func path(_ fingerprint: ContentHash) -> String {
        "\(root)/\(fingerprint.hex.prefix(2))/\(fingerprint.hex.dropFirst(2)).json"
    }

    public func lookup(_ fingerprint: ContentHash) -> Entry? {
        guard let bytes = try? FileSystem.readAll(path(fingerprint)) else { return nil }
        return try? JSONDecoder().decode(Entry.self, from: Data(bytes))
    }

    public func record(_ fingerprint: ContentHash, _ entry: Entry) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        try FileSystem.writeAtomically(Array(try encoder.encode(entry)), to: path(fingerprint))
    }
}
