import CairnCore
import CairnEngine
import CairnSpec
import CairnSupport
import Glibc

/// Runs each stage as a job of a Slurm cluster whose nodes see the workspace at the same path
/// (a shared file system). The runner has already decided that the stage must run (fresh and
/// cached stages submit nothing), and it alone moves outputs into place, hashes them and writes
/// the lock file; the job only runs the stage: `cairn stage-exec` loads that one stage from the
/// job file and writes its temporary outputs and `result.json`. Each job has a script of its own
/// under `.cairn/jobs/`, a job name naming pipeline and stage, and Slurm's log beside the stage's
/// (`.cairn/logs/PIPELINE/STAGE.slurm.log`, which starts with the job id and node).
public struct SlurmExecutor: StageExecutor {
    public let workspace: Workspace
    public let settings: SlurmSettings
    /// The `-S` values of the run, which the node loads the pipeline with.
    public let overrides: ParamOverrides
    private let queue: SlurmQueue

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
        try FileSystem.writeAtomically(Array(Self.script(job, cairn: settings.cairn, jobFile: jobFile, slurmLog: slurmLog,
                                                         workspace: workspace, extra: settings.sbatchArguments).utf8), to: script)
        let (status, text) = try ChildProcess.output(["sbatch", "--parsable", script], cancellation: cancellation)
        let id = String(text.split(separator: ";").first ?? "").filter(\.isNumber)
        guard ChildProcess.succeeded(status), !id.isEmpty else {
            throw CairnError(.stageFailed, "sbatch refused the job: " + text.trimmingSpaces, hint: "is the cluster up? `sinfo` says")
        }
        queue.watch(id, resultPath: resultFile)
        guard let ending = queue.wait(id, cancellation: cancellation) else {
            throw CairnError(.interrupted, "interrupted; slurm job \(id) cancelled")
        }
        switch ending {
        case .vanished(let lastState):
            throw CairnError(.stageFailed, "slurm job \(id) ended (\(lastState ?? "no longer known to Slurm")) without a result",
                             hint: "its log: \(WorkspacePath.normalize(slurmLog, root: workspace.root) ?? slurmLog)")
        case .result(let path):
            let result = try StageJobResult(json: try FileSystem.readAll(path), file: path)
            guard result.succeeded else {
                throw CairnError(.stageFailed, (result.error ?? "failed") + " (slurm job \(id))")
            }
            return result.reruns
        }
    }

    /// The job's `sbatch` script.
    static func script(_ job: StageJob, cairn: String, jobFile: String, slurmLog: String, workspace: Workspace, extra: [String]) -> String {
        let lines = ["#!/bin/sh",
                     "#SBATCH --job-name=\(Shell.quoted("cairn:\(job.id)"))",
                     "#SBATCH --output=\(Shell.quoted(slurmLog))",
                     "#SBATCH --chdir=\(Shell.quoted(workspace.root))"]
            + extra.map { "#SBATCH \($0)" }
            + [#"echo "cairn: slurm job $SLURM_JOB_ID on $(hostname), $(date -u +%Y-%m-%dT%H:%M:%SZ)""#,
               "exec \(Shell.quoted(cairn)) stage-exec \(Shell.quoted(jobFile))"]
        return lines.joined(separator: "\n") + "\n"
    }
}
