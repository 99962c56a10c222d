import ArgumentParser
import CairnCore
import CairnEngine
import CairnOperations
import CairnSpec
import CairnSupport
import Glibc

struct ExperimentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exp", abstract: "Try variants of the pipelines' params and compare what they give.",
        subcommands: [Run.self, Show.self, Diff.self, Apply.self, Remove.self])

    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run every combination of the values given (each in its own copy of the workspace, sharing the store and run cache).")

        @OptionGroup var report: ReportOptions

        @Option(name: [.customShort("S"), .customLong("set-param")],
                help: "KEY=VALUES: a list (0.01,0.1,1), range(1,4), uniform(a,b) or loguniform(a,b) for --random, or one value (repeatable).")
        var assignments: [String] = []

        @Option(help: "A YAML file whose 'sweep:' block maps param keys to their values, as -S does.")
        var sweep: String?

        @Option(help: "Run N variants drawn at random instead of every combination.")
        var random: Int?

        @Option(help: "The seed of --random (default 0).")
        var seed: UInt64?

        @Option(name: [.customShort("n"), .long], help: "Name the experiment NAME (NAME-1, NAME-2, … for several).")
        var name: String?

        @Option(name: [.customShort("j"), .long], help: "Stages to run at once over all variants (default: number of cores).")
        var jobs: Int?

        @Option(help: "Where stages run: local or slurm (default: $CAIRN_EXECUTOR, else local).")
        var executor: String?

        @Flag(help: "Only queue the variants, for --run-queue.")
        var queue = false

        @Flag(name: .customLong("run-queue"), help: "Run every queued experiment.")
        var runQueue = false

        @Flag(name: .shortAndLong, help: "Show what each variant's stages did.")
        var verbose = false

        func validate() throws {
            if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
            if let random, random < 1 { throw ValidationError("--random takes a count of at least 1") }
            if runQueue && (queue || !assignments.isEmpty || sweep != nil) {
                throw ValidationError("--run-queue runs what is queued; give variants without it")
            }
        }

        func run() throws {
            let session = try Session(pipelines: report.pipelines)
            let experiments = try Experiments(session: session)
            let reporter = ExperimentReporter(json: report.json, verbose: verbose)
            let pending: [Experiment]
            if runQueue {
                pending = try experiments.queued()
                if pending.isEmpty { return Output.standardError("the queue is empty") }
            } else {
                pending = try experiments.queue(try variants(session), prefix: name)
                if queue { return pending.forEach(reporter.queued) }
            }
            let cancellation = Cancellation()
            let signals = RunCommand.cancelOnSignals(cancellation)
            // An unknown name or a bad `slurm:` block fails before anything runs.
            let probe = try ExecutorChoice.make(executor, workspace: session.workspace)
            let choice = executor
            let results = try experiments.run(pending, jobs: jobs ?? ExecutorChoice.defaultJobs(probe), cancellation: cancellation,
                                              executor: { try ExecutorChoice.make(choice, workspace: $0) },
                                              observer: reporter.observer(for:), finished: reporter.finished)
            withExtendedLifetime(signals) {}
            if cancellation.isCancelled { throw ExitStatus(code: 130) }
            if results.contains(where: { $0.status == .failed }) { throw ExitStatus(code: 1) }
        }

        private func variants(_ session: Session) throws -> [Sweep.Variant] {
            var sweep = try Sweep(assignments: assignments)
            var random = self.random, seed = self.seed ?? 0
            if let file = self.sweep {
                let node = try YAMLDocument.parse(try FileSystem.readAll(file), file: file)
                guard let block = node["sweep"] else {
                    throw CairnError(.invalidValue, "\(file) has no 'sweep:' block", at: node.location)
                }
                sweep = try Sweep(block: block).merging(sweep)
                if random == nil, let count = node["random"] { random = try ConfigDecoder().decode(Int.self, from: count) }
                if self.seed == nil, let fileSeed = node["seed"] { seed = try ConfigDecoder().decode(UInt64.self, from: fileSeed) }
            }
            guard !sweep.isEmpty else {
                throw CairnError(.usage, "no variants to run", hint: "give -S KEY=VALUES or --sweep FILE, or --run-queue")
            }
            return try random.map { try sweep.random($0, seed: seed) } ?? sweep.grid()
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One row per experiment: name, time, commit, status, changed params, metrics.")

        @Option(name: .customLong("sort-by"), help: "Order by this column (a metric, a param, created, …).")
        var sortBy: String?

        @Flag(help: "With --sort-by: largest first.")
        var descending = false

        @Option(help: "Only rows where KEY OP VALUE holds (OP: = != < <= > >=), e.g. 'accuracy>=0.9' (repeatable).")
        var filter: [String] = []

        @Flag(help: "A JSON array of experiments.") var json = false
        @Flag(help: "Comma-separated values with a header.") var csv = false

        func run() throws {
            let session = try Session(pipelines: [])
            var table = ExperimentTable(try Experiments(session: session).experiments.all().map(\.experiment))
            for expression in filter { try table.filter(expression) }
            if let sortBy { try table.sort(by: sortBy, descending: descending) }
            if json { return Output.standardOutput(table.json.pretty()) }
            if csv { return Output.standardOutput(table.csv, newline: false) }
            let cells = [table.columns.map(\.title)] + table.rows.map { row in
                table.columns.map { column in
                    switch column.field {
                    case .created: return LocalTime.minute(row.created)
                    case .metric: return table.value(row, column).map { text in Double(text).map(Output.short) ?? text } ?? "–"
                    default: return table.value(row, column) ?? "–"
                    }
                }
            }
            let widths = table.columns.indices.map { index in cells.map { $0[index].count }.max() ?? 0 }
            for line in cells {
                Output.standardOutput(zip(line, widths).map { $0.padding($1 + 2) }.joined().trimmingTrailingSpaces)
            }
        }
    }

    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Params and metrics of experiment A against experiment B.")

        @Argument var first: String
        @Argument var second: String
        @Flag(help: "One JSON object per line.") var json = false

        func run() throws {
            let session = try Session(pipelines: [])
            let store = try Experiments(session: session).experiments
            func values(_ name: String) throws -> ValueComparison.Values {
                let (experiment, commit) = try store.named(name)
                let locks = try store.locks(at: commit)
                return ValueComparison.params(recorded: locks).merging(experiment.metrics) { first, _ in first }
            }
            ValueDiff.print(ValueComparison.rows(try values(first), try values(second)).filter { $0.old != $0.new },
                            json: json, labels: (first, second))
        }
    }

    struct Apply: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Put an experiment's params and outputs into the workspace; `git commit` then pins it as any run.")

        @Argument var name: String
        @Flag(help: "Overwrite files changed since the last run or checkout.") var force = false

        func run() throws {
            let outcome = try Experiments(session: try Session(pipelines: [])).apply(name, force: force)
            Output.standardOutput("applied \(name): restored \(outcome.restored) path\(outcome.restored == 1 ? "" : "s")"
                                  + (outcome.unchanged > 0 ? ", \(outcome.unchanged) already were" : "") + "; params written")
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Forget experiments (`cairn gc` then frees what only they kept).")

        @Argument var names: [String] = []
        @Flag(help: "Every experiment.") var all = false
        @Flag(help: "Every queued experiment.") var queued = false

        func validate() throws {
            if names.isEmpty && !all && !queued { throw ValidationError("name experiments, or give --all or --queued") }
        }

        func run() throws {
            let store = try Experiments(session: try Session(pipelines: [])).experiments
            let everything = try store.all().map(\.experiment)
            let chosen = all ? everything.map(\.name) : queued ? everything.filter { $0.status == .queued }.map(\.name) : names
            for name in chosen { try store.remove(name) }
            Output.standardOutput("removed \(chosen.count) experiment\(chosen.count == 1 ? "" : "s")")
        }
    }
}
