import Foundation
import Testing

/// The example pipeline with its monitor set to retrain, in a real git repository: drift marks
/// the train stage, the next `cairn run` retrains with the drift report recorded as its input,
/// and the one after has nothing to do.
@Suite struct MonitorTests {
    static func workspace(onDrift: String) throws -> TestWorkspace {
        let workspace = try TestWorkspace()
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        for name in ["data", "params.yaml"] {
            try FileManager.default.copyItem(at: repository.appendingPathComponent(name), to: workspace.root.appendingPathComponent(name))
        }
        let pipeline = try String(contentsOf: repository.appendingPathComponent("pipelines/penguins.yaml"), encoding: .utf8)
        try workspace.write("pipelines/penguins.yaml", pipeline.replacingOccurrences(of: "on_drift: warn", with: "on_drift: \(onDrift)"))
        #expect(try workspace.cairn("init").status == 0)
        try LineageTests.git(workspace, "add", "-A")
        try LineageTests.git(workspace, "commit", "-qm", "penguins")
        return workspace
    }

    @Test func driftRetrainsOnTheNextRunWithTheReportAsInput() throws {
        let workspace = try Self.workspace(onDrift: "retrain")
        let first = try workspace.cairn("run", "--json")
        #expect(first.status == 0, "\(first.stderr)")
        let monitor = first.events.first { $0["stage"] as? String == "monitor" }
        #expect(monitor?["rerun_requested"] as? [String] == ["train"])
        let evidence = ".cairn/rerun/penguins/train.evidence"
        #expect(try workspace.bytes(evidence) == workspace.bytes("artifacts/penguins/drift.json"))

        let status = try workspace.cairn("status", "--json")
        #expect(status.events.contains { $0["stage"] as? String == "train" && $0["state"] as? String == "stale" })
        let second = try workspace.cairn("run", "--json")
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stages(withStatus: "ran") == ["train"], "the same data gives the same model: nothing after it reruns")
        #expect(second.reason("train")?.contains(evidence) == true)
        #expect(try workspace.cairn("run", "--json").stages(withStatus: "skipped").count == 7)

        // The model's lineage names the drift report it was retrained on, by content.
        let lock = try JSONSerialization.jsonObject(with: Data(try workspace.read("pipelines/penguins.lock").utf8)) as! [String: Any]
        let monitorRecord = (lock["stages"] as! [String: [String: Any]])["monitor"]!
        let reportHash = try #require((monitorRecord["outputs"] as! [String: String])["artifacts/penguins/drift.json"])
        let lineage = try workspace.cairn("lineage", "artifacts/penguins/model.json", "--json")
        #expect(lineage.status == 0, "\(lineage.stderr)")
        #expect(lineage.stdout.contains(evidence) && lineage.stdout.contains(reportHash))
    }

    @Test func failStopsTheRunAndWarnDoesNot() throws {
        let failing = try Self.workspace(onDrift: "fail")
        let result = try failing.cairn("run")
        #expect(result.status == 1)
        #expect(result.stderr.contains("drift in") && result.stderr.contains("bill_length_mm"))
        #expect(failing.exists("artifacts/penguins/metrics.json") && !failing.exists("artifacts/penguins/drift.json"))
        let warning = try Self.workspace(onDrift: "warn")
        #expect(try warning.cairn("run").status == 0)
        #expect(!warning.exists(".cairn/rerun"))
    }
}

/// `cairn watch` carries a retraining out as soon as the run that found the drift ends.
@Suite struct MonitorWatchTests {
    @Test func theRunningWatchRetrainsAfterDrift() throws {
        let workspace = try MonitorTests.workspace(onDrift: "retrain")
        let watch = try WatchProcess(workspace)
        #expect(watch.waitForSummaries(2, seconds: 60))
        #expect(watch.statuses(ofRun: 0)["monitor"] == "ran" && watch.statuses(ofRun: 1)["train"] == "ran")
        let triggers = watch.events("trigger").compactMap { $0["trigger"] as? String }
        #expect(triggers.prefix(2) == ["start", "rerun"])
        usleep(500_000)
        #expect(watch.events("summary").count == 2, "the retrained model is the same: no third run")
        #expect(watch.stop() == 0)
    }
}
