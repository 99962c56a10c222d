import CairnCore
import CairnSpec
import CairnSupport

/// A pipeline with every reference resolved: stages in dependency order, each input tied to
/// the stage that produces it (or to a file outside the pipeline), and every spec mistake
/// caught here, before anything runs.
public struct PipelineGraph: Sendable {
    public struct Input: Sendable {
        public var name: String
        /// Workspace-relative path.
        public var path: String
        /// The stage output this input reads; nil for a file from outside the pipeline.
        public var producer: ArtifactRef?
    }

    public struct Output: Sendable {
        public var name: String
        public var path: String
        /// What it holds, as the stage kind or the pipeline (`metrics: [NAME]`) says.
        public var role: StageSlots.OutputRole?
    }

    /// A class, not a struct: the runner, the planner and every command pass stages around by
    /// the thousand, and a reference is one retain where a copy of these fields is twenty.
    public final class Node: Sendable {
        public let name: String
        public let location: SourceLocation
        public let kind: StageKind
        /// The config the stage was made from (the `with:` block, or `cmd:` for commands).
        public let config: ConfigNode
        public let stage: any Stage
        /// Sorted by name.
        public let inputs: [Input]
        /// Sorted by name.
        public let outputs: [Output]
        /// Param key → value, for the keys the stage names, implies or has `${params.KEY}` for.
        public let params: [String: ConfigNode]
        /// The keys of `params` whose value is a `-S` override's rather than the params file's.
        public let overriddenParams: Set<String>
        /// Names of the stages whose outputs this one reads, sorted.
        public let upstream: [String]
        /// Run on every scheduled run, fresh or not.
        public let alwaysRun: Bool
        /// What a cluster job of it asks for; not part of the fingerprint.
        public let resources: StageResources
        /// How many times a failure is tried again.
        public let retries: Int
        /// How long it may run.
        public let timeout: Duration?

        init(name: String, location: SourceLocation, kind: StageKind, config: ConfigNode, stage: any Stage, inputs: [Input],
             outputs: [Output], params: [String: ConfigNode], overriddenParams: Set<String>, upstream: [String],
             alwaysRun: Bool, resources: StageResources, retries: Int, timeout: Duration?) {
            self.name = name
            self.location = location
            self.kind = kind
            self.config = config
            self.stage = stage
            self.inputs = inputs
            self.outputs = outputs
            self.params = params
            self.overriddenParams = overriddenParams
            self.upstream = upstream
            self.alwaysRun = alwaysRun
            self.resources = resources
            self.retries = retries
            self.timeout = timeout
        }

        /// The same stage reading `extra` too.
        func reading(_ extra: Input) -> Node {
            Node(name: name, location: location, kind: kind, config: config, stage: stage,
                 inputs: (inputs + [extra]).sorted { $0.name < $1.name }, outputs: outputs, params: params,
                 overriddenParams: overriddenParams, upstream: upstream, alwaysRun: alwaysRun, resources: resources,
                 retries: retries, timeout: timeout)
        }

        /// Every path the stage reads or writes: what its freshness is decided on.
        public var paths: [String] { inputs.map(\.path) + outputs.map(\.path) }
    }

    /// The pipeline's name (file stem).
    public let pipeline: String
    public let file: String
    public let paramsFile: String?
    /// The `-S` overrides the params file took: key → value.
    public let overrides: [String: ConfigNode]
    public let schedule: CronSchedule?
    /// Which inputs from outside the pipeline runs keep in the store.
    public let inputStorage: InputStorage
    /// Topological order; among stages free at the same time, file order.
    public private(set) var nodes: [Node]

    public func node(named name: String) -> Node? { nodes.first { $0.name == name } }

    /// The input name under which a stage reads the evidence it was marked to rerun with.
    public static let rerunEvidenceInput = "rerun.evidence"

    /// This graph with each stage for which `evidence` gives a path reading it as an extra input.
    func readingRerunEvidence(_ evidence: (String) -> String?) -> PipelineGraph {
        var copy = self
        copy.nodes = nodes.map { node in
            evidence(node.name).map { node.reading(Input(name: Self.rerunEvidenceInput, path: $0, producer: nil)) } ?? node
        }
        return copy
    }

