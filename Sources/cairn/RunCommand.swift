import ArgumentParser
import CairnCore
import CairnEngine
import CairnOperations
import CairnSpec
import CairnSupport
import Dispatch
import Glibc

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run what is stale; restore what was computed before; skip what is fresh."
    )

    @OptionGroup var report: ReportOptions

    @Option(name: [.customShort("s"), .customLong("stage")],
            help: "Only this stage (STAGE or PIPELINE.STAGE) and what it reads from (repeatable).")
    var stages: [String] = []

    @Flag(help: "With -s: only the named stages; what they read from must be fresh.")
    var single = false

    @Flag(help: "With -s: the named stages and every stage that reads from them.")
    var downstream = false

    @Option(name: [.customShort("j"), .long], help: "Stages to run at once (default: number of cores; with --executor slurm, \(ExecutorChoice.clusterJobs)).")
    var jobs: Int?

    @Option(name: [.customShort("S"), .customLong("set-param")],
            help: "Run with param KEY at VALUE instead of the params file's, without editing it (KEY=VALUE, repeatable).")
    var overrides: [String] = []

    @Option(help: "Where stages run: local (this machine) or slurm (as jobs of the Slurm cluster; default: $CAIRN_EXECUTOR, else local).")
    var executor: String?

    @Flag(help: "Fetch run-cache hits from the remote store instead of running them.")
    var pull = false

    @Flag(help: "Run every selected stage, fresh or not, without the run cache.")
    var force = false

    @Flag(name: .customLong("dry-run"), help: "Say what would run, and why; change nothing.")
    var dryRun = false

    @Flag(name: .customLong("keep-going"), help: "After a failure, still run every stage not downstream of it.")
    var keepGoing = false

    @Flag(name: .customLong("no-wait"), help: "If another run holds the workspace, exit at once instead of waiting.")
    var noWait = false

    @Flag(name: .shortAndLong, help: "Show each stage's log, and list the stages that were up to date.")
    var verbose = false

    @Flag(name: .customLong("require-clean"), help: "Refuse to run when tracked files are modified (lineage stays exact).")
    var requireClean = false

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if single && downstream { throw ValidationError("--single and --downstream exclude each other") }
        if (single || downstream) && stages.isEmpty { throw ValidationError("--single and --downstream go with -s STAGE") }
    }

    func run() throws {
        let session = try Session(pipelines: report.pipelines, overrides: try ParamOverrides(overrides))
        let graphs = try session.loadGraphs()
        let selections = try selectedStages(in: graphs)
        if dryRun {
            return try StatusCommand.printPlan(session, graphs: graphs, selections: selections, json: report.json, force: force)
        }

        let reporter = RunReporter(style: report.json ? .json : Output.isTerminal ? .terminal : .plain, verbose: verbose)
        let recorder = reporter.lineageRecorder(session.workspace)
        if requireClean { try recorder.requireClean() }
        let started = Int(time(nil))
        let cancellation = Cancellation()
        let signals = Self.cancelOnSignals(cancellation)
        let stageExecutor = try ExecutorChoice.make(executor, workspace: session.workspace, overrides: session.overrides)
        let remote = try pull ? RemoteStores(session: session).transfer : nil
        let run = WorkspaceRun(workspace: session.workspace, hasher: session.hasher, store: try session.makeStore(),
                               executor: stageExecutor, remote: remote, lockFiles: session.lockFileCache)
        let options = Runner.Options(jobs: jobs ?? ExecutorChoice.defaultJobs(stageExecutor), force: force, keepGoing: keepGoing)
        let outcome = try run.perform(graphs, selections: selections, options: options, observer: reporter,
                                      cancellation: cancellation, wait: !noWait) { holder in
            Output.standardError("waiting for another cairn run" + (holder.map { " (pid \($0))" } ?? "") + " to finish…")
        }
        reporter.lineageRecorded(try recorder.record(graphs, events: outcome.events, started: started, finished: Int(time(nil))))
        let code: Int32 = cancellation.isCancelled ? 130 : outcome.failed ? 1 : 0
        // The pipelines, lock files and stat cache of a large pipeline are millions of objects:
        // the process ends without freeing them one by one (0.4 s of a 100,000-stage no-op run).
        withExtendedLifetime((session, graphs, run, outcome, signals)) { Glibc.exit(code) }
    }

    /// Which stages of each pipeline `-s` selects (nil: all). A name is a stage of any pipeline
    /// or PIPELINE.STAGE, as runs print it; an unknown one is a usage error.
    private func selectedStages(in graphs: [PipelineGraph]) throws -> [StageSelection?]? {
        guard !stages.isEmpty else { return nil }
        let scope: StageSelection.Scope = single ? .single : downstream ? .downstream : .withUpstream
        var chosen = [Set<String>](repeating: [], count: graphs.count)
        for name in stages {
            let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
            let pipeline = parts.count == 2 ? graphs.firstIndex { $0.pipeline == parts[0] } : nil
            let stage = pipeline == nil ? name : parts[1]
            let matches = graphs.indices.filter { (pipeline == nil || $0 == pipeline) && graphs[$0].node(named: stage) != nil }
            guard !matches.isEmpty else {
                let known = graphs.flatMap { graph in graph.nodes.flatMap { [$0.name, StageID(pipeline: graph.pipeline, stage: $0.name).description] } }
                throw CairnError(.usage, "no stage named '\(name)'", hint: Suggestion.hint(for: name, in: known, noun: "stages"))
            }
            for index in matches { chosen[index].insert(stage) }
        }
        return chosen.map { StageSelection($0, scope: scope) }
    }

    /// SIGINT and SIGTERM cancel the run (running stages are stopped, nothing half-written is
    /// kept); a second signal exits at once.
    static func cancelOnSignals(_ cancellation: Cancellation) -> [any DispatchSourceSignal] {
        [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                if cancellation.isCancelled { _exit(130) }
                cancellation.cancel()
            }
            source.resume()
            return source
        }
    }
}
