import CairnCore
import CairnSupport

/// Reads `pipelines/NAME.yaml` (and its params file) into a `PipelineSpec`, reporting the first
/// mistake with its file, line and column.
public struct PipelineSpecParser {
    static let topKeys = ["params", "schedule", "stages", "store_inputs"]

    /// Absolute path of the workspace root; spec paths are relative to it.
    public let workspace: String
    /// `-S` values in place of the params file's.
    public let overrides: ParamOverrides

    public init(workspace: String, overrides: ParamOverrides = .none) {
        self.workspace = workspace
        self.overrides = overrides
    }

    /// - Parameter file: workspace-relative path of the pipeline file.
    public func parse(file: String) throws -> PipelineSpec {
        let root = try YAMLDocument.parse(try FileSystem.readAll(workspace + "/" + file), file: file)
        let name = Self.pipelineName(of: file)
        guard let entries = root.entries else {
            throw CairnError(.invalidValue, "a pipeline file is a mapping with a 'stages:' key", at: root.location)
        }
        try Self.rejectUnknownKeys(entries, allowed: Self.topKeys)
        let params = try root["params"].map(parseParamsFile)
        let schedule = try root["schedule"].map { node in
            guard let text = node.scalarText else {
                throw CairnError(.invalidValue, "'schedule:' takes a cron expression like \"0 3 * * *\"", at: node.location)
            }
            return try CronSchedule(text, at: node.location)
        }
        guard let stagesNode = root["stages"] else {
            throw CairnError(.invalidValue, "missing 'stages:'", at: root.location,
                             hint: "list the pipeline's stages under 'stages:'")
        }
        guard let stageEntries = stagesNode.entries else {
            throw CairnError(.invalidValue, "'stages:' is a mapping of stage name to stage", at: stagesNode.location)
        }
        // Stages parse on all cores; the error reported is the first in the file.
        let parsed = try Parallel.map(stageEntries.indices, chunk: 512) { range in
            range.map { index in Result { try parseStage(stageEntries[index], params: params) } }
        }.flatMap { $0 }
        var seen: Set<String> = []
        let stages = try zip(stageEntries, parsed).map { entry, stage -> StageSpec in
            guard seen.insert(entry.name).inserted else {
                throw CairnError(.invalidValue, "stage '\(entry.name)' is defined twice", at: entry.key.location)
            }
            return try stage.get()
        }
        let inputStorage = try root["store_inputs"].map { try ConfigDecoder().decode(InputStorage.self, from: $0) } ?? .everything
        return PipelineSpec(name: name, file: file, params: params, schedule: schedule, stages: stages, inputStorage: inputStorage)
    }

    /// `pipelines/churn.yaml` → `churn`.
    public static func pipelineName(of file: String) -> String {
        let base = file.split(separator: "/").last.map(String.init) ?? file
        return base.lastIndex(of: ".").map { String(base[..<$0]) } ?? base
    }

    private func parseParamsFile(_ node: ConfigNode) throws -> ParamsFile {
        let path = try workspacePath(node)
        guard FileSystem.exists(workspace + "/" + path) else {
            throw CairnError(.missingInput, "params file '\(path)' does not exist", at: node.location)
        }
        let root = try YAMLDocument.parse(try FileSystem.readAll(workspace + "/" + path), file: path)
        guard root.entries != nil else {
            throw CairnError(.invalidValue, "a params file is a mapping of keys to values", at: root.location)
        }
        return ParamsFile(path: path, root: root).overridden(by: overrides)
    }

    private func parseStage(_ entry: ConfigNode.Entry, params: ParamsFile?) throws -> StageSpec {
        var placeholders = ParamPlaceholders(params: params, stage: entry.name)
        let node = entry.value
        guard let entries = node.entries else {
            throw CairnError(.invalidValue, "stage '\(entry.name)' must be a mapping with 'uses:' or 'cmd:'",
                             at: node.location)
        }
        let fields = try StageFields(entries)
        let definition: StageSpec.Definition
        switch (fields[.uses], fields[.cmd]) {
        case (let uses?, nil):
            guard let kind = uses.scalarText, !kind.isEmpty else {
                throw CairnError(.invalidValue, "'uses:' takes a stage kind", at: uses.location)
            }
            let config = fields[.with] ?? ConfigNode(.mapping([]), at: uses.location)
            definition = .plugin(kind: kind, kindLocation: uses.location, config: config, resolved: try placeholders.resolve(config))
        case (nil, let command?):
            guard command.scalarText?.isEmpty == false else {
                throw CairnError(.invalidValue, "'cmd:' takes the command line to run", at: command.location)
            }
            if let with = fields[.with] {
                throw CairnError(.unknownKey, "'with:' configures a 'uses:' stage; a 'cmd:' stage has none",
                                 at: with.location, hint: "pass values to the command in its text or through params")
            }
            definition = .command(command)
        case (.some, .some):
            throw CairnError(.invalidValue, "stage '\(entry.name)' has both 'uses:' and 'cmd:'", at: entry.key.location,
                             hint: "a stage is either a built-in kind ('uses:') or a command ('cmd:')")
        case (nil, nil):
            throw CairnError(.invalidValue, "stage '\(entry.name)' needs 'uses:' or 'cmd:'", at: entry.key.location)
        }
        let inputs = try fields[.inputs].map { try ports($0, allowReferences: true, placeholders: &placeholders) } ?? []
        let outputs = try fields[.outputs].map { try ports($0, allowReferences: false, placeholders: &placeholders) } ?? []
        return StageSpec(
            name: entry.name,
            location: entry.key.location,
            definition: definition,
            inputs: inputs,
            outputs: outputs,
            params: try (fields[.params].map(paramUses) ?? []) + placeholders.uses,
            alwaysRun: try fields[.alwaysRun].map { try ConfigDecoder().decode(Bool.self, from: $0) } ?? false,
            resources: try fields[.resources].map { try ConfigDecoder().decode(StageResources.self, from: $0) } ?? StageResources(),
            retries: try fields[.retries].map(Self.retries) ?? 0,
            timeout: try fields[.timeout].map { try ConfigDecoder().decode(StageTimeout.self, from: $0).duration },
            roles: try [(StageKey.metrics, StageSlots.OutputRole.metrics), (.plots, .plots)].flatMap { key, role in
                try fields[key].map { try outputNames($0, key: key.rawValue).map { ($0.name, role, $0.location) } } ?? []
            }
        )
    }