    /// The command stage's kind name: `cmd:` stages are built with the registry entry of this name.
    public static let commandKind = "cmd"

    /// - Parameters:
    ///   - kinds: the stage registry, kind name → kind.
    ///   - workspace: absolute workspace root, to check that external inputs exist.
    public init(spec: PipelineSpec, kinds: [String: StageKind], workspace: String) throws {
        pipeline = spec.name
        file = spec.file
        paramsFile = spec.params?.path
        overrides = spec.params?.overrides ?? [:]
        schedule = spec.schedule
        inputStorage = spec.inputStorage
        let stageNames = spec.stages.map(\.name)

        // Outputs first: inputs refer to them. Each stage's own checks run on all cores; then,
        // in file order, each is taken (or its error thrown) and its outputs checked against
        // those of the stages before it.
        let links = FolderLinks(root: workspace)
        let checked = try Parallel.map(spec.stages.indices, chunk: 512) { range in
            var checks = PathChecks(workspace: workspace, links: links)
            return range.map { index in
                Result { try Self.prepare(spec.stages[index], pipeline: spec.name, kinds: kinds, checks: &checks) }
            }
        }.flatMap { $0 }
        var outputsByStage: [String: [Output]] = [:]
        var producers = OutputIndex()
        var prepared: [PreparedStage] = []
        prepared.reserveCapacity(checked.count)
        for result in checked {
            let stage = try result.get()
            for (output, location) in stage.outputs {
                if let clash = producers.overlap(with: output.path) {
                    let message = clash.path == output.path
                        ? "output '\(output.path)' of stage '\(stage.spec.name)' is also written by stage '\(clash.stage)'"
                        : "output '\(output.path)' of stage '\(stage.spec.name)' overlaps output '\(clash.path)' of stage '\(clash.stage)'"
                    throw CairnError(.duplicateOutput, message, at: location,
                                     hint: "two stages may not write the same path; give one of them another output path")
                }
                producers.insert(ArtifactRef(stage: stage.spec.name, output: output.name, path: output.path))
            }
            outputsByStage[stage.spec.name] = stage.sortedOutputs
            prepared.append(stage)
        }

        // Each stage on its own, on all cores: an error is the one of the first stage in the file.
        let built = try Parallel.map(prepared.indices, chunk: 512) { range in
            var checks = PathChecks(workspace: workspace, links: links)
            return try range.map { index in
                let stageSpec = prepared[index].spec, kind = prepared[index].kind, config = prepared[index].config
                let resolved = prepared[index].resolved, configLocation = prepared[index].configLocation
                let inputs = try stageSpec.inputs.map { port in
                    try Self.resolveInput(port, stageNames: stageNames, outputsByStage: outputsByStage,
                                          producers: producers, checks: &checks)
                }
                try Self.checkSlots(stageSpec, kind: kind, inputs: inputs)
                let interface = StageInterface(inputs: Set(inputs.map(\.name)),
                                               outputs: Set(prepared[index].sortedOutputs.map(\.name)),
                                               params: Set(stageSpec.params.map(\.key)), location: configLocation)
                let stage = try Self.naming(stageSpec.params, of: spec.params) {
                    let stage = try kind.makeStage(config: resolved)
                    try stage.validate(interface)
                    return stage
                }
                let params = try Self.resolveParams(stageSpec, implied: stage.impliedParams, impliedAt: configLocation,
                                                    paramsFile: spec.params)
                let upstream = Set(inputs.compactMap { $0.producer?.stage })
                return Node(name: stageSpec.name, location: stageSpec.location, kind: kind, config: config,
                            stage: stage, inputs: inputs.sorted { $0.name < $1.name },
                            outputs: prepared[index].sortedOutputs, params: params,
                            overriddenParams: Set(params.keys.filter { spec.params?.overrides[$0] != nil }), upstream: upstream.sorted(),
                            alwaysRun: stageSpec.alwaysRun, resources: stageSpec.resources, retries: stageSpec.retries,
                            timeout: stageSpec.timeout)
            }
        }.flatMap { $0 }
        nodes = try Self.topologicalOrder(built)
    }

