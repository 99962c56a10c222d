import CairnCore
import CairnSupport
import Glibc

/// `store_inputs:` of a pipeline: which of the files it reads from outside (the raw data) go
/// into the store when a run records them, so that `cairn checkout REV` brings back the data a
/// model was made from. By default every one does: a pin whose bytes cannot come back is no
/// pin, and the store keeps each content once, so data that did not change costs nothing more.
/// An excluded or oversized input is still hashed and recorded; only its bytes are not kept.
public struct InputStorage: Sendable, Equatable, Decodable {
    /// Path patterns (`fnmatch`, where `*` also crosses `/`); a pattern naming a folder covers
    /// what lies in it.
    public var exclude: [String]
    /// Inputs larger than this (a folder: its files together) are not stored.
    public var maxSize: ByteSize?

    public static let everything = InputStorage(exclude: [], maxSize: nil)

    public init(exclude: [String], maxSize: ByteSize?) {
        self.exclude = exclude
        self.maxSize = maxSize
    }

    enum CodingKeys: String, CodingKey {
        case exclude
        case maxSize = "max_size"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        exclude = try container.decodeIfPresent([String].self, forKey: .exclude) ?? []
        maxSize = try container.decodeIfPresent(ByteSize.self, forKey: .maxSize)
    }

    /// Whether the input at `path` (workspace-relative) of `size` bytes goes into the store.
    public func stores(_ path: String, size: Int64) -> Bool {
        if let maxSize, size > maxSize.bytes { return false }
        return !exclude.contains { pattern in
            fnmatch(pattern, path, 0) == 0 || WorkspacePath.contains(pattern, path)
        }
    }
}

/// A number of bytes, written as a whole number or with a unit: `500 MB`, `2 GiB`, `1.5GB`.
public struct ByteSize: Sendable, Equatable, Decodable {
    public var bytes: Int64

    public init(bytes: Int64) { self.bytes = bytes }

    static let units: [(suffix: String, factor: Double)] = [
        ("kib", 1024), ("mib", 1024 * 1024), ("gib", 1024 * 1024 * 1024), ("tib", 1024 * 1024 * 1024 * 1024),
        ("kb", 1e3), ("mb", 1e6), ("gb", 1e9), ("tb", 1e12), ("b", 1),
    ]

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let whole = try? container.decode(Int64.self), whole >= 0 {
            bytes = whole
            return
        }
        let text = (try? container.decode(String.self)) ?? ""
        let compact = text.lowercased().filter { !$0.isWhitespace }
        let unit = Self.units.first { compact.hasSuffix($0.suffix) }
        let number = Double(unit.map { String(compact.dropLast($0.suffix.count)) } ?? compact)
        guard let number, number >= 0, number * (unit?.factor ?? 1) < 9e18 else {
            throw CairnError(.invalidValue, "'\(text)' is no size", hint: "write bytes, or a number with B, KB, MB, GB, TB, KiB, MiB, GiB or TiB")
        }
        bytes = Int64((number * (unit?.factor ?? 1)).rounded())
    }
}
