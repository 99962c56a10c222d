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
    /// Strictly JSON, then every field's type, every hash and every path is checked: a lock
    /// file comes with anyone's commits.
    public static func parse(_ bytes: [UInt8], file path: String) throws -> LockFile {
        let hint = "delete it: the next run rebuilds it (outputs are restored from the store)"
        func damaged(_ why: String) -> CairnError { CairnError(.invalidValue, "lock file \(path) is damaged: \(why)", hint: hint) }
        let root: JSONValue
        do { root = try JSONValue.parse(bytes, file: path) } catch let error as CairnError {
            throw damaged("not JSON (\(error.cause ?? ""))")
        }
        if let schema = root["schema"], schema.integer != Self.schema {
            throw CairnError(.invalidValue, "lock file \(path) is not schema \(Self.schema), which this cairn reads", hint: hint)
        }
        let fields = Fields(damaged: damaged)
        guard try fields.member(root, "schema", at: []).integer == Self.schema else { throw damaged("'schema' is not what a lock file holds there") }
        /// Input and output paths with their hashes; checkout writes to these paths.
        func hashes(_ record: JSONValue, _ key: String, at path: [String]) throws -> [String: ContentHash] {
            let map = try fields.members(try fields.member(record, key, at: path), at: path + [key])
            var result: [String: ContentHash] = [:]
            result.reserveCapacity(map.count)
            for (entry, value) in map {
                guard let text = value.string else { throw fields.wrongType(path + [key, entry]) }
                if let problem = WorkspacePath.problem(entry) {
                    throw damaged("'\(key)' names the path '\(entry.debugDescription.dropFirst().dropLast())', which \(problem)")
                }
                guard ContentHash.isValid(text) else { throw damaged("'\(key)' holds something that is not a SHA-256") }
                result[entry] = ContentHash(hex: text)
            }
            return result
        }
        var lock = LockFile()
        let records = try fields.members(try fields.member(root, "stages", at: []), at: ["stages"])
        lock.stages.reserveCapacity(records.count)
        for (name, record) in records {
            let at = ["stages", name]
            let fingerprint = try fields.string(record, "fingerprint", at: at)
            guard ContentHash.isValid(fingerprint) else { throw damaged("'fingerprint' is not a SHA-256") }
            let params = try fields.strings(record, "params", at: at)
            let outputs = try hashes(record, "outputs", at: at)
            // A role this version does not know, or for a path that is no output, is left out.
            let roles = (record["roles"] == nil ? [:] : try fields.strings(record, "roles", at: at))
                .compactMapValues(StageSlots.OutputRole.init(rawValue:)).filter { outputs[$0.key] != nil }
            let overridden = record["overridden"] == nil ? [] : try fields.stringList(record, "overridden", at: at)
            lock.stages[name] = StageRecord(
                kind: try fields.string(record, "kind", at: at), version: try fields.integer(record, "version", at: at),
                definition: try fields.string(record, "definition", at: at), fingerprint: ContentHash(hex: fingerprint),
                params: params, inputs: try hashes(record, "inputs", at: at), outputs: outputs,
                roles: roles, overridden: Set(overridden).intersection(params.keys))
        }
        return lock
    }

    /// Typed access to the members of a lock file's objects; an error names the key path.
    private struct Fields {
        let damaged: (String) -> CairnError

        func member(_ object: JSONValue, _ key: String, at path: [String]) throws -> JSONValue {
            guard let value = object[key] else { throw damaged("'\((path + [key]).joined(separator: "."))' missing") }
            return value
        }

        func wrongType(_ path: [String]) -> CairnError {
            damaged("'\(path.joined(separator: "."))' is not what a lock file holds there")
        }

        func members(_ value: JSONValue, at path: [String]) throws -> [(key: String, value: JSONValue)] {
            guard let members = value.members else { throw wrongType(path) }
            return members
        }

        func string(_ object: JSONValue, _ key: String, at path: [String]) throws -> String {
            guard let text = try member(object, key, at: path).string else { throw wrongType(path + [key]) }
            return text
        }

        func integer(_ object: JSONValue, _ key: String, at path: [String]) throws -> Int {
            guard let number = try member(object, key, at: path).integer else { throw wrongType(path + [key]) }
            return number
        }

        /// An object whose every member is a string.
        func strings(_ object: JSONValue, _ key: String, at path: [String]) throws -> [String: String] {
            var result: [String: String] = [:]
            for (name, value) in try members(try member(object, key, at: path), at: path + [key]) {
                guard let text = value.string else { throw wrongType(path + [key, name]) }
                result[name] = text
            }
            return result
        }

        func stringList(_ object: JSONValue, _ key: String, at path: [String]) throws -> [String] {
            guard let items = try member(object, key, at: path).array else { throw wrongType(path + [key]) }
            return try items.map { item in
                guard let text = item.string else { throw wrongType(path + [key]) }
                return text
            }
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
