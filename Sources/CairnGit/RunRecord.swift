import CairnCore
import CairnEngine

/// What one run did, committed beside the lock files on the lineage ref: where the code was
/// (source commit, dirty or not), who ran it where and when, and what each stage did and why.
public struct RunRecord: Sendable, Equatable {
    public struct Source: Sendable, Equatable {
        /// HEAD when the run started; nil in a repository without commits.
        public var commit: String?
        public var subject: String?
        public var dirty: Bool
        /// Tracked files that differed from HEAD.
        public var modified: [String]

        public init(commit: String?, subject: String?, dirty: Bool, modified: [String]) {
            self.commit = commit
            self.subject = subject
            self.dirty = dirty
            self.modified = modified
        }
    }

    public struct StageRun: Sendable, Equatable {
        public var pipeline: String
        public var stage: String
        public var status: StageStatus
        public var reasons: [String]
        public var seconds: Double

        public var id: StageID { StageID(pipeline: pipeline, stage: stage) }

        public init(pipeline: String, stage: String, status: StageStatus, reasons: [String], seconds: Double) {
            self.pipeline = pipeline
            self.stage = stage
            self.status = status
            self.reasons = reasons
            self.seconds = seconds
        }
    }

    public var tool: String
    public var host: String
    public var user: String
    /// Seconds since the epoch.
    public var started: Int
    public var finished: Int
    public var source: Source
    /// Pipeline → param key → canonical value, for the params the stages use.
    public var params: [String: [String: String]]
    /// Pipeline → param key → canonical value, for the values `cairn run -S` gave.
    public var overrides: [String: [String: String]]
    public var stages: [StageRun]

    public init(tool: String, host: String, user: String, started: Int, finished: Int, source: Source,
                params: [String: [String: String]], overrides: [String: [String: String]] = [:], stages: [StageRun]) {
        self.tool = tool
        self.host = host
        self.user = user
        self.started = started
        self.finished = finished
        self.source = source
        self.params = params
        self.overrides = overrides
        self.stages = stages
    }

    public var json: String {
        func optional(_ text: String?) -> JSONValue { text.map { .string($0) } ?? .null }
        return JSONValue.object([
            ("tool", .string(tool)), ("host", .string(host)), ("user", .string(user)),
            ("started", .integer(started)), ("finished", .integer(finished)),
            ("source", .object([
                ("commit", optional(source.commit)), ("subject", optional(source.subject)),
                ("dirty", .bool(source.dirty)), ("modified", .array(source.modified.map { .string($0) })),
            ])),
            ("params", Self.json(params)),
            ("overrides", Self.json(overrides)),
            ("stages", .array(stages.map { run in
                .object([("pipeline", .string(run.pipeline)), ("stage", .string(run.stage)), ("status", .string(run.status.rawValue)),
                         ("reasons", .array(run.reasons.map { .string($0) })), ("seconds", .number(run.seconds))])
            })),
        ]).pretty() + "\n"
    }

    /// Reads what `json` wrote.
    public init(json bytes: [UInt8], file: String) throws {
        let root = try JSONValue.parse(bytes, file: file)
        tool = root["tool"]?.string ?? ""
        host = root["host"]?.string ?? ""
        user = root["user"]?.string ?? ""
        started = root["started"]?.integer ?? 0
        finished = root["finished"]?.integer ?? 0
        let source = root["source"]
        self.source = Source(commit: source?["commit"]?.string, subject: source?["subject"]?.string,
                             dirty: source?["dirty"]?.bool ?? false, modified: source?["modified"]?.array?.compactMap(\.string) ?? [])
        params = Self.values(root["params"])
        overrides = Self.values(root["overrides"])
        // A stage whose status this version does not know is left out, as an unreadable record is.
        stages = (root["stages"]?.array ?? []).compactMap { node in
            guard let status = node["status"]?.string.flatMap(StageStatus.init(rawValue:)) else { return nil }
            return StageRun(pipeline: node["pipeline"]?.string ?? "", stage: node["stage"]?.string ?? "", status: status,
                            reasons: node["reasons"]?.array?.compactMap(\.string) ?? [], seconds: node["seconds"]?.double ?? 0)
        }
    }

    /// Pipeline → key → value, as JSON objects.
    private static func json(_ values: [String: [String: String]]) -> JSONValue {
        .object(values.sorted { $0.key < $1.key }.map { pipeline, values in
            (pipeline, .object(values.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))
        })
    }

    private static func values(_ node: JSONValue?) -> [String: [String: String]] {
        Dictionary((node?.members ?? []).map { pipeline in
            (pipeline.key, Dictionary((pipeline.value.members ?? []).map { ($0.key, $0.value.string ?? "") }) { first, _ in first })
        }) { first, _ in first }
    }
}
