import CairnCore
import CairnSupport
import Drift
import Learn
import Tables

/// Compares a batch of new data with the data the model was trained on: per column whether it
/// drifted and how much, the data set's verdict, and with a model the drift of its predictions
/// and, when the batch has labels, its metrics on the batch beside those of its evaluation.
/// On drift it warns, fails the run, or marks the training stages to rerun.
public struct MonitorStage: Stage {
    public struct Config: Decodable, Sendable {
        public enum OnDrift: String, ConfigEnum { case warn, fail, retrain }

        /// "numeric", "categorical" or a column name → the test that decides.
        public var tests: [String: DriftTest] = [:]
        /// Statistic → threshold (`psi: 0.2`, `ks_pvalue: 0.01`, `share: 0.3`).
        public var thresholds = DriftTest.defaultThresholds
        public var ignore: [String] = []
        public var onDrift = OnDrift.warn
        /// The stages `retrain` marks; by default every train stage upstream of this one.
        public var retrain: [String]?

        public enum CodingKeys: String, ConfigKey {
            case tests
            case thresholds
            case ignore
            case onDrift = "on_drift"
            case retrain

            public var help: String {
                switch self {
                case .tests: "{numeric: ks | psi | wasserstein, categorical: chi_squared | jensen_shannon, COLUMN: TEST}; by default ks and "
                    + "chi_squared up to \(DriftTest.largeReferenceRows) reference rows, wasserstein and jensen_shannon above"
                case .thresholds: "{ks_pvalue: 0.01, psi: 0.2, wasserstein: 0.1 (of the reference's std), chi_squared_pvalue: 0.01, jensen_shannon: 0.1, share: 0.3}"
                case .ignore: "columns not to compare"
                case .onDrift: "warn | fail | retrain"
                case .retrain: "the stages retrain marks (default: the train stages upstream)"
                }
            }
        }

        public init() {}

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            tests = try container.decodeIfPresent([String: DriftTest].self, forKey: .tests) ?? [:]
            let given = try container.decodeIfPresent([String: Double].self, forKey: .thresholds) ?? [:]
            for key in given.keys where DriftTest.defaultThresholds[key] == nil {
                throw CairnError(.unknownKey, "no threshold '\(key)'",
                                 hint: Suggestion.hint(for: key, in: DriftTest.defaultThresholds.keys.sorted(), noun: "thresholds"))
            }
            thresholds = DriftTest.defaultThresholds.merging(given) { $1 }
            ignore = try container.decodeIfPresent([String].self, forKey: .ignore) ?? []
            onDrift = try container.decodeIfPresent(OnDrift.self, forKey: .onDrift) ?? .warn
            retrain = try container.decodeIfPresent([String].self, forKey: .retrain)
            if retrain != nil, onDrift != .retrain {
                throw CairnError(.invalidValue, "retrain names stages for on_drift: retrain", hint: "add on_drift: retrain")
            }
        }
    }

    public static let kind = "monitor"
    public static let version = 3
    public static let summary = "drift of a new batch against the training data; the model's metrics on it; warn, fail or retrain"
    public static let slots = StageSlots(inputs: [.init("reference"), .init("current"), .init("model", optional: true),
                                                  .init("metrics", optional: true)],
                                         outputs: [.init("report", role: .driftReport)])

    public typealias ConfigKeys = Config.CodingKeys

    public let config: Config

    public init(config: Config) { self.config = config }

    public func run(_ context: StageContext) throws {
        let reference = try context.table("reference")
        let current = try context.reading("current") { path, name in
            try Table.loadingShards(path, displayName: name ?? path, noun: "batches", accepts: { !$0.hasPrefix(".") }) {
                try Table.load($0, displayName: $1)
            }.table
        }
        let model = try context.readingIfGiven("model", ModelArtifact.read)
        let evaluation = try context.readingIfGiven("metrics") {
            try JSONFile.decode([String: Double].self, from: $0, displayName: $1, what: "metrics")
        }
        let report = try compare(reference, current, model: model, evaluation: evaluation)
        let reportPath = try context.output("report")
        try JSONFile.write(report, to: reportPath)
        let drifted = report.columns.filter(\.value.drifted).keys.sorted()
        let summary = "drift in \(drifted.count) of \(report.verdict.columns) columns"
            + (drifted.isEmpty ? "" : ": " + drifted.joined(separator: ", ")) + (report.verdict.drift ? " — the data set has drifted" : "")
        guard report.verdict.drift else { return context.log.write(summary) }
        switch config.onDrift {
        case .warn: context.warn(summary)
        case .fail:
            throw CairnError(.invalidData, "drift in \(drifted.count) of \(report.verdict.columns) columns (\(drifted.joined(separator: ", "))), at or above the share \(report.verdict.threshold)",
                             hint: "on_drift: fail stops the run; warn only reports")
        case .retrain:
            context.requestRerun(config.retrain.map(RerunRequest.stages) ?? .upstream(kind: "train"), "report")
        }
    }

    /// The report; `evaluation` is the evaluate stage's metrics.
    func compare(_ reference: Table, _ current: Table, model: ModelArtifact?, evaluation: [String: Double]?) throws -> DriftReport {
        let excluded = Set(config.ignore + (model.map { [$0.target] } ?? []))
        let names = reference.columnNames.filter { !excluded.contains($0) }
        for name in names where !current.columnNames.contains(name) {
            throw CairnError(.invalidData, "the current batch has no column '\(name)', which the reference has",
                             hint: "add it, or list it under ignore:")
        }
        for name in config.tests.keys where !["numeric", "categorical"].contains(name) && !reference.columnNames.contains(name) {
            throw CairnError(.invalidValue, "tests: no column '\(name)' in the reference",
                             hint: Suggestion.hint(for: name, in: reference.columnNames, noun: "columns"))
        }
        var report = try DriftReport(reference: reference, current: current, columns: names, tests: config.tests,
                                     thresholds: config.thresholds, onDrift: config.onDrift.rawValue)
        if let model { try addModel(model, reference: reference, current: current, evaluation: evaluation, to: &report) }
        return report
    }

    /// Drift of the model's predictions (classes, or values), and its metrics on the labelled rows of the batch.
    private func addModel(_ model: ModelArtifact, reference: Table, current: Table, evaluation: [String: Double]?,
                          to report: inout DriftReport) throws {
        let before = try model.score(reference), after = try model.score(current)
        let test = DriftTest.defaultTest(numeric: model.classes == nil, referenceRows: reference.rowCount)
        report.prediction = try DriftReport.compare("prediction", reference: before.predictionColumn,
                                                    current: after.predictionColumn, test: test,
                                                    threshold: config.thresholds[test.thresholdKey]!)
        guard current.columnNames.contains(model.target) else { return }
        let target = try current.column(model.target)
        let labelled = (0..<current.rowCount).filter { target.text(at: $0) != nil }
        guard !labelled.isEmpty else { return }
        let metrics = try model.metrics(truth: current.taking(labelled), predictions: after.taking(labelled))
        report.performance = metrics.mapValues { DriftReport.Performance(batch: $0) }
        for (name, value) in metrics {
            guard let evaluated = evaluation?[name] else { continue }
            report.performance![name]!.evaluation = evaluated
            report.performance![name]!.change = value - evaluated
        }
    }
}
