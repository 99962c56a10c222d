import CairnCore
import CairnSpec
import CairnSupport

/// Fingerprint → what the stage produced, kept in the store (`runs/AB/CDEF….json`) so that a
/// stage whose definition and inputs were seen before is restored instead of rerun — also
/// after reverting a change, and also in another workspace sharing the store.
public struct RunCache: Sendable {
    public struct Output: Sendable, Equatable {
        public var hash: ContentHash
        public var directory: Bool
    }

    /// Output path → what was there.
    public typealias Entry = [String: Output]

    public let root: String

    public init(storeRoot: String) { root = storeRoot + "/runs" }

    /// Where an entry lies under the store's root, the same in every store, local or remote.
    public static func key(_ fingerprint: ContentHash) -> String {
        "runs/\(fingerprint.hex.prefix(2))/\(fingerprint.hex.dropFirst(2)).json"
    }

    private func path(_ fingerprint: ContentHash) -> String { FileSystem.parent(of: root) + "/" + Self.key(fingerprint) }

    /// The outputs recorded for `fingerprint`; nil when unknown or unreadable (it is only a cache).
    public func lookup(_ fingerprint: ContentHash) -> Entry? {
        let file = path(fingerprint)
        return (try? FileSystem.readAll(file)).flatMap { Self.decode($0, file: file) }
    }

    /// An entry's bytes as stored; nil when there is none.
    public func bytes(of fingerprint: ContentHash) -> [UInt8]? { try? FileSystem.readAll(path(fingerprint)) }

    /// An entry from its stored bytes; nil when they are not one.
    public static func decode(_ bytes: [UInt8], file: String) -> Entry? {
        guard let root = try? JSONValue.parse(bytes, file: file), let members = root.members else { return nil }
        var entry: Entry = [:]
        for item in members {
            // A shared store may hold anything: an entry naming a path Cairn would never write is no entry.
            guard WorkspacePath.problem(item.key) == nil, let hash = item.value["hash"]?.string, ContentHash.isValid(hash),
                  let directory = item.value["directory"]?.bool else { return nil }
            entry[item.key] = Output(hash: ContentHash(hex: hash), directory: directory)
        }
        return entry
    }

    /// Every fingerprint recorded, with the file that holds it.
    public func fingerprints() throws -> [(fingerprint: ContentHash, file: String)] {
        guard FileSystem.exists(root) else { return [] }
        var result: [(ContentHash, String)] = []
        for prefix in try FileSystem.list(root) {
            for name in try FileSystem.list(root + "/" + prefix) where name.hasSuffix(".json") {
                let hex = prefix + name.dropLast(5)
                if ContentHash.isValid(hex) { result.append((ContentHash(hex: hex), "\(root)/\(prefix)/\(name)")) }
            }
        }
        return result
    }

    /// Waits until no other run is making `fingerprint`, and keeps others waiting while the
    /// claim lives.
    public func claim(_ fingerprint: ContentHash) throws -> RunClaim { try RunClaim(root: root, fingerprint: fingerprint) }

    public func record(_ fingerprint: ContentHash, _ entry: Entry) throws {
        let json = JSONValue.object(entry.sorted { $0.key < $1.key }.map { path, output in
            (path, .object([("hash", .string(output.hash.hex)), ("directory", .bool(output.directory))]))
        })
        try FileSystem.writeAtomically(Array((json.compact + "\n").utf8), to: path(fingerprint))
    }
}

extension Store {
    /// Whether `entry` can stand in for running `node`: it covers exactly the node's outputs and
    /// the store holds every one of them.
    public func canRestore(_ entry: RunCache.Entry, outputsOf node: PipelineGraph.Node) -> Bool {
        Set(entry.keys) == Set(node.outputs.map(\.path)) && entry.values.allSatisfy { contains($0.hash, directory: $0.directory) }
    }
}
