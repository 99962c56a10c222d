import CairnEngine
import CairnWatch
import Foundation
import StageCatalog
import Synchronization
import TestSupport
import Testing

/// The watcher's schedule, with a wall clock the test moves; inotify, runs and stages are real.
@Suite struct ScheduleTests {
    @Test func aScheduleFiresAtItsTimeAndRunsAlwaysRunStages() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-schedule-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/pipelines", withIntermediateDirectories: true)
        try """
            schedule: "0 3 * * *"
            stages:
              pull:
                cmd: date +%s%N > ${outputs.batch}
                outputs: { batch: out/batch.txt }
                always_run: true
              report:
                cmd: echo report > ${outputs.text}
                outputs: { text: out/report.txt }
            """.write(toFile: root + "/pipelines/nightly.yaml", atomically: true, encoding: .utf8)

        let workspace = Workspace(root: root)
        let hasher = ContentHasher(statCache: StatCache(file: workspace.statCacheFile))
        let run = WorkspaceRun(workspace: workspace, hasher: hasher,
                               store: Store(root: root + "/artifacts/.cache", hasher: hasher))
        let clock = Mutex(CronScheduleTests.local(2026, 11, 25, 2, 58))
        let triggers = Mutex<[Trigger]>([])
        let log = RecordedEvents()
        let watcher = try Watcher(workspace: workspace, kinds: StageCatalog.kinds,
                                  pipelineFiles: { ["pipelines/nightly.yaml"] }, options: .init(),
                                  wallClock: { clock.withLock { $0 } }) { trigger, cancellation in
            triggers.withLock { $0.append(trigger) }
            guard let graph = try? workspace.loadPipeline(file: "pipelines/nightly.yaml", kinds: StageCatalog.kinds) else { return (nil, nil) }
            var options = Runner.Options(jobs: 2)
            if case .schedule = trigger { options.scheduled = true }
            _ = try? run.perform([graph], options: options, observer: log, cancellation: cancellation, wait: true) { _ in }
            return ([graph], nil)
        }
        let finished = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            watcher.watch()
            finished.signal()
        }
        func wait(forTriggers count: Int) -> Bool {
            Polling.waitFor(seconds: 10) { triggers.withLock { $0.count } >= count && log.events.withLock { $0.count } >= 2 * count }
        }
        #expect(wait(forTriggers: 1))
        let firstBatch = try String(contentsOfFile: root + "/out/batch.txt", encoding: .utf8)

        clock.withLock { $0 = CronScheduleTests.local(2026, 11, 25, 2, 59) + 30 }
        watcher.recheck()
        usleep(300_000)
        #expect(triggers.withLock { $0 } == [.start])  // not yet

        clock.withLock { $0 = CronScheduleTests.local(2026, 11, 25, 3, 0) }
        watcher.recheck()
        #expect(wait(forTriggers: 2))
        #expect(triggers.withLock { $0 } == [.start, .schedule(["nightly"])])
        let scheduled = log.events.withLock { Array($0.suffix(2)) }
        #expect(scheduled.first { $0.stage == "pull" }?.status == .ran)
        #expect(scheduled.first { $0.stage == "pull" }?.reasons == [.scheduled])
        #expect(scheduled.first { $0.stage == "report" }?.status == .skipped)
        #expect(try String(contentsOfFile: root + "/out/batch.txt", encoding: .utf8) != firstBatch)

        watcher.stop()
        #expect(finished.wait(timeout: .now() + 10) == .success)
    }
}

/// Bounded waiting for something another thread does.
enum Polling {
    static func waitFor(seconds: Double, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            usleep(20_000)
        }
        return condition()
    }
}
