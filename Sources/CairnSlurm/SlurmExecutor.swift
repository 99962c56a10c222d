import CairnCore
import CairnEngine
import CairnSpec
import CairnSupport
import Glibc
import Synchronization

/// Runs each stage as a job of a Slurm cluster whose nodes see the workspace at the same path
/// (a shared file system). The runner has already decided that the stage must run (fresh and
/// cached stages submit nothing), and it alone moves outputs into place, hashes them and writes
/// the lock file; the job only runs the stage: `cairn stage-exec` loads that one stage from the
/// job file and writes its temporary outputs and `result.json`. Each job has a script of its own
/// under `.cairn/jobs/`, a job name naming pipeline and stage, and Slurm's log beside the stage's
/// (`.cairn/logs/PIPELINE/STAGE.slurm.log`, which starts with the job id and node).
public final class SlurmExecutor: StageExecutor, Sendable {
    public let workspace: Workspace
    public let settings: SlurmSettings
    /// The `-S` values of the run, which the node loads the pipeline with.
    public let overrides: ParamOverrides
    private let queue: SlurmQueue
    /// What the next attempt of a stage that failed gets: more memory or time, other nodes.
    private let retries = Mutex([StageID: Retry]())
    /// The cluster's nodes, asked once (`sinfo`): a retry avoids a failed node only while others remain.
    private let nodes = Mutex<Set<String>?>(nil)

    struct Retry {
        var memoryFactor = 1.0
        var timeFactor = 1.0
        var excludedNodes: [String] = []
    }

    public init(workspace: Workspace, settings: SlurmSettings, overrides: ParamOverrides = .none) {
        self.workspace = workspace
        self.settings = settings
        self.overrides = overrides
        queue = SlurmQueue(settings: settings)
    }

    public func run(_ job: StageJob, observer: any RunObserver, cancellation: Cancellation) throws -> [RerunAsk] {
        let folder = "\(workspace.stateDirectory)/jobs/\(job.id.pipeline).\(job.id.stage).\(UInt64.random(in: 0...UInt64.max))"
        try FileSystem.makeDirectories(folder)
        defer { try? FileSystem.remove(folder) }
        let jobFile = folder + "/job.json", resultFile = folder + "/result.json", script = folder + "/job.sh"
        try FileSystem.makeDirectories(FileSystem.parent(of: job.logPath))
        try FileSystem.writeAtomically(Array(StageJobFile(job, workspace: workspace, overrides: overrides).json.utf8), to: jobFile)
        let slurmLog = String(job.logPath.dropLast(".log".count)) + ".slurm.log"
        var retry = retries.withLock { $0[job.id] } ?? Retry()
        if Set(retry.excludedNodes).isSuperset(of: clusterNodes()) { retry.excludedNodes = [] }
        let options = Self.options(job.node.resources.over(settings.defaults), retry: retry)
        try FileSystem.writeAtomically(Array(Self.script(job, cairn: settings.cairn, jobFile: jobFile, slurmLog: slurmLog,
                                                         workspace: workspace, options: options).utf8), to: script)
        let (status, text) = try ChildProcess.output(["sbatch", "--parsable", script], cancellation: cancellation)
        let id = String(text.split(separator: ";").first ?? "").filter(\.isNumber)
        guard ChildProcess.succeeded(status), !id.isEmpty else {
            throw CairnError(.stageFailed, "sbatch refused the job: " + text.trimmingSpaces, hint: "is the cluster up? `sinfo` says")
        }
        queue.watch(id, resultPath: resultFile)
        guard let ending = queue.wait(id, cancellation: cancellation) else {
            throw CairnError(.interrupted, "interrupted; slurm job \(id) cancelled")
        }
        let failure: CairnError
        var slurmLimit = ending.isSlurmLimit
        switch ending {
        case .vanished(let lastState):
            let code: CairnError.Code = lastState == "OUT_OF_MEMORY" ? .stageKilled : lastState == "TIMEOUT" ? .stageTimedOut : .stageFailed
            failure = CairnError(code, "slurm job \(id) ended (\(lastState ?? "no longer known to Slurm")) without a result",
                                 hint: "its log: \(WorkspacePath.normalize(slurmLog, root: workspace.root) ?? slurmLog)")
        case .result(let path):
            let result = try StageJobResult(json: try FileSystem.readAll(path), file: path)
            if result.succeeded { return result.reruns }
            let message = result.error.map { $0.split(separator: "\n").first.map(String.init) ?? $0 } ?? "failed"
            var code = result.code ?? .stageFailed
            // Stopped by something other than this run: Slurm's time limit, or scancel by hand.
            if code == .interrupted {
                let state = SlurmQueue.states(of: [id])[id]
                code = state == "TIMEOUT" ? .stageTimedOut : .stageFailed
                slurmLimit = state == "TIMEOUT"
            }
            failure = CairnError(code, message.replacing("error: ", with: "", maxReplacements: 1) + " (slurm job \(id) on \(result.host))")
            if !result.host.isEmpty { record(job.id) { $0.excludedNodes.append(result.host) } }
        }
        switch failure.code {
        case .stageKilled: record(job.id) { $0.memoryFactor *= settings.growth }
        case .stageTimedOut where slurmLimit: record(job.id) { $0.timeFactor *= settings.growth }
        default: break
        }
        throw failure
    }

