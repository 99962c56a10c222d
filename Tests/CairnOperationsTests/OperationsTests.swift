import CairnCore
import CairnEngine
import CairnGit
import CairnOperations
import CairnSupport
import Synchronization
import Testing
import TestSupport

final class Notes: Sendable {
    let lines = Mutex<[String]>([])
}

/// A workspace in a fresh git repository with one command stage that writes a metrics file
/// and a note; `run(accuracy:)` rewrites the pipeline, runs it and records the lineage.
struct OperationsWorkspace {
    let root = TestData.temporaryDirectory()
    let notes = Notes()
    var session: Session { Session(workspace: Workspace(root: root)) }

    init(git: Bool = true) throws {
        if git { _ = try GitRepository.create(root) }
        try FileSystem.makeDirectories(root + "/pipelines")
    }

    func write(accuracy: Double, param: Int = 1) throws {
        try FileSystem.writeAtomically(Array("train:\n  seed: \(param)\n".utf8), to: root + "/params.yaml")
        try FileSystem.writeAtomically(Array("""
            params: params.yaml
            stages:
              score:
                cmd: "printf '{\\"accuracy\\": \(accuracy)}' > ${outputs.metrics} && echo \(accuracy) > ${outputs.note}"
                outputs: { metrics: out/metrics.json, note: out/note.txt }
                metrics: [metrics]
                params: [train.seed]
            """.utf8), to: root + "/pipelines/p.yaml")
    }

    /// Runs the pipeline as it is written now; returns the lineage commit, if one was recorded.
    @discardableResult
    func run(accuracy: Double, param: Int = 1) throws -> String? {
        try write(accuracy: accuracy, param: param)
        let session = self.session, graphs = try session.loadGraphs()
        let outcome = try WorkspaceRun(workspace: session.workspace, hasher: session.hasher, store: try session.makeStore())
            .perform(graphs, options: Runner.Options(jobs: 1), observer: RecordedEvents(), cancellation: Cancellation(), wait: false) { _ in }
        let recorder = LineageRecorder(workspace: session.workspace, tool: "cairn test") { [notes] text in notes.lines.withLock { $0.append(text) } }
        return try recorder.record(graphs, events: outcome.events, started: 0, finished: 1)?.commit
    }

    func text(_ path: String) throws -> String { try FileSystem.readText(root + "/" + path) }
    var lineage: Lineage { Lineage(repository: GitRepository.discover(root)!, workspaceRoot: root) }
}

/// The operations behind checkout, gc, push/pull, the diffs and the report, driven as a library.
@Suite struct OperationsTests {
    @Test func aRunIsRecordedOnlyWhenItChangesAnOutput() throws {
        let workspace = try OperationsWorkspace()
        #expect(try workspace.run(accuracy: 0.5) != nil)
        #expect(try workspace.run(accuracy: 0.5) == nil, "a run that changes nothing records nothing")
        #expect(try workspace.lineage.history(limit: 10).count == 1)
        #expect(workspace.notes.lines.withLock { $0 }.isEmpty)

        let plain = try OperationsWorkspace(git: false)
        #expect(try plain.run(accuracy: 0.5) == nil)
        #expect(plain.notes.lines.withLock { $0 }.first?.hasPrefix("lineage is off") == true)
        #expect(try plain.text("out/note.txt") == "0.5\n", "runs work without git")
    }

