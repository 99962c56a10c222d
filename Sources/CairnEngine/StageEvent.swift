import CairnSupport

/// What happened to one stage in a run.
public enum StageStatus: String, Sendable, Codable, CaseIterable {
    /// Executed, outputs stored.
    case ran
    /// Fresh: nothing to do.
    case skipped
    /// Outputs copied back from the store (run cache hit).
    case restored
    case failed
    /// Not started because a stage it reads from failed.
    case blocked
    /// Not started because the run stopped first (after a failure elsewhere, or interrupted).
    case notRun = "not_run"

    /// Whether the stage's outputs are new in the workspace: it ran or was restored.
    public var changedOutputs: Bool { self == .ran || self == .restored }

    /// As the terminal shows it.
    public var displayName: String { self == .notRun ? "not run" : rawValue }
}

public struct StageEvent: Sendable {
    public var pipeline: String
    public var stage: String
    public var status: StageStatus
    public var reasons: [RunReason]
    public var seconds: Double
    public var error: CairnError?
    /// The stage's log, when it ran.
    public var logPath: String?
    /// Stages this one marked to rerun on the next run (see `StageContext.requestRerun`).
    public var rerunRequested: [String] = []
}

/// Receives a run's progress; the CLI renders it for a terminal, a pipe, or as JSON.
public protocol RunObserver: Sendable {
    /// A stage began executing or restoring (skipped stages never start).
    func stageStarted(pipeline: String, stage: String, restoring: Bool)
    func stageFinished(_ event: StageEvent)
    /// Every stage of `pipeline` that was considered has finished.
    func pipelineFinished(_ pipeline: String, events: [StageEvent], seconds: Double)
    /// A running stage says how far it has got.
    func stageProgress(pipeline: String, stage: String, text: String)
    /// A running stage warns of something it let pass.
    func stageWarning(pipeline: String, stage: String, text: String)
    /// Something went wrong that does not fail the run (the stat cache could not be saved).
    func runWarning(_ text: String)
}

extension RunObserver {
    public func stageProgress(pipeline: String, stage: String, text: String) {}
    public func stageWarning(pipeline: String, stage: String, text: String) {}
    public func runWarning(_ text: String) {}
}
