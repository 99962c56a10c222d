import ArgumentParser
import CairnEngine
import CairnOperations
import CairnSupport
import CairnWatch
import Dispatch
import Glibc
import StageCatalog

struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Rerun what a change makes stale, as it happens, and run pipelines on their schedules."
    )

    @OptionGroup var report: ReportOptions

    @Option(help: "Milliseconds of quiet after a change before running.")
    var debounce = 200

    @Flag(help: "A change during a run cancels it and starts again, instead of waiting for it.")
    var restart = false

    @Option(name: [.customShort("j"), .long], help: "Stages to run at once (default: number of cores).")
    var jobs: Int?

    @Flag(name: .shortAndLong, help: "Show each stage's log.")
    var verbose = false

    func validate() throws {
        if debounce < 0 { throw ValidationError("--debounce must not be negative") }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    }

    func run() throws {
        let session = try Session(pipelines: report.pipelines)
        let reporter = RunReporter(style: report.json ? .json : Output.isTerminal ? .terminal : .plain, verbose: verbose)
        let run = WorkspaceRun(workspace: session.workspace, hasher: session.hasher, store: try session.makeStore())
        let metrics = MetricsTracker()
        let recorder = reporter.lineageRecorder(session.workspace)
        let jobs = self.jobs ?? Parallel.cores
        let watcher = try Watcher(
            workspace: session.workspace, kinds: StageCatalog.kinds, pipelineFiles: { session.files },
            options: Watcher.Options(debounceMilliseconds: debounce, restart: restart)
        ) { trigger, cancellation in
            reporter.trigger(trigger)
            var loaded: [PipelineGraph]?
            do {
                loaded = try session.loadGraphs()
                var graphs = loaded!
                if case .schedule(let due) = trigger { graphs = graphs.filter { due.contains($0.pipeline) } }
                metrics.remember(graphs)
                let started = Int(time(nil))
                var options = Runner.Options(jobs: jobs)
                if case .schedule = trigger { options.scheduled = true }
                let outcome = try run.perform(graphs, options: options, observer: reporter, cancellation: cancellation,
                                              wait: true) { holder in
                    reporter.note("waiting for another cairn run" + (holder.map { " (pid \($0))" } ?? "") + " to finish…")
                }
                reporter.metricsChanged(metrics.changes(graphs, events: outcome.events))
                reporter.lineageRecorded(try recorder.record(graphs, events: outcome.events, started: started, finished: Int(time(nil))))
                // A monitor that saw drift marked training stages: carry that out now.
                let marked = outcome.events.flatMap(\.rerunRequested)
                if !marked.isEmpty { return (loaded, .rerunRequested(marked)) }
            } catch let error as CairnError {
                reporter.error(error)
            } catch {
                reporter.error(CairnError(.io, "\(error)"))
            }
            reporter.note("watching for changes (Ctrl-C to stop)")
            return (loaded, nil)
        }
        let signals = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { watcher.stop() }
            source.resume()
            return source
        }
        watcher.watch()
        withExtendedLifetime(signals) {}
    }
}
