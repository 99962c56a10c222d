import CairnSupport
import EvaluateStage
import FeaturesStage
import FoundationEssentials
import Learn
import PredictStage
import SplitStage
import Tables
import Testing
import TestSupport
import TrainStage

/// train → evaluate → predict on the penguins, after split and features.
@Suite struct ModelStageTests {
    let harness = StageHarness()

    init() throws {
        try FeaturesStageTests.splitAndEncode(in: harness)
    }

    func train(_ json: String) throws -> ModelArtifact {
        let stage = TrainStage(config: try JSONDecoder().decode(TrainStage.Config.self, from: Data(json.utf8)))
        try harness.run(stage, inputs: ["train": "f/train", "transform": "f/transform.json", "raw": "s/train"], outputs: ["model": "m/model.json", "trials": "m/trials.csv"])
        return try ModelArtifact.read(harness.path("m/model.json"))
    }

    @Test func classifierTrainsEvaluatesAndScores() throws {
        let model = try train(#"{"model": "logistic_regression", "target": "species", "params": {"C": 1.0}, "cv": 5}"#)
        // The fit and each fold's fit reported their iterations.
        let reports = harness.progress.reports.withLock { $0 }
        #expect(reports.first == "iteration 1/1000" && reports.contains("fold 5/5") && reports.contains("fold 3/5 · iteration 1/1000"))
        // Five folds of the training split, the feature steps fitted again in each.
        let cv = try #require(model.training.crossValidation?["accuracy"])
        #expect(cv.folds == 5 && cv.mean > 0.95 && cv.std < 0.05)
        #expect(model.task == .classification && model.classes == ["Adelie", "Chinstrap", "Gentoo"])
        #expect(!model.features.contains("species") && model.features.contains("island=Biscoe"))
        #expect(model.training.dataHash.count == 64 && model.training.rows == 258)
        #expect(model.training.metrics["accuracy"]! > 0.95)

        try harness.run(EvaluateStage(config: .init()), inputs: ["model": "m/model.json", "test": "f/test"],
                        outputs: ["metrics": "e/metrics.json", "confusion": "e/confusion", "roc": "e/roc", "pr": "e/pr", "plots": "e/plots"])
        let metrics = try JSONDecoder().decode([String: Double].self, from: Data(harness.text("e/metrics.json").utf8))
        let expected = try model.metrics(truth: harness.table("f/test"), predictions: model.predict(features: harness.table("f/test")))
        #expect(metrics.filter { !$0.key.hasPrefix("cv_") } == expected)
        #expect(metrics["cv_accuracy"] == cv.mean && metrics["cv_accuracy_std"] == cv.std)
        #expect(metrics["accuracy"]! > 0.9 && metrics["roc_auc_ovr"]! > 0.95)
        let confusion = try CSVReader().read(harness.path("e/confusion"))
        #expect(confusion.columnNames == ["class", "Adelie", "Chinstrap", "Gentoo"])
        let total = try ["Adelie", "Chinstrap", "Gentoo"].reduce(0) { $0 + (try confusion.column($1).doubles()!.reduce(0, +)) }
        #expect(Int(total) == 86)
        #expect(try harness.text("e/roc").hasPrefix("class,threshold,false_positive_rate,true_positive_rate\n"))
        // One ROC line per class; one shaded cell per pair of classes, holding its count.
        let roc = try harness.text("e/plots/roc.svg")
        #expect(roc.hasPrefix("<svg") && roc.components(separatedBy: "class=\"curve\"").count - 1 == 3)
        let picture = try harness.text("e/plots/confusion.svg")
        #expect(picture.components(separatedBy: "class=\"cell\"").count - 1 == 9)
        let diagonal = try (0..<3).map { try confusion.column(["Adelie", "Chinstrap", "Gentoo"][$0]).doubles()![$0] }
        for count in diagonal { #expect(picture.contains(">\(Int(count))</text>")) }
        #expect(try harness.text("e/plots/pr.svg").contains("precision-recall curve"))

        // Batch scoring of raw rows (no target) gives the evaluated predictions: one code path.
        try harness.write("", to: "raw/.keep")
        try harness.table("s/test").dropping(["species"]).save(to: harness.path("raw/test.csv"))
        try harness.run(PredictStage(config: .init()), inputs: ["model": "m/model.json", "table": "raw/test.csv"],
                        outputs: ["predictions": "p/predictions.csv"])
        let scored = try CSVReader().read(harness.path("p/predictions.csv"))
        let evaluated = try model.predict(features: harness.table("f/test")).table()
        #expect(try scored.column("prediction").strings() == evaluated.column("prediction").strings())
        let difference = zip(try scored.column("probability=Gentoo").doubles()!, try evaluated.column("probability=Gentoo").doubles()!)
            .map { abs($0 - $1) }.max()!
        #expect(difference < 1e-12)
    }

    /// Scoring goes a batch of rows at a time: the batches join into the predictions of the whole,
    /// and a bad value is named by its row in the whole input, not in its batch.
    @Test func scoringInBatchesNamesRowsOfTheWholeInput() throws {
        let model = try train(#"{"model": "logistic_regression", "target": "species"}"#)
        let raw = try harness.table("s/test").dropping(["species"])
        let copies = ModelArtifact.batchRows / raw.rowCount + 1
        let large = try Table.concatenating([Table](repeating: raw, count: copies))
        let whole = try model.score(large).table(), once = try model.score(raw).table()
        #expect(large.rowCount > ModelArtifact.batchRows && whole.rowCount == large.rowCount)
        #expect(try whole.column("prediction").strings() == Array([[String?]](repeating: once.column("prediction").strings(), count: copies).joined()))

        let bad = ModelArtifact.batchRows + 7
        var lengths = try large.column("bill_length_mm").doubles()!
        lengths[bad] = .infinity
        var broken = large
        try broken.replace(Column(name: "bill_length_mm", values: .float64(lengths)))
        do {
            _ = try model.score(broken)
            Issue.record("an infinite feature was scored")
        } catch let error as CairnError {
            #expect(error.row == bad && "\(error)".contains("row \(bad + 1): "))
        }
    }

    @Test func searchWritesTheTrialTableAndKeepsTheBest() throws {
        let model = try train(#"{"model": "logistic_regression", "target": "species", "search": {"space": {"C": [0.001, 10.0]}, "cv": 3}}"#)
        let trials = try CSVReader().read(harness.path("m/trials.csv"))
        #expect(trials.rowCount == 2 && trials.columnNames == ["trial", "C", "mean_accuracy", "std_accuracy", "rank"])
        let scores = try trials.column("mean_accuracy").doubles()!
        #expect(scores[1] > scores[0])
        #expect(model.model == (try ModelSpec(name: "logistic_regression").setting(["C": .number(10)])))
        _ = try train(#"{"model": "logistic_regression", "target": "species"}"#)
        #expect(try harness.text("m/trials.csv") == "trial\n")
    }

    @Test func regressorTrainsOnNumbers() throws {
        let config = #"{"target": "body_mass_g", "steps": [{"impute": {"columns": "numeric", "strategy": "median"}}, {"impute": {"columns": "categorical", "strategy": "most_frequent"}}, {"scale": {"columns": "numeric"}}, {"one_hot": {"columns": "categorical"}}]}"#
        // Rows without a body mass have no target: leave them out before the split.
        let penguins = try CSVReader().read(TestData.penguins)
        let mass = try penguins.column("body_mass_g")
        try harness.write("", to: "r/.keep")
        try penguins.filtering((0..<penguins.rowCount).map(mass.isPresent)).save(to: harness.path("r/penguins.csv"))
        let split = SplitStage(config: try JSONDecoder().decode(SplitStage.Config.self, from: Data("{}".utf8)))
        try harness.run(split, inputs: ["table": "r/penguins.csv"], outputs: ["train": "s/train", "test": "s/test", "validation": "s/validation"])
        let features = FeaturesStage(config: try JSONDecoder().decode(FeaturesStage.Config.self, from: Data(config.utf8)))
        try harness.run(features, inputs: ["train": "s/train", "test": "s/test"],
                        outputs: ["train": "f/train", "test": "f/test", "transform": "f/transform.json"])
        let ridge = try train(#"{"model": "ridge", "target": "body_mass_g", "params": {"alpha": 1.0}}"#)
        #expect(ridge.task == .regression && ridge.classes == nil)
        #expect(ridge.training.metrics["r2"]! > 0.8)
    }

    /// Fitting the features on every row needs no test table: the test output has the columns and no rows,
    /// and evaluating a model on no rows is an error, not a table of invented scores.
    @Test func featuresWithoutATestTableAndEvaluateOnNoRows() throws {
        let features = FeaturesStage(config: try JSONDecoder().decode(FeaturesStage.Config.self, from: Data(FeaturesStageTests.config.utf8)))
        try harness.run(features, inputs: ["train": TestData.penguins], outputs: ["train": "all/train", "test": "all/test", "transform": "all/transform.json"])
        let train = try harness.table("all/train"), test = try harness.table("all/test")
        #expect(train.rowCount == 344 && test.rowCount == 0 && test.columnNames == train.columnNames)
        _ = try self.train(#"{"model": "logistic_regression", "target": "species"}"#)
        do {
            try harness.run(EvaluateStage(config: .init()), inputs: ["model": "m/model.json", "test": "all/test"],
                            outputs: ["metrics": "e/metrics.json", "confusion": "e/confusion", "roc": "e/roc", "pr": "e/pr", "plots": "e/plots"])
            Issue.record("evaluated no rows")
        } catch let error as CairnError {
            #expect(error.message == "no rows to score: the table is empty")
        }
        #expect(!FileSystem.exists(harness.path("e/metrics.json")))
    }

    /// Metrics a set of rows cannot define are left out: one class has no ROC AUC, no positive
    /// prediction no precision, a constant target no R².
    @Test func undefinedMetricsAreLeftOut() throws {
        let model = try train(#"{"model": "logistic_regression", "target": "species"}"#)
        let test = try harness.table("f/test")
        let gentoo = test.filtering(try test.column("species").strings().map { $0 == "Gentoo" })
        let metrics = try model.metrics(truth: gentoo, predictions: model.predict(features: gentoo))
        #expect(metrics["roc_auc_ovr"] == nil && metrics["accuracy"] != nil)

        let two = try ModelArtifact.fixture(ModelSpec(name: "gaussian_nb"), y: .string(["no", "yes", "no", "yes"]))
        let truth = try Table(columns: [Column(name: "y", values: .string(["no", "no", "no"]))])
        let allNo = Predictions.classes(names: ["no", "yes"], labels: [0, 0, 0],
                                        probabilities: Matrix(columns: [[0.9, 0.8, 0.7], [0.1, 0.2, 0.3]]))
        let binary = try two.metrics(truth: truth, predictions: allNo)
        #expect(binary["precision"] == nil && binary["recall"] == nil && binary["f1"] == nil && binary["roc_auc"] == nil)
        #expect(binary["accuracy"] == 1)

        let regressor = try ModelArtifact.fixture(ModelSpec(name: "linear_regression"), y: .float64([1, 2, 3, 4]))
        let constant = try Table(columns: [Column(name: "y", values: .float64([2, 2, 2]))])
        let guesses = Predictions.numbers([2, 2, 3])
        let regression = try regressor.metrics(truth: constant, predictions: guesses)
        #expect(regression["r2"] == nil && abs(regression["mse"]! - 1.0 / 3) < 1e-12)
    }

    @Test func mistakesAreClear() throws {
        func message(_ json: String) -> String {
            do { _ = try train(json) } catch { return "\(error)" }
            return "no error"
        }
        #expect(message(#"{"model": "logistc_regression", "target": "species"}"#).contains("did you mean 'logistic_regression'?"))
        #expect(message(#"{"model": "ridge", "target": "species"}"#).contains("'species' is categorical; ridge predicts numbers"))
        #expect(message(#"{"model": "ridge", "target": "body_mass_g"}"#).contains("column 'species' is categorical; models need numbers"))
        #expect(message(#"{"model": "ridge", "target": "specie"}"#).contains("did you mean 'species'?"))
        #expect(message(#"{"model": "ridge", "target": "species", "params": {"alpha": -2}}"#).contains("alpha must be a number ≥ 0"))
        #expect(message(#"{"model": "ridge", "target": "body_mass_g", "search": {"space": {"alpha": [1, 2]}, "metric": "accuracy"}}"#)
            .contains("ridge cannot be ranked by accuracy"))
    }
}

extension ModelArtifact {
    /// A model of `y` on four rows of one feature, for metrics of predictions given by hand.
    static func fixture(_ spec: ModelSpec, y: Column.Values) throws -> ModelArtifact {
        let table = try Table(columns: [Column(name: "x", values: .float64([0, 1, 0.2, 0.9])), Column(name: "y", values: y)])
        return try ModelArtifact.train(spec, on: table, target: "y", transform: nil, dataHash: "")
    }
}
