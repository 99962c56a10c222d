import CairnCore
import CairnSupport
import Dispatch
import Synchronization

/// Runs a stage in this process: a built-in stage's code directly, a command stage as the child
/// process it starts. Process groups are noted under `.cairn/running` so that the next run can
/// stop what a killed one left behind.
public struct LocalExecutor: StageExecutor {
    public let workspace: Workspace

    public init(workspace: Workspace) { self.workspace = workspace }

    public func run(_ job: StageJob, observer: any RunObserver, cancellation: Cancellation) throws -> [RerunAsk] {
        try FileSystem.makeDirectories(FileSystem.parent(of: job.logPath))
        let log = try StageLog(path: job.logPath)
        let requests = Mutex<[RerunAsk]>([])
        let (pipeline, stage) = (job.id.pipeline, job.id.stage)
        let leftovers = Leftovers(workspace: workspace)
        // The stage stops when the run is cancelled or when its `timeout:` has passed.
        let stopped = Cancellation(), timedOut = Atomic(false)
        if let timeout = job.node.timeout {
            DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(Int(timeout.inSeconds * 1000))) {
                timedOut.store(true, ordering: .sequentiallyConsistent)
                stopped.cancel()
            }
        }
        let context = StageContext(
            workspace: workspace.root, pipeline: pipeline, stage: stage, inputs: job.inputs, inputHashes: job.inputHashes, outputs: job.outputs,
            params: job.node.params, log: log, cancellation: stopped,
            progress: { text in observer.stageProgress(pipeline: pipeline, stage: stage, text: text) },
            requestRerun: { stages, evidence in requests.withLock { $0.append((stages, evidence)) } },
            onWarning: { text in observer.stageWarning(pipeline: pipeline, stage: stage, text: text) },
            onProcessGroup: { group, running in running ? leftovers.noteRunning(group: group) : leftovers.noteFinished(group: group) })
        do {
            try cancellation.whileRunning(onCancel: { stopped.cancel() }) { try job.node.stage.run(context) }
        } catch where timedOut.load(ordering: .sequentiallyConsistent) && !cancellation.isCancelled {
            let timeout = CairnError(.stageTimedOut, "stopped after its timeout of \(job.node.timeout!.inSeconds.secondsText)")
            log.write(timeout.description)
            throw timeout
        } catch {
            // The log a failure points to says what went wrong, for built-in stages as for commands.
            log.write((error as? CairnError)?.description ?? "error: \(error)")
            throw error
        }
        return requests.withLock { $0 }
    }
}
