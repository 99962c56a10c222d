import CairnCore
import CairnSpec
import CairnSupport

/// `pipelines/NAME.lock`: what each stage last ran (or was restored) with, and what it produced.
/// JSON with sorted keys, one value per line, so that it is deterministic and diffs well;
/// written atomically.
public struct LockFile: Sendable, Equatable {
    public struct StageRecord: Sendable, Equatable {
        public var kind: String
        public var version: Int
        /// The canonical config (for commands, `{"cmd":…}`): tells "cmd changed" from other changes.
        public var definition: String
        public var fingerprint: ContentHash
        /// Param key → canonical value.
        public var params: [String: String]
        /// Input path → hash.
        public var inputs: [String: ContentHash]
        /// Output path → hash.
        public var outputs: [String: ContentHash]

        public init(kind: String, version: Int, definition: String, fingerprint: ContentHash,
                    params: [String: String], inputs: [String: ContentHash], outputs: [String: ContentHash]) {
            self.kind = kind
            self.version = version
            self.definition = definition
            self.fingerprint = fingerprint
            self.params = params
            self.inputs = inputs
            self.outputs = outputs
        }
    }

    public static let schema = 1
    public var schema: Int = LockFile.schema
    public var stages: [String: StageRecord] = [:]

    public init() {}

    /// A missing lock file is an empty one; an unreadable one is an error naming it.
    /// Read with libyaml (JSON is YAML), which is several times quicker than `Codable` here,
    /// and this is on the path of every no-op run.
    public static func load(_ path: String) throws -> LockFile {
        guard FileSystem.exists(path) else { return LockFile() }
        return try parse(try FileSystem.readAll(path), file: path)
    }

    /// Reads lock-file bytes (from disk or from a lineage commit); `file` names them in errors.
    public static func parse(_ bytes: [UInt8], file path: String) throws -> LockFile {
        let root = try YAMLDocument.parse(bytes, file: path)
        func damaged(_ why: String, at node: ConfigNode) -> CairnError {
            CairnError(.invalidValue, "lock file \(path) is damaged: \(why)", at: node.location,
                       hint: "delete it: the next run rebuilds it (outputs are restored from the store)")
        }
        func text(_ node: ConfigNode?, _ key: String, in parent: ConfigNode) throws -> String {
            guard let value = node?.scalarText else { throw damaged("'\(key)' missing", at: parent) }
            return value
        }
        func hash(_ node: ConfigNode?, _ key: String, in parent: ConfigNode) throws -> ContentHash {
            let value = try text(node, key, in: parent)
            guard ContentHash.isValid(value) else { throw damaged("'\(key)' is not a SHA-256", at: node!) }
            return ContentHash(hex: value)
        }
        func map<T>(_ key: String, in parent: ConfigNode, _ value: (ConfigNode, String) throws -> T) throws -> [String: T] {
            guard let entries = parent[key]?.entries else { throw damaged("'\(key)' missing", at: parent) }
            return try Dictionary(entries.map { ($0.name, try value($0.value, $0.name)) }) { first, _ in first }
        }
        /// Input and output paths: a lock file may come from anyone's commit, and checkout writes them.
        func paths<T>(_ key: String, in parent: ConfigNode, _ value: (ConfigNode, String) throws -> T) throws -> [String: T] {
            for entry in parent[key]?.entries ?? [] {
                if let problem = WorkspacePath.problem(entry.name) {
                    throw damaged("'\(key)' names the path '\(entry.name.debugDescription.dropFirst().dropLast())', which \(problem)", at: entry.key)
                }
            }
            return try map(key, in: parent, value)
        }
        guard let schema = root["schema"]?.scalarText.flatMap(Int.init), schema == Self.schema else {
            throw CairnError(.invalidValue, "lock file \(path) is not schema \(Self.schema), which this cairn reads",
                             hint: "delete it: the next run rebuilds it (outputs are restored from the store)")
        }
        var lock = LockFile()
        lock.stages = try map("stages", in: root) { node, _ in
            guard let version = node["version"]?.scalarText.flatMap(Int.init) else { throw damaged("'version' missing", at: node) }
            return StageRecord(
                kind: try text(node["kind"], "kind", in: node), version: version,
                definition: try text(node["definition"], "definition", in: node),
                fingerprint: try hash(node["fingerprint"], "fingerprint", in: node),
                params: try map("params", in: node) { value, key in try text(value, key, in: node) },
                inputs: try paths("inputs", in: node) { value, key in try hash(value, key, in: node) },
                outputs: try paths("outputs", in: node) { value, key in try hash(value, key, in: node) })
        }
        return lock
    }

    public var encoded: String {
        func hashes(_ map: [String: ContentHash]) -> JSONValue {
            .object(map.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value.hex)) })
        }
        let stages = self.stages.sorted { $0.key < $1.key }.map { name, record -> (String, JSONValue) in
            (name, .object([
                ("definition", .string(record.definition)),
                ("fingerprint", .string(record.fingerprint.hex)),
                ("inputs", hashes(record.inputs)),
                ("kind", .string(record.kind)),
                ("outputs", hashes(record.outputs)),
                ("params", .object(record.params.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
                ("version", .integer(record.version)),
            ]))
        }
        return JSONValue.object([("schema", .integer(schema)), ("stages", .object(stages))]).pretty() + "\n"
    }

    public func write(to path: String) throws {
        try FileSystem.writeAtomically(Array(encoded.utf8), to: path)
    }
}
