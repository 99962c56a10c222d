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

/// One entry under `stages:`.
public struct StageSpec: Sendable {
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

    public var name: String
    public var location: SourceLocation
    public var definition: Definition
    public var inputs: [Port]
    /// Explicit outputs; plugin stages get defaults for the slots not named here.
    public var outputs: [Port]
    /// Params named under `params:` and those `${params.KEY}` stands for in `with:` and paths.
    public var params: [ParamUse]
    /// `always_run: true`: a scheduled run runs the stage even when it is fresh.
    public var alwaysRun: Bool
    /// `resources:`: what a cluster job of the stage asks for.
    public var resources = StageResources()
    /// `retries: N`: a failed stage is tried again up to N times.
    public var retries = 0
    /// `timeout:`: how long the stage may run.
    public var timeout: Duration?
    /// `metrics: [NAME]`, `plots: [NAME]`: outputs the pipeline gives a role, by output name.
    public var roles: [(output: String, role: StageSlots.OutputRole, location: SourceLocation)] = []
}
