import CairnEngine
import CairnOperations
import CairnSlurm
import CairnSupport

/// `--executor NAME` (or `$CAIRN_EXECUTOR`): where a run's stages run. One line per executor.
enum ExecutorChoice {
    /// Name → the executor for a session; nil stands for local, the runner's own.
    static let executors: [String: @Sendable (Session, [String: String]) -> (any StageExecutor)?] = [
        "local": { _, _ in nil },
        "slurm": { session, environment in
            var settings = SlurmSettings(cairn: FileSystem.executablePath())
            if let grace = environment["CAIRN_SLURM_GRACE_SECONDS"].flatMap(Double.init) { settings.grace = .milliseconds(Int(grace * 1000)) }
            return SlurmExecutor(workspace: session.workspace, settings: settings, overrides: session.overrides)
        },
    ]

    static func make(_ name: String?, session: Session) throws -> (any StageExecutor)? {
        let environment = Environment.variables
        let chosen = name ?? environment["CAIRN_EXECUTOR"] ?? "local"
        guard let make = executors[chosen] else {
            throw CairnError(.usage, "no executor named '\(chosen)'",
                             hint: Suggestion.hint(for: chosen, in: executors.keys.sorted(), noun: "executors") ?? "one of: " + executors.keys.sorted().joined(separator: ", "))
        }
        return make(session, environment)
    }
}