    /// `retries: N`: how many times a failed stage is tried again.
    private static func retries(_ node: ConfigNode) throws -> Int {
        let count = try ConfigDecoder().decode(Int.self, from: node)
        guard (0...100).contains(count) else {
            throw CairnError(.invalidValue, "'retries:' takes a count from 0 to 100", at: node.location)
        }
        return count
    }

    /// `metrics: [scores]` or `metrics: scores`: names of the stage's outputs.
    private func outputNames(_ node: ConfigNode, key: String) throws -> [(name: String, location: SourceLocation)] {
        let items = node.items ?? [node]
        return try items.map { item in
            guard let name = item.scalarText, !name.isEmpty else {
                throw CairnError(.invalidValue, "'\(key):' lists the names of the stage's outputs", at: item.location)
            }
            return (name, item.location)
        }
    }

    /// Map form `{name: target}` or list form `[target]` (names are then the targets).
    private func ports(_ node: ConfigNode, allowReferences: Bool, placeholders: inout ParamPlaceholders) throws -> [StageSpec.Port] {
        let pairs: [(name: String, value: ConfigNode)]
        if let entries = node.entries {
            pairs = entries.map { ($0.name, $0.value) }
        } else if let items = node.items {
            pairs = try items.map { item in
                guard let text = item.scalarText else {
                    throw CairnError(.invalidValue, "expected a path", at: item.location)
                }
                return (text, item)
            }
        } else if node.isNull {
            pairs = []
        } else {
            throw CairnError(.invalidValue, "expected a mapping of name to path, or a list of paths", at: node.location)
        }
        var names: Set<String> = []
        return try pairs.map { pair in
            guard names.insert(pair.name).inserted else {
                throw CairnError(.invalidValue, "'\(pair.name)' is declared twice", at: pair.value.location)
            }
            guard let written = pair.value.scalarText, !written.isEmpty else {
                throw CairnError(.invalidValue, "expected a path\(allowReferences ? " or STAGE.OUTPUT" : "")",
                                 at: pair.value.location)
            }
            let text = try placeholders.resolve(text: written, at: pair.value.location)
            let target = allowReferences && Self.looksLikeReference(text)
                ? text : try workspacePath(ConfigNode(.scalar(text, quoted: true), at: pair.value.location))
            return StageSpec.Port(name: pair.name, target: target, location: pair.value.location)
        }
    }

    /// `clean.table`: one dot, no slash. Whether it names a stage or a file is settled by the graph.
    public static func looksLikeReference(_ text: String) -> Bool {
        !text.contains("/") && text.split(separator: ".", omittingEmptySubsequences: false).count == 2
            && !text.hasPrefix(".") && !text.hasSuffix(".")
    }

    private func paramUses(_ node: ConfigNode) throws -> [StageSpec.ParamUse] {
        guard let items = node.items else {
            throw CairnError(.invalidValue, "'params:' of a stage is a list of keys of the params file", at: node.location)
        }
        return try items.map { item in
            guard let key = item.scalarText, !key.isEmpty else {
                throw CairnError(.invalidValue, "expected a params key like 'train.C'", at: item.location)
            }
            return StageSpec.ParamUse(key: key, location: item.location)
        }
    }

    private func workspacePath(_ node: ConfigNode) throws -> String {
        let raw = node.scalarText ?? ""
        if raw.utf8.contains(0) {
            throw CairnError(.invalidValue, "path '\(raw.debugDescription.dropFirst().dropLast())' has a NUL byte", at: node.location,
                             hint: "a file name cannot hold one")
        }
        guard let path = WorkspacePath.normalize(raw, root: workspace) else {
            throw CairnError(.pathEscapesWorkspace, "path '\(raw)' is outside the workspace", at: node.location,
                             hint: "paths are relative to the workspace root (the folder holding pipelines/) and stay inside it")
        }
        return path
    }

    public static func rejectUnknownKeys(_ entries: [ConfigNode.Entry], allowed: [String]) throws {
        for entry in entries where !allowed.contains(entry.name) {
            throw CairnError(.unknownKey, "unknown key '\(entry.name)'", at: entry.key.location,
                             hint: Suggestion.hint(for: entry.name, in: allowed, noun: "keys"))
        }
    }
}