    /// What the file system says of paths, remembered while a graph is built: the stages of a
    /// generated pipeline share their folders and often their inputs.
    private struct PathChecks {
        let workspace: String
        /// Shared by the passes on every core.
        let links: FolderLinks
        /// Folders checked for links out of the workspace.
        var folders: [String: Bool] = [:]
        var inside: [String: Bool] = [:]
        var existing: [String: Bool] = [:]

        init(workspace: String, links: FolderLinks) {
            self.workspace = workspace
            self.links = links
        }

        /// Outputs are each a stage's own: asked once, not remembered.
        mutating func outputResolvesInside(_ path: String) -> Bool {
            let folder = FileSystem.parent(of: path)
            let name = folder.isEmpty ? path : String(path.utf8.dropFirst(folder.utf8.count + 1))!
            return WorkspacePath.resolvesInside(path, root: workspace, folders: &folders, mayBeLink: links.mayBeLink(name, in: folder))
        }

        mutating func resolvesInside(_ path: String) -> Bool {
            if let known = inside[path] { return known }
            let answer = WorkspacePath.resolvesInside(path, root: workspace, folders: &folders)
            inside[path] = answer
            return answer
        }

        mutating func exists(_ path: String) -> Bool {
            if let known = existing[path] { return known }
            let answer = FileSystem.exists(workspace + "/" + path)
            existing[path] = answer
            return answer
        }
    }

    /// A stage whose kind is known and whose outputs passed the checks that need no other stage.
    /// A class: passed from one pass over the stages to the next, it is one retain, not a copy.
    private final class PreparedStage {
        let spec: StageSpec
        let kind: StageKind
        let config: ConfigNode
        let resolved: ConfigNode
        let configLocation: SourceLocation
        let outputs: [(Output, SourceLocation)]
        /// The outputs by name, as the stage's node lists them.
        let sortedOutputs: [Output]

        init(spec: StageSpec, kind: StageKind, config: ConfigNode, resolved: ConfigNode, configLocation: SourceLocation,
             outputs: [(Output, SourceLocation)]) {
            self.spec = spec
            self.kind = kind
            self.config = config
            self.resolved = resolved
            self.configLocation = configLocation
            self.outputs = outputs
            sortedOutputs = outputs.map(\.0).sorted { $0.name < $1.name }
        }
    }

    /// The stage's kind and its outputs (declared, or the kind's defaults under `artifacts/`),
    /// each checked to be a slot of the kind and a path the stage may write.
    private static func prepare(_ stageSpec: StageSpec, pipeline: String, kinds: [String: StageKind],
                                checks: inout PathChecks) throws -> PreparedStage {
        let (kind, config, resolved, configLocation) = try resolveKind(stageSpec, kinds: kinds)
        var outputs: [(Output, SourceLocation)] = []
        for port in stageSpec.outputs {
            if !kind.slots.declaredByPipeline && !kind.slots.outputs.contains(where: { $0.name == port.name }) {
                throw CairnError(.unknownReference, "stage kind '\(kind.name)' has no output '\(port.name)'",
                                 at: port.location,
                                 hint: Suggestion.hint(for: port.name, in: kind.slots.outputs.map(\.name), noun: "outputs"))
            }
            outputs.append((Output(name: port.name, path: port.target, role: kind.slots.role(ofOutput: port.name)), port.location))
        }
        for slot in kind.slots.outputs where !outputs.contains(where: { $0.0.name == slot.name }) {
            outputs.append((Output(name: slot.name, path: "artifacts/\(pipeline)/\(stageSpec.name)/\(slot.name)", role: slot.role),
                            stageSpec.location))
        }
        for mark in stageSpec.roles {
            guard let index = outputs.firstIndex(where: { $0.0.name == mark.output }) else {
                throw CairnError(.unknownReference, "'\(mark.role.rawValue):' names '\(mark.output)', which is not an output of stage '\(stageSpec.name)'",
                                 at: mark.location, hint: Suggestion.hint(for: mark.output, in: outputs.map(\.0.name), noun: "outputs"))
            }
            outputs[index].0.role = mark.role
        }
        for (output, location) in outputs {
            if !checks.outputResolvesInside(output.path) {
                throw CairnError(.pathEscapesWorkspace, "output '\(output.path)' of stage '\(stageSpec.name)' leads outside the workspace through a symbolic link",
                                 at: location, hint: "outputs are written inside the workspace; remove the link or write elsewhere")
            }
            if let problem = WorkspacePath.reservedProblem(output.path) {
                throw CairnError(.pathEscapesWorkspace, "output '\(output.path)' of stage '\(stageSpec.name)' \(problem)", at: location,
                                 hint: "write outputs elsewhere, under artifacts/ for instance")
            }
        }
        return PreparedStage(spec: stageSpec, kind: kind, config: config, resolved: resolved, configLocation: configLocation, outputs: outputs)
    }

