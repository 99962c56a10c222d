import CairnCore
import CairnEngine
import CairnOperations
import CairnSlurm
import CairnSpec
import CairnSupport

/// `--executor NAME`, else `$CAIRN_EXECUTOR`, else `executor:` of the config: where a run's
/// stages run. One line per executor.
enum ExecutorChoice {
    /// Name → the executor for a workspace and the run's `-S` values; nil stands for local, the runner's own.
    static let executors: [String: @Sendable (Workspace, ParamOverrides, [String: String]) throws -> (any StageExecutor)?] = [
        "local": { _, _, _ in nil },
        "slurm": { workspace, overrides, environment in
            var settings = SlurmSettings(cairn: FileSystem.executablePath())
            if let defaults = try workspace.config().slurm { settings.defaults = try ConfigDecoder().decode(StageResources.self, from: defaults) }
            if let grace = environment["CAIRN_SLURM_GRACE_SECONDS"].flatMap(Double.init) { settings.grace = .milliseconds(Int(grace * 1000)) }
            return SlurmExecutor(workspace: workspace, settings: settings, overrides: overrides)
        },
    ]

    /// Jobs in flight at once on a cluster unless `-j` says: its scheduler does the real limiting.
    static let clusterJobs = 100

    /// `-j`'s default: the cores here, or `clusterJobs` when stages run elsewhere.
    static func defaultJobs(_ executor: (any StageExecutor)?) -> Int { executor == nil ? Parallel.cores : clusterJobs }

    static func make(_ name: String?, workspace: Workspace, overrides: ParamOverrides = .none) throws -> (any StageExecutor)? {
        let environment = Environment.variables
        let chosen = try name ?? environment["CAIRN_EXECUTOR"] ?? workspace.config().executor ?? "local"
        guard let make = executors[chosen] else {
            throw CairnError(.usage, "no executor named '\(chosen)'",
                             hint: Suggestion.hint(for: chosen, in: executors.keys.sorted(), noun: "executors") ?? "one of: " + executors.keys.sorted().joined(separator: ", "))
        }
        return try make(workspace, overrides, environment)
    }
}
