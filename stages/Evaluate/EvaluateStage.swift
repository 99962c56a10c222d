import CairnCore
import CairnSupport
import Learn
import Tables

/// Scores a trained model on the test table: a flat metrics file (`{"accuracy": 0.97, …}`, the
/// shape DVC reads), and for classifiers the confusion matrix and the ROC and precision-recall
/// curve points as CSV (whatever the output paths are called) and as SVG plots.
public struct EvaluateStage: Stage {
    public struct Config: Decodable, Sendable {
        public init() {}
    }

    public static let kind = "evaluate"
    public static let version = 6
    public static let summary = "metrics of a model on the test table; confusion matrix, ROC and precision-recall points and plots"
    public static let slots = StageSlots(inputs: [.init("model"), .init("test")],
                                         outputs: [.init("metrics", role: .metrics), .init("confusion"), .init("roc"), .init("pr"), .init("plots", role: .plots)])

    public init(config: Config) {}

    public func run(_ context: StageContext) throws {
        let model = try context.reading("model", ModelArtifact.read)
        let test = try context.table("test")
        let predictions = try model.predict(features: test)
        var metrics = try model.metrics(truth: test, predictions: predictions)
        // Cross-validation on the training rows, from the train stage, beside the test metrics.
        for (name, spread) in model.training.crossValidation ?? [:] {
            metrics["cv_" + name] = spread.mean
            metrics["cv_" + name + "_std"] = spread.std
        }
        try JSONFile.write(metrics, to: context.output("metrics"))
        let curves = try EvaluationCurves(model: model, test: test, predictions: predictions)
        // Small tables for people and plotting tools: always CSV.
        try CSVWriter().write(curves.confusion, to: context.output("confusion"))
        try CSVWriter().write(curves.roc, to: context.output("roc"))
        try CSVWriter().write(curves.precisionRecall, to: context.output("pr"))
        // A folder of SVG pictures; empty for regressors.
        let plots = try context.output("plots")
        try FileSystem.makeDirectories(plots)
        if model.classes != nil {
            try FileSystem.writeAtomically(Array(EvaluationPlots.curves(curves.roc, x: "false_positive_rate", y: "true_positive_rate",
                                                                        title: "ROC curve", diagonal: true).utf8), to: plots + "/roc.svg")
            try FileSystem.writeAtomically(Array(EvaluationPlots.curves(curves.precisionRecall, x: "recall", y: "precision",
                                                                        title: "precision-recall curve", diagonal: false).utf8), to: plots + "/pr.svg")
            try FileSystem.writeAtomically(Array(EvaluationPlots.confusion(curves.confusion).utf8), to: plots + "/confusion.svg")
        }
    }
}
