import CairnCore
import CairnSpec
import CairnSupport

/// One variant of a pipeline tried by `cairn exp run`: the params it changed, how its run
/// ended and the metrics it produced. Kept as `experiment.json` in the commit its ref points at.
public struct Experiment: Sendable, Equatable {
    public enum Status: String, Sendable {
        /// Waiting in the queue for `cairn exp run --run-queue`.
        case queued
        case succeeded
        case failed
    }

    public var name: String
    public var status: Status
    /// Seconds since the epoch: when it was queued or started.
    public var created: Int
    public var finished: Int?
    /// HEAD of the workspace it ran from (nil in a repository without commits).
    public var base: String?
    /// Param key → value as YAML text, in the order the sweep gave them.
    public var params: [(key: String, value: String)]
    /// `PATH:KEY` → value of every metrics output.
    public var metrics: [String: String]
    /// Why it failed.
    public var error: String?
    /// Stage status → how many stages ended so (`ran`, `restored`, …).
    public var stages: [String: Int]

    public init(name: String, status: Status, created: Int, finished: Int? = nil, base: String?,
                params: [(key: String, value: String)], metrics: [String: String] = [:], error: String? = nil,
                stages: [String: Int] = [:]) {
        self.name = name
        self.status = status
        self.created = created
        self.finished = finished
        self.base = base
        self.params = params
        self.metrics = metrics
        self.error = error
        self.stages = stages
    }

    public func param(_ key: String) -> String? { params.first { $0.key == key }?.value }

    public var json: String {
        func optional<T>(_ value: T?, _ wrap: (T) -> JSONValue) -> JSONValue { value.map(wrap) ?? .null }
        return JSONValue.object([
            ("name", .string(name)), ("status", .string(status.rawValue)),
            ("created", .integer(created)), ("finished", optional(finished, JSONValue.integer)),
            ("base", optional(base, JSONValue.string)),
            ("params", .array(params.map { .array([.string($0.key), .string($0.value)]) })),
            ("metrics", .object(metrics.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
            ("error", optional(error, JSONValue.string)),
            ("stages", .object(stages.sorted { $0.key < $1.key }.map { ($0.key, .integer($0.value)) })),
        ]).pretty() + "\n"
    }

    /// Reads what `json` wrote; `file` names it in errors. A ref's commit comes with anyone's
    /// pushes: every field is checked for its type, an unknown status is an error.
    public init(json bytes: [UInt8], file: String) throws {
        let root = try JSONValue.parse(bytes, file: file)
        func damaged(_ what: String) -> CairnError {
            CairnError(.invalidValue, "\(file): \(what)", hint: "the experiment's commit is damaged; `cairn exp remove` it")
        }
        guard let name = root["name"]?.string, !name.isEmpty else { throw damaged("no name") }
        guard let status = root["status"]?.string.flatMap(Status.init(rawValue:)) else { throw damaged("no known status") }
        self.name = name
        self.status = status
        created = root["created"]?.integer ?? 0
        finished = root["finished"]?.integer
        base = root["base"]?.string
        params = try (root["params"]?.array ?? []).map { pair in
            guard let items = pair.array, items.count == 2, let key = items[0].string, let value = items[1].string else {
                throw damaged("a param is not [key, value]")
            }
            // `cairn exp apply` writes the value into a params file's text: one line of YAML, nothing more.
            let parsed = try? ParamOverrides.value(value, origin: file)
            guard !key.isEmpty, !(key + value).unicodeScalars.contains(where: { $0.value < 0x20 }), let parsed,
                  parsed.entries == nil || value.hasPrefix("{") else {
                throw damaged("param '\(key)' is not one line of YAML holding a value")
            }
            return (key, value)
        }
        metrics = Dictionary((root["metrics"]?.members ?? []).compactMap { member in member.value.string.map { (member.key, $0) } }) { first, _ in first }
        error = root["error"]?.string
        stages = Dictionary((root["stages"]?.members ?? []).compactMap { member in member.value.integer.map { (member.key, $0) } }) { first, _ in first }
    }

    public static func == (a: Experiment, b: Experiment) -> Bool { a.json == b.json }
}
