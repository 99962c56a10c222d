import CairnEngine
import Synchronization

/// A run observer that keeps every finished stage's event, for tests that drive runs in process.
public final class RecordedEvents: RunObserver {
    public let events = Mutex<[StageEvent]>([])
    public init() {}
    public func stageStarted(pipeline: String, stage: String, restoring: Bool) {}
    public func stageFinished(_ event: StageEvent) { events.withLock { $0.append(event) } }
    public func pipelineFinished(_ pipeline: String, events: [StageEvent], seconds: Double) {}
}
