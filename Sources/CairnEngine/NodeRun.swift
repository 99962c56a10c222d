import CairnCore
import CairnSpec
import CairnSupport
import Glibc

/// What `cairn stage-exec JOB` does where a job runs: loads the one stage the job file names
/// (the pipeline is parsed, not planned), runs it into the temporary outputs the head chose,
/// hashes what it wrote, and leaves `result.json` beside the job file — written atomically, so
/// the head never reads half of one. A stage that fails is a result too; only a job file that
/// cannot be read is an error.
public enum NodeRun {
    public static func execute(jobFile: String, kinds: [String: StageKind], cancellation: Cancellation) throws -> StageJobResult {
        let file = try StageJobFile(json: try FileSystem.readAll(jobFile), file: jobFile)
        let workspace = Workspace(root: file.workspace)
        // Under Slurm, the node's name as Slurm knows it: what a retry excludes.
        let host = getenv("SLURMD_NODENAME").map { String(cString: $0) } ?? Host.name
        var result: StageJobResult
        do {
            let graph = try workspace.loadPipeline(file: file.pipelineFile, kinds: kinds, overrides: try ParamOverrides(file.overrides))
            guard let node = graph.node(named: file.stage) else {
                throw CairnError(.usage, "pipeline \(graph.pipeline) has no stage '\(file.stage)'")
            }
            let reruns = try LocalExecutor(workspace: workspace).run(file.job(for: node, pipeline: graph.pipeline),
                                                                      observer: Silent(), cancellation: cancellation)
            let hasher = ContentHasher(statCache: StatCache(file: FileSystem.parent(of: jobFile) + "/statcache"))
            var hashes: [String: ContentHash] = [:]
            for (name, path) in file.outputs { hashes[name] = try hasher.hash(path) }
            result = StageJobResult(succeeded: true, error: nil, host: host, reruns: reruns, outputHashes: hashes)
        } catch {
            result = StageJobResult(succeeded: false, error: (error as? CairnError) ?? CairnError(.stageFailed, "\(error)"), host: host,
                                    reruns: [], outputHashes: [:])
        }
        try FileSystem.writeAtomically(Array(result.json.utf8), to: FileSystem.parent(of: jobFile) + "/result.json")
        return result
    }

    private struct Silent: RunObserver {
        func stageStarted(pipeline: String, stage: String, restoring: Bool) {}
        func stageFinished(_ event: StageEvent) {}
        func pipelineFinished(_ pipeline: String, events: [StageEvent], seconds: Double) {}
    }
}
