import CairnSupport
import Drift
import FoundationEssentials
import Learn
import MonitorStage
import Tables
import Testing
import TestSupport
import TrainStage

/// The monitor on the penguins: the training split as reference, batches made from it.
@Suite struct MonitorStageTests {
    let harness = StageHarness()

    init() throws {
        try FeaturesStageTests.splitAndEncode(in: harness)
        let train = TrainStage(config: try JSONDecoder().decode(TrainStage.Config.self, from: Data(#"{"model": "logistic_regression", "target": "species"}"#.utf8)))
        try harness.run(train, inputs: ["train": "f/train", "transform": "f/transform.json"], outputs: ["model": "m/model.json", "trials": "m/trials.csv"])
        try harness.write(#"{"accuracy": 0.95, "log_loss": 0.1}"#, to: "e/metrics.json")
    }

    func monitor(_ current: String, _ config: String = "{}", model: Bool = true) throws -> DriftReport {
        let stage = MonitorStage(config: try JSONDecoder().decode(MonitorStage.Config.self, from: Data(config.utf8)))
        var inputs = ["reference": "s/train", "current": current]
        if model { inputs.merge(["model": "m/model.json", "metrics": "e/metrics.json"]) { $1 } }
        try harness.run(stage, inputs: inputs, outputs: ["report": "r/drift.json"])
        return try JSONDecoder().decode(DriftReport.self, from: Data(harness.text("r/drift.json").utf8))
    }

    /// Every third row of the reference itself: nothing drifts, predictions neither; the model's
    /// metrics on it sit beside the evaluation's.
    @Test func aSampleOfTheReferenceHasNotDrifted() throws {
        let reference = try harness.table("s/train")
        try reference.taking(Array(stride(from: 0, to: reference.rowCount, by: 3))).save(to: harness.path("batch.csv"))
        let report = try monitor("batch.csv")
        #expect(!report.verdict.drift && report.verdict.driftedColumns == 0)
        #expect(Set(report.columns.keys) == ["island", "bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g", "sex", "year"])
        #expect(report.columns["bill_length_mm"]!.numeric!.ksPValue > 0.5 && report.columns["island"]!.categorical!.newCategories.isEmpty)
        #expect(report.prediction?.drifted == false)
        let accuracy = try #require(report.performance?["accuracy"])
        #expect(accuracy.batch > 0.9 && accuracy.evaluation == 0.95 && abs(accuracy.change! - (accuracy.batch - 0.95)) < 1e-12)
        #expect(harness.progress.reruns.withLock { $0.isEmpty })
    }

    /// The shipped batch: most birds Gentoo, bills 3 mm longer; with `retrain` the stage asks for
    /// the training stages upstream of it to rerun, with its report as their evidence.
    @Test func aShiftedBatchDriftsAndAsksForRetraining() throws {
        let report = try monitor(TestData.repository + "/data/penguins-batch.csv", #"{"on_drift": "retrain", "tests": {"body_mass_g": "psi"}}"#)
        #expect(report.verdict.drift && report.verdict.share >= 0.3)
        #expect(report.columns["bill_length_mm"]!.drifted && report.columns["bill_length_mm"]!.test == .ks)
        let mass = report.columns["body_mass_g"]!
        #expect(mass.test == .psi && mass.value == mass.numeric!.psi && mass.threshold == 0.2)
        #expect(report.rows == ["reference": 258, "current": 100])
        let requests = harness.progress.reruns.withLock { $0 }
        #expect(requests.count == 1 && requests[0].0 == .upstream(kind: "train") && requests[0].1 == "report")
    }

    /// A directory of batches is read as one batch, in name order.
    @Test func aDirectoryOfBatches() throws {
        let reference = try harness.table("s/train")
        try harness.write("", to: "batches/.keep")
        let even = Array(stride(from: 0, to: reference.rowCount, by: 2))
        try reference.taking(Array(even.prefix(60))).save(to: harness.path("batches/2026-11-01.csv"))
        try reference.taking(Array(even.dropFirst(60))).save(to: harness.path("batches/2026-11-02.csv"))
        let report = try monitor("batches")
        #expect(report.rows["current"] == even.count && !report.verdict.drift)
    }

    /// Labels of one class only: ROC AUC is undefined on the batch and left out, the rest stays.
    @Test func aBatchOfOneClassLeavesOutWhatItCannotDefine() throws {
        let reference = try harness.table("s/train"), species = try reference.column("species")
        try reference.taking((0..<reference.rowCount).filter { species.text(at: $0) == "Gentoo" }).save(to: harness.path("gentoo.csv"))
        let performance = try #require(try monitor("gentoo.csv").performance)
        #expect(performance["roc_auc_ovr"] == nil && performance["accuracy"] != nil)
    }

    /// The share of missing values on each side, and its change.
    @Test func missingValueRates() throws {
        var batch = try harness.table("s/train")
        let column = try batch.column("bill_length_mm"), lengths = column.doubles()!
        let absent = Set(column.validity?.missingRows ?? [])
        let blanked = (0..<batch.rowCount).map { $0 % 5 == 0 || absent.contains($0) ? nil : lengths[$0] }
        try batch.replace(Column(name: "bill_length_mm", values: .float64(blanked.map { $0 ?? 0 }),
                                 validity: Validity(count: blanked.count, missing: blanked.indices.filter { blanked[$0] == nil })))
        try batch.save(to: harness.path("holes.csv"))
        let missing = try monitor("holes.csv", model: false).columns["bill_length_mm"]!.missing
        let (before, after) = (Double(absent.count) / 258, Double(blanked.filter { $0 == nil }.count) / 258)
        #expect(after > before + 0.15)
        #expect(abs(missing.reference - before) < 1e-12 && abs(missing.current - after) < 1e-12 && abs(missing.change - (after - before)) < 1e-12)
    }

    @Test func aNewCategoryIsNamed() throws {
        var batch = try harness.table("s/train")
        let islands = (0..<batch.rowCount).map { $0 % 4 == 0 ? "Atlantis" : batch.columns[1].text(at: $0) ?? "Dream" }
        try batch.replace(Column(name: "island", values: .string(islands)))
        try batch.save(to: harness.path("atlantis.csv"))
        let report = try monitor("atlantis.csv", model: false)
        let island = report.columns["island"]!
        #expect(island.categorical!.newCategories == ["Atlantis"] && island.drifted)
        #expect(abs(island.shares!["Atlantis"]![1] - 65.0 / 258) < 1e-12 && island.shares!["Atlantis"]![0] == 0)
        #expect(report.prediction == nil && report.performance == nil)
    }

    @Test func failAndWarn() throws {
        let batch = TestData.repository + "/data/penguins-batch.csv"
        #expect(try monitor(batch, #"{"on_drift": "warn"}"#).verdict.drift)
        #expect(throws: CairnError.self) { try monitor(batch, #"{"on_drift": "fail"}"#) }
        do {
            _ = try monitor(batch, #"{"on_drift": "fail"}"#)
        } catch let error as CairnError {
            #expect(error.message.contains("bill_length_mm") && error.message.contains("columns"))
        }
        // A share above what drifted turns the verdict.
        #expect(try !monitor(batch, #"{"on_drift": "fail", "thresholds": {"share": 0.99}}"#).verdict.drift)
    }

    @Test func configMistakesAreClear() throws {
        func message(_ config: String) -> String {
            do {
                _ = try monitor("s/train", config)
                return ""
            } catch { return "\(error)" }
        }
        #expect(message(#"{"thresholds": {"psy": 0.1}}"#).contains("did you mean 'psi'"))
        #expect(message(#"{"tests": {"island": "ks"}}"#).contains("test 'ks' is for numeric columns"))
        #expect(message(#"{"tests": {"numeric": "t_test"}}"#).contains("'t_test' is not one of"))
        #expect(message(#"{"retrain": ["train"]}"#).contains("on_drift: retrain"))
        #expect(message(#"{"tests": {"bil_length_mm": "psi"}}"#).contains("did you mean 'bill_length_mm'"))
    }
}
