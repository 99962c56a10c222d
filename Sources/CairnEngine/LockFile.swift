import CairnCore
import FoundationEssentials

/// `pipelines/NAME.lock`: what each stage last ran (or was restored) with, and what it produced.
/// JSON with sorted keys, one value per line, so that it is deterministic and diffs well;
/// written atomically.
public struct LockFile: Codable, Sendable, Equatable {
    public struct StageRecord: Codable, Sendable, Equatable {
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
    public static func load(_ path: String) throws -> LockFile {
        guard FileSystem.exists(path) else { return LockFile() }
        do {
            let lock = try JSONDecoder().decode(LockFile.self, from: Data(try FileSystem.readAll(path)))
            guard lock.schema == schema else {
                throw CairnError(.invalidValue, "lock file \(path) has schema \(lock.schema); this cairn reads \(schema)")
            }
            return lock
        } catch let error as CairnError {
            throw error
        } catch {
            throw CairnError(.invalidValue, "lock file \(path) is damaged",
                             hint: "delete it: the next run rebuilds it (outputs are restored from the store)",
                             cause: "\(error)")
        }
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