    @Test func checkoutPutsBackOutputsAndLockRecords() throws {
        let workspace = try OperationsWorkspace()
        let first = try #require(try workspace.run(accuracy: 0.5))
        try workspace.run(accuracy: 0.75)
        #expect(try workspace.text("out/note.txt") == "0.75\n")
        let session = workspace.session
        let outcome = try Checkout(session: session, store: try session.makeStore())
            .restore(try workspace.lineage.locks(at: first), paths: ["out/metrics.json"], label: "first")
        #expect(outcome == .init(restored: 2, unchanged: 0), "a stage's outputs come back together")
        #expect(try workspace.text("out/note.txt") == "0.5\n")
        #expect(try LockFile.load(session.workspace.lockFilePath(pipeline: "p")) == (try workspace.lineage.locks(at: first))["p"])
        #expect(throws: CairnError.self) {
            try Checkout(session: session, store: try session.makeStore()).restore(try workspace.lineage.locks(at: first),
                                                                                   paths: ["out/nothing.txt"], label: "first")
        }
    }

    /// A file changed since the last run would lose its changes: only `force` overwrites it.
    @Test func checkoutRefusesToOverwriteAChangedFileUnlessForced() throws {
        let workspace = try OperationsWorkspace()
        let first = try #require(try workspace.run(accuracy: 0.5))
        try workspace.run(accuracy: 0.75)
        try FileSystem.writeAtomically(Array("edited\n".utf8), to: workspace.root + "/out/note.txt")
        let checkout = Checkout(session: workspace.session, store: try workspace.session.makeStore())
        let locks = try workspace.lineage.locks(at: first)
        do {
            try checkout.restore(locks, paths: [], label: "first")
            Issue.record("overwrote a changed file")
        } catch let error as CairnError {
            #expect(error.message.contains("out/note.txt") && !error.message.contains("metrics.json"), "\(error)")
        }
        #expect(try workspace.text("out/note.txt") == "edited\n")
        #expect(try workspace.text("out/metrics.json") == "{\"accuracy\": 0.75}", "nothing was touched")
        #expect(try checkout.restore(locks, paths: [], label: "first", force: true) == .init(restored: 2, unchanged: 0))
        #expect(try workspace.text("out/note.txt") == "0.5\n")
        #expect(try checkout.restore(locks, paths: [], label: "first") == .init(restored: 0, unchanged: 2))
    }

    @Test func checkoutRefusesAReservedPathAndTouchesNothing() throws {
        let workspace = try OperationsWorkspace()
        let first = try #require(try workspace.run(accuracy: 0.5))
        var locks = try workspace.lineage.locks(at: first)
        var record = locks["p"]!.stages["score"]!
        record.outputs[".git/hooks/pre-commit"] = record.outputs["out/note.txt"]!
        locks["p"]!.stages["score"] = record
        try workspace.run(accuracy: 0.75)
        let session = workspace.session
        do {
            try Checkout(session: session, store: try session.makeStore()).restore(locks, paths: [], label: "hostile")
            Issue.record("checked out a reserved path")
        } catch let error as CairnError {
            #expect(error.message.contains(".git/hooks/pre-commit"), "\(error)")
        }
        #expect(!FileSystem.exists(workspace.root + "/.git/hooks/pre-commit"))
        #expect(try workspace.text("out/note.txt") == "0.75\n")
    }

    @Test func gcKeepsWhatTheWorkspaceAndKeptRunsReferTo() throws {
        let workspace = try OperationsWorkspace()
        try workspace.run(accuracy: 0.5)
        try workspace.run(accuracy: 0.75)
        let collection = GarbageCollection(session: workspace.session)
        #expect(try collection.collect(keepLast: nil, dryRun: false).freed.objects == 0, "every recorded run is kept")
        let dry = try collection.collect(keepLast: 1, dryRun: true)
        #expect(dry.freed.objects == 2 && dry.keptRuns == 1)
        #expect(try collection.collect(keepLast: 1, dryRun: false).freed.objects == 2)
        #expect(try collection.collect(keepLast: 1, dryRun: false).freed.objects == 0)
        #expect(try workspace.text("out/note.txt") == "0.75\n")
    }

    @Test func metricsAndParamsCompareWithTheWorkspace() throws {
        let workspace = try OperationsWorkspace()
        let first = try #require(try workspace.run(accuracy: 0.5, param: 1))
        try workspace.run(accuracy: 0.75, param: 2)
        let comparison = ValueComparison(session: workspace.session)
        let locks = try workspace.lineage.locks(at: first)
        let metrics = ValueComparison.rows(try comparison.metrics(recorded: locks, label: "first"), try comparison.currentMetrics())
        #expect(metrics == [.init(key: "out/metrics.json:accuracy", old: "0.5", new: "0.75")])
        #expect(metrics[0].delta == 0.25)
        let params = ValueComparison.rows(ValueComparison.params(recorded: locks), try comparison.currentParams())
        #expect(params.map(\.key) == ["p:train.seed"] && params[0].old == "1" && params[0].new == "2")
    }

    /// A built-in stage's `with:` values are params too (a model's hyperparameters, a split's seed).
    @Test func paramsIncludeEachBuiltInStagesConfig() throws {
        let workspace = try OperationsWorkspace()
        try FileSystem.writeAtomically(Array("x,y\n1,a\n2,b\n".utf8), to: workspace.root + "/data.csv")
        func pipeline(_ categories: Int) throws {
            try FileSystem.writeAtomically(Array("""
                stages:
                  ingest:
                    uses: ingest
                    inputs: { source: data.csv }
                    with: { max_categories: \(categories), schema: { x: int } }
                """.utf8), to: workspace.root + "/pipelines/p.yaml")
        }
        try pipeline(10)
        let session = workspace.session
        let outcome = try WorkspaceRun(workspace: session.workspace, hasher: session.hasher, store: try session.makeStore())
            .perform(try session.loadGraphs(), options: Runner.Options(jobs: 1), observer: RecordedEvents(), cancellation: Cancellation(), wait: false) { _ in }
        #expect(!outcome.failed)
        let locks = ["p": try LockFile.load(session.workspace.lockFilePath(pipeline: "p"))]
        try pipeline(20)
        let rows = ValueComparison.rows(ValueComparison.params(recorded: locks), try ValueComparison(session: session).currentParams())
        #expect(rows.map(\.key) == ["p:ingest:max_categories", "p:ingest:schema.x"])
        #expect(rows[0].old == "10" && rows[0].new == "20" && rows[0].delta == 10 && rows[1].old == rows[1].new)
    }

    @Test func theReportShowsMetricsAndTheDag() throws {
        let workspace = try OperationsWorkspace()
        try workspace.run(accuracy: 0.5)
        let session = workspace.session
        let page = try PipelineReport(session: session, graph: try session.loadGraphs()[0]).page()
        #expect(page.metrics.map(\.file) == ["out/metrics.json"] && page.metrics[0].values == ["accuracy": "0.5"])
        #expect(page.metrics[0].previous == nil, "nothing is committed in HEAD")
        #expect(page.plots.isEmpty && page.drift.isEmpty)
        #expect(page.html.contains("<svg") && page.html.contains("accuracy"))
    }

    @Test func pushAndPullCopyWhatTheOtherLacks() throws {
        let workspace = try OperationsWorkspace()
        try workspace.run(accuracy: 0.5)
        let remote = TestData.temporaryDirectory()
        let stores = try RemoteStores(session: workspace.session, environment: ["CAIRN_REMOTE": remote])
        #expect(try stores.push().objects == 2)
        #expect(try stores.push().objects == 0)
        try FileSystem.remove(stores.local.root)
        #expect(try stores.pull().objects == 2)
        #expect(throws: CairnError.self) { try RemoteStores(session: workspace.session, environment: [:]) }
    }
}
