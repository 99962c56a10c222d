import CairnCore
import CairnSpec
@testable import CairnSlurm
import Testing

/// What `sbatch` is asked for: a stage's resources, grown and steered by earlier failures.
@Suite struct SlurmOptionsTests {
    static func resources(_ yaml: String) throws -> StageResources {
        try ConfigDecoder().decode(StageResources.self, from: try YAMLDocument.parse(Array(yaml.utf8), file: "p.yaml"))
    }

    @Test func resourcesBecomeSbatchOptions() throws {
        let options = SlurmExecutor.options(try Self.resources("{ cpus: 4, mem: 1G, time: \"10:00\", gpus: 1, partition: gpu, account: ml, extra: [--exclusive] }"),
                                            retry: .init())
        #expect(options == ["--cpus-per-task=4", "--mem=1024M", "--time=0-00:10:00", "--gpus=1", "--partition=gpu", "--account=ml", "--exclusive"])
        #expect(SlurmExecutor.options(StageResources(), retry: .init()).isEmpty)
    }

    @Test func retriesAskForMoreMemoryMoreTimeAndOtherNodes() throws {
        let retry = SlurmExecutor.Retry(memoryFactor: 4, timeFactor: 2, excludedNodes: ["node7"])
        let options = SlurmExecutor.options(try Self.resources("{ mem: 500M, time: \"1:30:00\" }"), retry: retry)
        #expect(options == ["--mem=2000M", "--time=0-03:00:00", "--exclude=node7"])
    }

    @Test func theJobScriptNamesTheStageAndQuotesWhatItRuns() throws {
        let lines = SlurmExecutor.scriptLines(name: "cairn:p.train", cairn: "/opt/my cairn", jobFile: "/w/.cairn/jobs/x/job.json",
                                              slurmLog: "/w/.cairn/logs/p/train.slurm.log", root: "/w", options: ["--mem=1024M"])
        #expect(lines.first == "#!/bin/sh")
        #expect(lines.contains("#SBATCH --job-name=cairn:p.train") && lines.contains("#SBATCH --mem=1024M"))
        #expect(lines.last == "exec '/opt/my cairn' stage-exec /w/.cairn/jobs/x/job.json")
    }
}
