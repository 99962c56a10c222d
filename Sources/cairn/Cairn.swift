import ArgumentParser
import CairnSupport
import Glibc
import Learn

/// The `cairn` command. Exit status: 0 success, 1 a stage failed, 2 a usage or spec error,
/// 130 interrupted.
@main
struct Cairn: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cairn",
        abstract: "Reproducible machine-learning pipelines: content-hashed, cached, parallel.",
        version: "0.1.0",
        subcommands: [InitCommand.self, RunCommand.self, StatusCommand.self, DagCommand.self, WatchCommand.self,
                      LineageCommand.self, LogCommand.self, CheckoutCommand.self, MetricsCommand.self, ParamsCommand.self,
                      GCCommand.self, FsckCommand.self, PushCommand.self, PullCommand.self, StagesCommand.self, ShowCommand.self, PredictCommand.self, ReportCommand.self, ExperimentCommand.self, RemoteCommand.self, StageExecCommand.self]
    )

    static func main() {
        BLASThreads.configure()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as CairnError {
            Output.standardError(error.description)
            if CommandLine.arguments.contains("--json") { Output.jsonError(error) }
            Glibc.exit(error.code.exitCode)
        } catch let status as ExitStatus {
            Glibc.exit(status.code)
        } catch {
            let code = exitCode(for: error)
            if code == .success { exit(withError: error) }
            Output.standardError(fullMessage(for: error))
            Glibc.exit(2)
        }
    }
}

/// Ends the process with a code after the command has already said why.
struct ExitStatus: Error {
    var code: Int32
}