    /// Runs `body`; an error it reports where a param stood in for `${params.KEY}` also says
    /// what the param's value is and where that was written.
    private static func naming<T>(_ uses: [StageSpec.ParamUse], of params: ParamsFile?, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch var error as CairnError {
            guard let params, let use = uses.first(where: { $0.location == error.location }), let value = params.value(use.key) else {
                throw error
            }
            error.message += " (${params.\(use.key)} is \(value.canonical), from \(params.origin(of: use.key)))"
            throw error
        }
    }

    /// The stage's kind, its config as written and as the stage gets it, and where that is.
    private static func resolveKind(_ stage: StageSpec, kinds: [String: StageKind]) throws
        -> (StageKind, ConfigNode, ConfigNode, SourceLocation) {
        switch stage.definition {
        case .command(let command):
            guard let kind = kinds[commandKind] else {
                throw CairnError(.unknownStageKind, "command stages are not available", at: command.location)
            }
            let key = ConfigNode(.scalar("cmd", quoted: false), at: command.location)
            let config = ConfigNode(.mapping([.init(key: key, value: command)]), at: command.location)
            return (kind, config, config, command.location)
        case .plugin(let name, let location, let config, let resolved):
            guard let kind = kinds[name] else {
                let known = kinds.keys.filter { $0 != commandKind }.sorted()
                throw CairnError(.unknownStageKind, "unknown stage kind '\(name)'", at: location,
                                 hint: Suggestion.hint(for: name, in: known, noun: "kinds")
                                     ?? "no built-in stage kinds are installed; use 'cmd:' to run a program")
            }
            return (kind, config, resolved, config.location)
        }
    }

    private static func resolveInput(_ port: StageSpec.Port, stageNames: [String], outputsByStage: [String: [Output]],
                                     producers: OutputIndex, checks: inout PathChecks) throws -> Input {
        if PipelineSpecParser.looksLikeReference(port.target) {
            let parts = port.target.split(separator: ".").map(String.init)
            if let outputs = outputsByStage[parts[0]] {
                guard let output = outputs.first(where: { $0.name == parts[1] }) else {
                    throw CairnError(.unknownReference, "stage '\(parts[0])' has no output '\(parts[1])'", at: port.location,
                                     hint: Suggestion.hint(for: parts[1], in: outputs.map(\.name), noun: "outputs"))
                }
                return Input(name: port.name, path: output.path,
                             producer: ArtifactRef(stage: parts[0], output: output.name, path: output.path))
            }
            if !checks.exists(port.target) {
                throw CairnError(.unknownReference, "'\(port.target)' is neither a stage output nor a file", at: port.location,
                                 hint: Suggestion.closest(to: parts[0], in: stageNames).map { "did you mean '\($0).\(parts[1])'?" }
                                     ?? "write STAGE.OUTPUT for another stage's output, or a path to an existing file")
            }
        }
        if !checks.resolvesInside(port.target) {
            throw CairnError(.pathEscapesWorkspace, "input '\(port.target)' leads outside the workspace through a symbolic link",
                             at: port.location, hint: "copy the data into the workspace, so that its hash and lineage mean something")
        }
        // A path: produced by a stage if it is (or lies inside) one of their outputs.
        if let producer = producers.producer(of: port.target) {
            return Input(name: port.name, path: port.target, producer: producer)
        }
        guard checks.exists(port.target) else {
            throw CairnError(.missingInput, "input '\(port.target)' does not exist", at: port.location,
                             hint: "no stage writes it and there is no such file in the workspace")
        }
        return Input(name: port.name, path: port.target, producer: nil)
    }