    private func clusterNodes() -> Set<String> {
        nodes.withLock { known in
            if let known { return known }
            let listed = (try? ChildProcess.output(["sinfo", "-h", "-N", "-o", "%N"])).map { Set($0.text.split(separator: "\n").map(String.init)) } ?? []
            known = listed
            return listed
        }
    }

    private func record(_ id: StageID, _ change: (inout Retry) -> Void) {
        retries.withLock { change(&$0[id, default: Retry()]) }
    }

    /// `sbatch` options for `resources`, grown and steered as `retry` says. Growing needs a
    /// `mem` (or `time`) to grow from; `run` drops exclusions that would leave no node.
    static func options(_ resources: StageResources, retry: Retry) -> [String] {
        var options: [String] = []
        if let cpus = resources.cpus { options.append("--cpus-per-task=\(cpus)") }
        if let mem = resources.mem { options.append("--mem=\(SlurmMemory(megabytes: Int((Double(mem.megabytes) * retry.memoryFactor).rounded(.up))).text)") }
        if let time = resources.time { options.append("--time=\(SlurmTime(seconds: Int((Double(time.seconds) * retry.timeFactor).rounded(.up))).text)") }
        if let gpus = resources.gpus, gpus > 0 { options.append("--gpus=\(gpus)") }
        if let partition = resources.partition { options.append("--partition=\(partition)") }
        if let account = resources.account { options.append("--account=\(account)") }
        if !retry.excludedNodes.isEmpty { options.append("--exclude=\(retry.excludedNodes.joined(separator: ","))") }
        return options + resources.extra
    }

    /// The job's `sbatch` script.
    static func script(_ job: StageJob, cairn: String, jobFile: String, slurmLog: String, workspace: Workspace, options: [String]) -> String {
        scriptLines(name: "cairn:\(job.id)", cairn: cairn, jobFile: jobFile, slurmLog: slurmLog, root: workspace.root, options: options)
            .joined(separator: "\n") + "\n"
    }

    static func scriptLines(name: String, cairn: String, jobFile: String, slurmLog: String, root: String, options: [String]) -> [String] {
        ["#!/bin/sh",
         "#SBATCH --job-name=\(Shell.quoted(name))",
         "#SBATCH --output=\(Shell.quoted(slurmLog))",
         "#SBATCH --chdir=\(Shell.quoted(root))"]
            + options.map { "#SBATCH \(Shell.quoted($0))" }
            + [#"echo "cairn: slurm job $SLURM_JOB_ID on $(hostname), $(date -u +%Y-%m-%dT%H:%M:%SZ), memory ${SLURM_MEM_PER_NODE:-default} MB""#,
               "exec \(Shell.quoted(cairn)) stage-exec \(Shell.quoted(jobFile))"]
    }
}
