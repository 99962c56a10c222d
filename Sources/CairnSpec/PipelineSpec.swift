import CairnCore
import CairnSupport

/// A pipeline file as written, checked for shape: which stages, what they use, and where
/// each thing was written. Whether references resolve is the engine's graph's job.
public struct PipelineSpec: Sendable {
    /// The file's stem: `pipelines/churn.yaml` is `churn`.
    public var name: String
    /// Workspace-relative path of the YAML file.
    public var file: String
    public var params: ParamsFile?
    /// `schedule:`: when `cairn watch` also runs the pipeline.
    public var schedule: CronSchedule?
    public var stages: [StageSpec]
    /// `store_inputs:`: which inputs from outside the pipeline are kept in the store.
    public var inputStorage: InputStorage

    public init(name: String, file: String, params: ParamsFile?, schedule: CronSchedule?, stages: [StageSpec],
                inputStorage: InputStorage = .everything) {
        self.name = name
        self.file = file
        self.params = params
        self.schedule = schedule
        self.stages = stages
        self.inputStorage = inputStorage
    }
}

/// One entry under `stages:`. A class: the parser and the graph pass stages from one pass to
/// the next by the hundred thousand, and a reference is one retain where a copy is dozens.
public final class StageSpec: Sendable {
    public enum Definition: Sendable {
        /// `uses: KIND` with its `with:` block (an empty mapping when absent) as written, and as
        /// the stage gets it, with `${params.KEY}` replaced.
        case plugin(kind: String, kindLocation: SourceLocation, config: ConfigNode, resolved: ConfigNode)
        /// `cmd: ...`, the command text node.
        case command(ConfigNode)
    }

    /// A named input or output: a workspace path, or for inputs possibly `STAGE.OUTPUT`.
    public struct Port: Sendable {
        public var name: String
        public var target: String
        public var location: SourceLocation
    }

    public struct ParamUse: Sendable {
        public var key: String
        public var location: SourceLocation
        public init(key: String, location: SourceLocation) {
            self.key = key
            self.location = location
        }
    }

    public let name: String
    public let location: SourceLocation
    public let definition: Definition
    public let inputs: [Port]
    /// Explicit outputs; plugin stages get defaults for the slots not named here.
    public let outputs: [Port]
    /// Params named under `params:` and those `${params.KEY}` stands for in `with:` and paths.
    public let params: [ParamUse]
    /// `always_run: true`: a scheduled run runs the stage even when it is fresh.
    public let alwaysRun: Bool
    /// `resources:`: what a cluster job of the stage asks for.
    public let resources: StageResources
    /// `retries: N`: a failed stage is tried again up to N times.
    public let retries: Int
    /// `timeout:`: how long the stage may run.
    public let timeout: Duration?
    /// `metrics: [NAME]`, `plots: [NAME]`: outputs the pipeline gives a role, by output name.
    public let roles: [(output: String, role: StageSlots.OutputRole, location: SourceLocation)]

    public init(name: String, location: SourceLocation, definition: Definition, inputs: [Port], outputs: [Port],
                params: [ParamUse], alwaysRun: Bool, resources: StageResources = StageResources(), retries: Int = 0,
                timeout: Duration? = nil, roles: [(output: String, role: StageSlots.OutputRole, location: SourceLocation)] = []) {
        self.name = name
        self.location = location
        self.definition = definition
        self.inputs = inputs
        self.outputs = outputs
        self.params = params
        self.alwaysRun = alwaysRun
        self.resources = resources
        self.retries = retries
        self.timeout = timeout
        self.roles = roles
    }
}
