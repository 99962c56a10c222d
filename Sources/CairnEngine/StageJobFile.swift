import CairnCore
import CairnSpec
import CairnSupport

/// A stage job written down for a process elsewhere (`cairn stage-exec` on a cluster node, over
/// a shared file system): what the head prepared, with the `-S` values the pipeline was loaded
/// with, so that the node loads the same stage without planning anything. The node leaves a
/// `StageJobResult` beside it.
public struct StageJobFile: Sendable, Equatable {
    public var workspace: String
    public var pipelineFile: String
    public var stage: String
    /// Input name → absolute path.
    public var inputs: [String: String]
    public var inputHashes: [String: ContentHash]
    /// Output name → absolute temporary path.
    public var outputs: [String: String]
    public var logPath: String
    /// `KEY=VALUE` as `-S` gives them.
    public var overrides: [String]

    public init(_ job: StageJob, workspace: Workspace, overrides: ParamOverrides) {
        self.workspace = workspace.root
        pipelineFile = job.pipelineFile
        stage = job.id.stage
        inputs = job.inputs
        inputHashes = job.inputHashes
        outputs = job.outputs
        logPath = job.logPath
        self.overrides = overrides.assignments
    }

    public var json: String {
        func strings(_ map: [String: String]) -> JSONValue { .object(map.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }) }
        return JSONValue.object([
            ("workspace", .string(workspace)), ("pipeline_file", .string(pipelineFile)), ("stage", .string(stage)),
            ("inputs", strings(inputs)), ("input_hashes", strings(inputHashes.mapValues(\.hex))), ("outputs", strings(outputs)),
            ("log", .string(logPath)), ("overrides", .array(overrides.map { .string($0) })),
        ]).pretty() + "\n"
    }

    public init(json bytes: [UInt8], file: String) throws {
        let root = try JSONValue.parse(bytes, file: file)
        func damaged(_ what: String) -> CairnError { CairnError(.invalidValue, "\(file): \(what)", hint: "the job file is damaged") }
        func text(_ key: String) throws -> String {
            guard let value = root[key]?.string else { throw damaged("no '\(key)'") }
            return value
        }
        func strings(_ key: String) throws -> [String: String] {
            guard let members = root[key]?.members else { throw damaged("no '\(key)'") }
            return try Dictionary(members.map { member in
                guard let value = member.value.string else { throw damaged("'\(key).\(member.key)' is not text") }
                return (member.key, value)
            }) { first, _ in first }
        }
        workspace = try text("workspace")
        pipelineFile = try text("pipeline_file")
        stage = try text("stage")
        inputs = try strings("inputs")
        inputHashes = try strings("input_hashes").mapValues { hex in
            guard ContentHash.isValid(hex) else { throw damaged("an input hash is not a SHA-256") }
            return ContentHash(hex: hex)
        }
        outputs = try strings("outputs")
        logPath = try text("log")
        overrides = (root["overrides"]?.array ?? []).compactMap(\.string)
    }

    /// The job for `node` as the head prepared it.
    public func job(for node: PipelineGraph.Node, pipeline: String) -> StageJob {
        StageJob(id: StageID(pipeline: pipeline, stage: stage), pipelineFile: pipelineFile, node: node, inputs: inputs,
                 inputHashes: inputHashes, outputs: outputs, logPath: logPath)
    }
}

/// How a stage run elsewhere ended, as its process leaves it in `result.json` beside the job
/// file: the head reads it rather than asking the cluster, which may have forgotten the job.
public struct StageJobResult: Sendable, Equatable {
    public var succeeded: Bool
    /// The diagnostic, when it failed, and its kind (`stage_killed`, …).
    public var error: String?
    public var code: CairnError.Code?
    /// The host it ran on.
    public var host: String
    /// The reruns the stage asked for.
    public var reruns: [RerunAsk]
    /// Output name → hash, as the node saw the bytes it wrote.
    public var outputHashes: [String: ContentHash]

    public init(succeeded: Bool, error: CairnError?, host: String, reruns: [RerunAsk], outputHashes: [String: ContentHash]) {
        self.succeeded = succeeded
        self.error = error?.description
        code = error?.code
        self.host = host
        self.reruns = reruns
        self.outputHashes = outputHashes
    }

    public var json: String {
        JSONValue.object([
            ("succeeded", .bool(succeeded)), ("error", error.map(JSONValue.string) ?? .null),
            ("code", code.map { .string($0.rawValue) } ?? .null), ("host", .string(host)),
            ("reruns", .array(reruns.map { ask in
                switch ask.request {
                case .stages(let names): .object([("stages", .array(names.map { .string($0) })), ("evidence", .string(ask.evidence))])
                case .upstream(let kind): .object([("upstream_kind", .string(kind)), ("evidence", .string(ask.evidence))])
                }
            })),
            ("output_hashes", .object(outputHashes.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value.hex)) })),
        ]).pretty() + "\n"
    }

    public init(json bytes: [UInt8], file: String) throws {
        let root = try JSONValue.parse(bytes, file: file)
        guard let succeeded = root["succeeded"]?.bool else {
            throw CairnError(.invalidValue, "\(file): no 'succeeded'", hint: "the job's result file is damaged")
        }
        self.succeeded = succeeded
        error = root["error"]?.string
        code = root["code"]?.string.flatMap(CairnError.Code.init(rawValue:))
        host = root["host"]?.string ?? ""
        reruns = (root["reruns"]?.array ?? []).compactMap { item in
            guard let evidence = item["evidence"]?.string else { return nil }
            if let names = item["stages"]?.array { return (.stages(names.compactMap(\.string)), evidence) }
            return item["upstream_kind"]?.string.map { (.upstream(kind: $0), evidence) }
        }
        outputHashes = Dictionary((root["output_hashes"]?.members ?? []).compactMap { member in
            member.value.string.flatMap { ContentHash.isValid($0) ? (member.key, ContentHash(hex: $0)) : nil }
        }) { first, _ in first }
    }

    public static func == (a: StageJobResult, b: StageJobResult) -> Bool { a.json == b.json }
}