    private static func checkSlots(_ stage: StageSpec, kind: StageKind, inputs: [Input]) throws {
        guard !kind.slots.declaredByPipeline else { return }
        let slotNames = kind.slots.inputs.map(\.name)
        for port in stage.inputs where !slotNames.contains(port.name) {
            throw CairnError(.unknownReference, "unknown input '\(port.name)' for stage '\(stage.name)'", at: port.location,
                             hint: Suggestion.hint(for: port.name, in: slotNames, noun: "inputs"))
        }
        for slot in kind.slots.inputs where !slot.optional && !inputs.contains(where: { $0.name == slot.name }) {
            throw CairnError(.unknownReference, "stage '\(stage.name)' needs input '\(slot.name)'", at: stage.location,
                             hint: "add it under 'inputs:'")
        }
    }

    private static func resolveParams(_ stage: StageSpec, implied: [String], impliedAt: SourceLocation,
                                      paramsFile: ParamsFile?) throws -> [String: ConfigNode] {
        let uses = stage.params + implied.map { StageSpec.ParamUse(key: $0, location: impliedAt) }
        var values: [String: ConfigNode] = [:]
        for use in uses {
            guard let paramsFile else {
                throw CairnError(.unknownParam, "stage '\(stage.name)' uses param '\(use.key)' but the pipeline has no params file",
                                 at: use.location, hint: "add 'params: params.yaml' at the top of the pipeline file")
            }
            guard let value = paramsFile.value(use.key) else {
                throw CairnError(.unknownParam, "param '\(use.key)' is not in \(paramsFile.path)", at: use.location,
                                 hint: Suggestion.hint(for: use.key, in: paramsFile.keys, noun: "params"))
            }
            values[use.key] = value
        }
        return values
    }

    /// Kahn's algorithm, taking free stages in file order; a leftover means a cycle, reported
    /// with every stage on it.
    private static func topologicalOrder(_ nodes: [Node]) throws -> [Node] {
        let index = Dictionary(uniqueKeysWithValues: nodes.enumerated().map { ($1.name, $0) })
        var queue = ReadyQueue(upstream: nodes.map { $0.upstream.map { index[$0]! } })
        var order: [Node] = []
        while let next = queue.next() {
            order.append(nodes[next])
            queue.release(next)
        }
        guard order.count == nodes.count else {
            let remaining = queue.waiting.map { nodes[$0] }
            let found = findCycle(remaining)
            // Start the cycle at the stage written first in the file.
            let start = found.indices.min { index[found[$0]]! < index[found[$1]]! }!
            let cycle = Array(found[start...] + found[..<start])
            let first = nodes[index[cycle[0]]!]
            throw CairnError(.cycle, "cycle: " + (cycle + [cycle[0]]).joined(separator: " → "), at: first.location,
                             hint: "a stage cannot depend, directly or not, on its own output")
        }
        return order
    }

    /// Walks upstream edges from the first remaining stage until a stage repeats.
    private static func findCycle(_ remaining: [Node]) -> [String] {
        let byName = Dictionary(uniqueKeysWithValues: remaining.map { ($0.name, $0) })
        var path: [String] = []
        var current = remaining[0].name
        while !path.contains(current) {
            path.append(current)
            current = byName[current]!.upstream.first { byName[$0] != nil }!
        }
        // Walking upstream lists a stage before what it reads; reverse to follow the data.
        return Array(path[path.firstIndex(of: current)!...].reversed())
    }
}
