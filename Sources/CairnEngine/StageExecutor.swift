import CairnCore
import CairnSupport

/// One stage to run, as the runner prepared it: its inputs, the temporary paths its outputs go
/// to, and its log.
public struct StageJob: Sendable {
    public let id: StageID
    public let node: PipelineGraph.Node
    /// Input name → absolute path.
    public let inputs: [String: String]
    /// Input name → content hash, as hashed before the stage started.
    public let inputHashes: [String: ContentHash]
    /// Output name → absolute temporary path; the runner moves them into place on success.
    public let outputs: [String: String]
    public let logPath: String
}

/// A stage's request that other stages rerun, with the output name that is its evidence.
public typealias RerunAsk = (request: RerunRequest, evidence: String)

/// Runs one stage somewhere and says how it ended. The runner decides (plans, consults the run
/// cache and the store) and records (checks, hashes, stores and moves the outputs, writes the
/// lock file); an executor only runs: in this process (`LocalExecutor`), or elsewhere.
public protocol StageExecutor: Sendable {
    /// Runs `job`, throwing when the stage fails; returns the reruns the stage asked for.
    func run(_ job: StageJob, observer: any RunObserver, cancellation: Cancellation) throws -> [RerunAsk]
}
