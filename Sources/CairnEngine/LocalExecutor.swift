import CairnCore
import CairnSupport
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
        let context = StageContext(
            workspace: workspace.root, pipeline: pipeline, stage: stage, inputs: job.inputs, inputHashes: job.inputHashes, outputs: job.outputs,
            params: job.node.params, log: log, cancellation: cancellation,
            progress: { text in observer.stageProgress(pipeline: pipeline, stage: stage, text: text) },
            requestRerun: { stages, evidence in requests.withLock { $0.append((stages, evidence)) } },
            onWarning: { text in observer.stageWarning(pipeline: pipeline, stage: stage, text: text) },
            onProcessGroup: { group, running in running ? leftovers.noteRunning(group: group) : leftovers.noteFinished(group: group) })
        do {
            try job.node.stage.run(context)
        } catch {
            // The log a failure points to says what went wrong, for built-in stages as for commands.
            log.write((error as? CairnError)?.description ?? "error: \(error)")
            throw error
        }
        return requests.withLock { $0 }
    }
}
