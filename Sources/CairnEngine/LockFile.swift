import CairnCore
import CairnSpec
import CairnSupport
import FoundationEssentials

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
        /// Output path → role, for the outputs that have one: what a commit's metrics are is
        /// read from the commit, not from the pipeline as it is today.
        public var roles: [String: StageSlots.OutputRole]
        /// The params whose value came from `cairn run -S` rather than the params file.
        public var overridden: Set<String>

        public init(kind: String, version: Int, definition: String, fingerprint: ContentHash,
                    params: [String: String], inputs: [String: ContentHash], outputs: [String: ContentHash],
                    roles: [String: StageSlots.OutputRole] = [:], overridden: Set<String> = []) {
            self.kind = kind
            self.version = version
            self.definition = definition
            self.fingerprint = fingerprint
            self.params = params
            self.inputs = inputs
            self.outputs = outputs
            self.roles = roles
            self.overridden = overridden
        }

        /// The output paths whose role is `role`.
        public func outputs(withRole role: StageSlots.OutputRole) -> [String: ContentHash] {
            outputs.filter { roles[$0.key] == role }
        }
    }

    public static let schema = 1
    public var schema: Int = LockFile.schema
    public var stages: [String: StageRecord] = [:]

    public init() {}

    /// A missing lock file is an empty one; an unreadable one is an error naming it.
    /// Read strictly as JSON: a lock file comes with anyone's commits.
    public static func load(_ path: String) throws -> LockFile {
        guard FileSystem.exists(path) else { return LockFile() }
        return try parse(try FileSystem.readAll(path), file: path)
    }

    /// Reads lock-file bytes (from disk or from a lineage commit); `file` names them in errors.
    /// Strictly JSON, decoded into plain records (the quick path of every no-op run), then every
    /// hash and path is checked: a lock file comes with anyone's commits.
    public static func parse(_ bytes: [UInt8], file path: String) throws -> LockFile {
        let hint = "delete it: the next run rebuilds it (outputs are restored from the store)"
        func damaged(_ why: String) -> CairnError { CairnError(.invalidValue, "lock file \(path) is damaged: \(why)", hint: hint) }
        let stored: Stored
        do {
            stored = try JSONDecoder().decode(Stored.self, from: Data(bytes))
        } catch let error as DecodingError {
            if let schema = (try? JSONValue.parse(bytes, file: path))?["schema"], schema.integer != Self.schema {
                throw CairnError(.invalidValue, "lock file \(path) is not schema \(Self.schema), which this cairn reads", hint: hint)
            }
            throw damaged(Self.describe(error))
        } catch {
            throw damaged("not JSON")
        }
        guard stored.schema == Self.schema else {
            throw CairnError(.invalidValue, "lock file \(path) is not schema \(Self.schema), which this cairn reads", hint: hint)
        }
        /// Input and output paths with their hashes; checkout writes to these paths.
        func hashes(_ map: [String: String], _ key: String) throws -> [String: ContentHash] {
            var result: [String: ContentHash] = [:]
            for (entry, text) in map {
                if let problem = WorkspacePath.problem(entry) {
                    throw damaged("'\(key)' names the path '\(entry.debugDescription.dropFirst().dropLast())', which \(problem)")
                }
                guard ContentHash.isValid(text) else { throw damaged("'\(key)' holds something that is not a SHA-256") }
                result[entry] = ContentHash(hex: text)
            }
            return result
        }
        var lock = LockFile()
        lock.stages = try stored.stages.mapValues { record in
            guard ContentHash.isValid(record.fingerprint) else { throw damaged("'fingerprint' is not a SHA-256") }
            let outputs = try hashes(record.outputs, "outputs")
            // A role this version does not know, or for a path that is no output, is left out.
            let roles = (record.roles ?? [:]).compactMapValues(StageSlots.OutputRole.init(rawValue:)).filter { outputs[$0.key] != nil }
            return StageRecord(kind: record.kind, version: record.version, definition: record.definition,
                               fingerprint: ContentHash(hex: record.fingerprint), params: record.params,
                               inputs: try hashes(record.inputs, "inputs"), outputs: outputs, roles: roles,
                               overridden: Set(record.overridden ?? []).intersection(record.params.keys))
        }
        return lock
    }

    /// The file as JSON holds it, before any check.
    private struct Stored: Decodable {
        struct Record: Decodable {
            var kind: String
            var version: Int
            var definition: String
            var fingerprint: String
            var params: [String: String]
            var inputs: [String: String]
            var outputs: [String: String]
            var roles: [String: String]?
            var overridden: [String]?
        }

        var schema: Int
        var stages: [String: Record]
    }

    /// What is wrong, by the key it is at.
    private static func describe(_ error: DecodingError) -> String {
        func at(_ path: [any CodingKey]) -> String { path.map(\.stringValue).joined(separator: ".") }
        switch error {
        case .keyNotFound(let key, let context): return "'\((context.codingPath + [key]).map(\.stringValue).joined(separator: "."))' missing"
        case .typeMismatch(_, let context), .valueNotFound(_, let context): return "'\(at(context.codingPath))' is not what a lock file holds there"
        case .dataCorrupted(let context): return context.codingPath.isEmpty ? "not JSON" : "'\(at(context.codingPath))' is unreadable"
        @unknown default: return "\(error)"
        }
    }

    public var encoded: String {
        func hashes(_ map: [String: ContentHash]) -> JSONValue {
            .object(map.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value.hex)) })
        }
        let stages = self.stages.sorted { $0.key < $1.key }.map { name, record -> (String, JSONValue) in
            let roles: [(String, JSONValue)] = record.roles.isEmpty ? [] : [
                ("roles", .object(record.roles.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value.rawValue)) })),
            ]
            return (name, .object([
                ("definition", .string(record.definition)),
                ("fingerprint", .string(record.fingerprint.hex)),
                ("inputs", hashes(record.inputs)),
                ("kind", .string(record.kind)),
                ("outputs", hashes(record.outputs)),
            ] + (record.overridden.isEmpty ? [] : [("overridden", .array(record.overridden.sorted().map { .string($0) }))]) + [
                ("params", .object(record.params.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
            ] + roles + [
                ("version", .integer(record.version)),
            ]))
        }
        return JSONValue.object([("schema", .integer(schema)), ("stages", .object(stages))]).pretty() + "\n"
    }

    public func write(to path: String) throws {
        try FileSystem.writeAtomically(Array(encoded.utf8), to: path)
    }
}
