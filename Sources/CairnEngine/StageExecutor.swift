import CairnCore

/// A stage's request that other stages rerun, with the output name that is its evidence.
public typealias RerunAsk = (request: RerunRequest, evidence: String)

/// Runs one stage somewhere and says how it ended. The runner decides (plans, consults the run
/// cache and the store) and records (checks, hashes, stores and moves the outputs, writes the
/// lock file); an executor only runs: in this process (`LocalExecutor`), or elsewhere.
public protocol StageExecutor: Sendable {
    /// Runs `job`, throwing when the stage fails; returns the reruns the stage asked for.
    func run(_ job: StageJob, observer: any RunObserver, cancellation: Cancellation) throws -> [RerunAsk]
}
