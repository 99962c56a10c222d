import Foundation
import Testing

/// `cairn watch` with real files and real inotify; every wait is bounded.
@Suite struct WatchTests {
    static let pipeline = """
        stages:
          upper:
            cmd: tr a-z A-Z < ${inputs.raw} > ${outputs.text}
            inputs: { raw: data/words.txt }
            outputs: { text: out/upper.txt }
          count:
            cmd: wc -l < ${inputs.text} | tr -d ' ' > ${outputs.count}
            inputs: { text: upper.text }
            outputs: { count: out/count.txt }
          shards:
            cmd: ls ${inputs.dir} | wc -l | tr -d ' ' > ${outputs.n}; echo "{\\"files\\":$(cat ${outputs.n})}" > ${outputs.metrics}
            inputs: { dir: data/shards }
            outputs: { n: out/shards.txt, metrics: out/metrics.json }
            metrics: [metrics]
        """

    static func makeWorkspace(_ pipeline: String = pipeline) throws -> TestWorkspace {
        try TestWorkspace(files: ["pipelines/w.yaml": pipeline, "data/words.txt": "a\nb\n", "data/shards/0.csv": "x\n"])
    }

    @Test func aDataChangeRerunsOnlyTheStagesThatDependOnIt() throws {
        let workspace = try Self.makeWorkspace()
        let watch = try WatchProcess(workspace)
        #expect(watch.waitForSummaries(1))
        #expect(watch.statuses(ofRun: 0) == ["upper": "ran", "count": "ran", "shards": "ran"])
        try workspace.write("data/words.txt", "a\nb\nc\n")
        #expect(watch.waitForSummaries(2))
        #expect(watch.statuses(ofRun: 1) == ["upper": "ran", "count": "ran", "shards": "skipped"])
        #expect(watch.events("trigger").last?["paths"] as? [String] == ["data/words.txt"])
        #expect(try workspace.read("out/count.txt") == "3\n")
        #expect(watch.stop() == 0)
    }

    @Test func aBurstOfCopiedFilesTriggersOneRunAndReportsTheMetric() throws {
        let workspace = try Self.makeWorkspace()
        let watch = try WatchProcess(workspace)
        #expect(watch.waitForSummaries(1))
        let staging = workspace.root.appendingPathComponent("staging")
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        for index in 1...100 { try Data("row \(index)\n".utf8).write(to: staging.appendingPathComponent("\(index).csv")) }
        for index in 1...100 {
            try FileManager.default.copyItem(at: staging.appendingPathComponent("\(index).csv"),
                                             to: workspace.root.appendingPathComponent("data/shards/\(index).csv"))
        }
        #expect(watch.waitForSummaries(2))
        usleep(800_000)  // a second run would have started by now
        #expect(watch.events("summary").count == 2)
        #expect(watch.events("trigger").count == 2)
        #expect(watch.statuses(ofRun: 1) == ["upper": "skipped", "count": "skipped", "shards": "ran"])
        #expect(try workspace.read("out/shards.txt") == "101\n")
        let metric = try #require(watch.events("metric").last)
        #expect(metric["key"] as? String == "files" && metric["old"] as? String == "1" && metric["new"] as? String == "101")
        #expect(watch.stop() == 0)
    }

    @Test func aChangeDuringARunIsHandledRightAfterIt() throws {
        let slow = Self.pipeline.replacingOccurrences(
            of: "cmd: tr a-z A-Z < ${inputs.raw} > ${outputs.text}",
            with: "cmd: touch started; while [ ! -f go ]; do sleep 0.02; done; rm go; tr a-z A-Z < ${inputs.raw} > ${outputs.text}")
        let workspace = try Self.makeWorkspace(slow)
        try workspace.write("go", "")
        let watch = try WatchProcess(workspace)
        #expect(watch.waitForSummaries(1))
        try workspace.remove("started")
        try workspace.write("data/words.txt", "one\n")
        #expect(TestWorkspace.waitFor(seconds: 10) { workspace.exists("started") })
        try workspace.write("data/words.txt", "one\ntwo\n")  // while `upper` runs on "one"
        usleep(300_000)
        try workspace.write("go", "")
        #expect(TestWorkspace.waitFor(seconds: 10) { !workspace.exists("go") })
        try workspace.write("go", "")
        #expect(watch.waitForSummaries(3))
        #expect(watch.statuses(ofRun: 2)["upper"] == "ran")
        #expect(try workspace.read("out/count.txt") == "2\n")
        #expect(watch.stop() == 0)
    }

