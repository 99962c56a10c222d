import ArgumentParser
import CairnCore
import CairnEngine
import CairnSupport
import StageCatalog

/// What a cluster job runs: one stage, as the head wrote it down. Not for people.
struct StageExecCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stage-exec", abstract: "Run the one stage a job file describes (what cluster jobs run).", shouldDisplay: false)

    @Argument(help: "The job file the head wrote (.cairn/jobs/…/job.json).")
    var jobFile: String

    func run() throws {
        let cancellation = Cancellation()
        // scancel and a job's time limit end it with SIGTERM: stop the stage, write the result.
        let signals = RunCommand.cancelOnSignals(cancellation)
        let result = try NodeRun.execute(jobFile: jobFile, kinds: StageCatalog.kinds, cancellation: cancellation)
        withExtendedLifetime(signals) {}
        if !result.succeeded {
            Output.standardError(result.error ?? "the stage failed")
            throw ExitStatus(code: 1)
        }
    }
}
