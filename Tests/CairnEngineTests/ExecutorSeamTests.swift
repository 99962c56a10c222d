import CairnCore
import CairnEngine
import CairnSupport
import Foundation
import Synchronization
import TestSupport
import Testing

/// Runs stages in this process, as `LocalExecutor` does, and remembers every job it was given;
/// `failing` stages fail before running, `silent` ones succeed without writing anything.
final class CountingExecutor: StageExecutor {
    let jobs = Mutex<[StageJob]>([])
    let failing: Set<String>, silent: Set<String>
    let local: LocalExecutor

    init(workspace: Workspace, failing: Set<String> = [], silent: Set<String> = []) {
        local = LocalExecutor(workspace: workspace)
        self.failing = failing
        self.silent = silent
    }

    func run(_ job: StageJob, observer: any RunObserver, cancellation: Cancellation) throws -> [RerunAsk] {
        jobs.withLock { $0.append(job) }
        if failing.contains(job.id.stage) { throw CairnError(.stageFailed, "the node went away") }
        if silent.contains(job.id.stage) { return [] }
        return try local.run(job, observer: observer, cancellation: cancellation)
    }

    var stages: [String] { jobs.withLock { $0.map(\.id.stage) } }
}

/// The runner decides and records; the executor only runs. What never needs running (fresh,
/// or restored from the run cache) never reaches an executor, and what an executor does not
/// deliver is never moved into place or recorded.
@Suite struct ExecutorSeamTests {
    static func pipeline(triple factor: Int) -> String {
        """
        stages:
          double:
            uses: scale
            inputs: { number: data/n.txt }
            with: { factor: 2 }
          triple:
            uses: scale
            inputs: { number: double.scaled }
            with: { factor: \(factor) }
        """
    }

    func run(_ fixture: EngineFixture, _ graph: PipelineGraph, executor: CountingExecutor) throws -> [StageEvent] {
        let workspace = Workspace(root: fixture.root)
        let hasher = ContentHasher(statCache: StatCache(file: workspace.statCacheFile))
        let run = WorkspaceRun(workspace: workspace, hasher: hasher, store: Store(root: fixture.root + "/artifacts/.cache", hasher: hasher),
                               executor: executor)
        let observer = RecordedEvents()
        return try run.perform([graph], options: Runner.Options(jobs: 2), observer: observer, cancellation: Cancellation(),
                               wait: false) { _ in }.events
    }

    @Test func onlyStagesThatMustRunReachTheExecutor() throws {
        let fixture = try EngineFixture(["data/n.txt": "7\n"])
        defer { try? FileManager.default.removeItem(atPath: fixture.root) }
        let workspace = Workspace(root: fixture.root)
        let first = CountingExecutor(workspace: workspace)
        _ = try run(fixture, fixture.graph(Self.pipeline(triple: 3)), executor: first)
        #expect(first.stages.sorted() == ["double", "triple"])
        let job = try #require(first.jobs.withLock { $0.first { $0.id.stage == "double" } })
        #expect(job.inputs["number"] == fixture.root + "/data/n.txt")
        #expect(job.outputs.values.allSatisfy { $0.hasPrefix(workspace.temporaryDirectory + "/") }, "outputs go to temporary paths")
        #expect(job.logPath == workspace.logPath(pipeline: "p", stage: "double"))
        #expect(try FileSystem.readText(fixture.root + "/artifacts/p/triple/scaled") == "42.0\n")

        let fresh = CountingExecutor(workspace: workspace)
        #expect(try run(fixture, fixture.graph(Self.pipeline(triple: 3)), executor: fresh).map(\.status) == [.skipped, .skipped])
        #expect(fresh.stages.isEmpty)

        let changed = CountingExecutor(workspace: workspace)
        _ = try run(fixture, fixture.graph(Self.pipeline(triple: 4)), executor: changed)
        #expect(changed.stages == ["triple"])

        let back = CountingExecutor(workspace: workspace)
        let events = try run(fixture, fixture.graph(Self.pipeline(triple: 3)), executor: back)
        #expect(events.first { $0.stage == "triple" }?.status == .restored)
        #expect(back.stages.isEmpty, "a run-cache hit is restored without running anything")
    }

    @Test func whatAnExecutorDoesNotDeliverIsNeitherMovedNorRecorded() throws {
        let fixture = try EngineFixture(["data/n.txt": "7\n"])
        defer { try? FileManager.default.removeItem(atPath: fixture.root) }
        let workspace = Workspace(root: fixture.root)
        _ = try run(fixture, fixture.graph(Self.pipeline(triple: 3)), executor: CountingExecutor(workspace: workspace))
        let lock = try FileSystem.readText(workspace.lockFilePath(pipeline: "p"))

        let failing = try run(fixture, fixture.graph(Self.pipeline(triple: 5)), executor: CountingExecutor(workspace: workspace, failing: ["triple"]))
        #expect(failing.first { $0.stage == "triple" }?.error?.message == "the node went away")
        let silent = try run(fixture, fixture.graph(Self.pipeline(triple: 6)), executor: CountingExecutor(workspace: workspace, silent: ["triple"]))
        #expect(silent.first { $0.stage == "triple" }?.error?.code == .missingOutput)
        #expect(try FileSystem.readText(fixture.root + "/artifacts/p/triple/scaled") == "42.0\n", "the output built before stays")
        #expect(try FileSystem.readText(workspace.lockFilePath(pipeline: "p")) == lock, "nothing new is recorded")
    }
}