    @Test func aBrokenPipelineIsReportedAndTheFixRuns() throws {
        let workspace = try Self.makeWorkspace()
        let watch = try WatchProcess(workspace)
        #expect(watch.waitForSummaries(1))
        try workspace.write("pipelines/w.yaml", "stages:\n  upper: [unclosed\n")
        #expect(TestWorkspace.waitFor(seconds: 10) { !watch.events("error").isEmpty })
        #expect(watch.events("error").first?["code"] as? String == "yamlSyntax")
        try workspace.write("pipelines/w.yaml", Self.pipeline.replacingOccurrences(of: "tr a-z A-Z", with: "tr a-z A-Z | rev"))
        #expect(watch.waitForSummaries(2))
        #expect(watch.statuses(ofRun: 1)["upper"] == "ran")
        #expect(watch.process.isRunning)
        #expect(watch.stop() == 0)
    }

    @Test func aFailingStageOrADeletedInputDoesNotStopTheWatcher() throws {
        let failing = Self.pipeline.replacingOccurrences(of: "tr a-z A-Z < ${inputs.raw}", with: "grep -q ok ${inputs.raw} && cat ${inputs.raw}")
        let workspace = try Self.makeWorkspace(failing)
        let watch = try WatchProcess(workspace)
        #expect(watch.waitForSummaries(1))
        #expect(watch.statuses(ofRun: 0)["upper"] == "failed")
        try workspace.remove("data/words.txt")
        #expect(TestWorkspace.waitFor(seconds: 10) { watch.events("error").contains { $0["code"] as? String == "missingInput" } })
        try workspace.write("data/words.txt", "ok\n")
        #expect(watch.waitForSummaries(2))
        #expect(watch.statuses(ofRun: 1)["upper"] == "ran")
        #expect(try workspace.read("out/count.txt") == "1\n")
        #expect(watch.stop() == 0)
    }

    @Test func sigtermStopsARunningStageAndLeavesNoPartialOutput() throws {
        let slow = Self.pipeline.replacingOccurrences(
            of: "cmd: tr a-z A-Z < ${inputs.raw} > ${outputs.text}",
            with: "cmd: echo partial > ${outputs.text}; touch started; sleep 30")
        let workspace = try Self.makeWorkspace(slow)
        let watch = try WatchProcess(workspace)
        #expect(TestWorkspace.waitFor(seconds: 10) { workspace.exists("started") })
        #expect(watch.stop(signal: SIGTERM) == 0)
        #expect(!workspace.exists("out/upper.txt"))
        let lock = (try? workspace.read("pipelines/w.lock")) ?? ""
        #expect(!lock.contains("\"upper\""))
        try workspace.write("pipelines/w.yaml", slow.replacingOccurrences(of: "; sleep 30", with: ""))
        #expect(try workspace.cairn("run", "--no-wait").status == 0)  // the workspace lock was released
    }

    @Test func restartCancelsTheRunningStagesAndStartsAgain() throws {
        let slow = Self.pipeline.replacingOccurrences(
            of: "cmd: tr a-z A-Z < ${inputs.raw} > ${outputs.text}",
            with: "cmd: touch started; grep -q fast ${inputs.raw} || sleep 30; tr a-z A-Z < ${inputs.raw} > ${outputs.text}")
        let workspace = try Self.makeWorkspace(slow)
        let watch = try WatchProcess(workspace, arguments: ["--restart"])
        #expect(TestWorkspace.waitFor(seconds: 10) { workspace.exists("started") })
        try workspace.write("data/words.txt", "fast\n")
        #expect(watch.waitForSummaries(2, seconds: 10))
        #expect(watch.statuses(ofRun: 0)["upper"] == "failed")
        #expect(watch.statuses(ofRun: 1)["upper"] == "ran")
        #expect(try workspace.read("out/upper.txt") == "FAST\n")
        #expect(watch.stop() == 0)
    }
}
