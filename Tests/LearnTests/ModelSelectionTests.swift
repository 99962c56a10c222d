import CairnSupport
import FoundationEssentials
import Learn
import Tables
import Testing
import TestSupport

/// Fold references: scikit-learn 1.9.1 KFold and StratifiedKFold without shuffling, printed by
/// Fixtures/neighbors_bayes_reference.py.
@Suite struct ModelSelectionTests {
    @Test func kFoldMatchesScikitLearn() throws {
        let folds = try KFold(splits: 3).folds(rows: 10)
        #expect(folds.map(\.test) == [[0, 1, 2, 3], [4, 5, 6], [7, 8, 9]])
        #expect(folds[1].train == [0, 1, 2, 3, 7, 8, 9])
        let shuffled = try KFold(splits: 3, seed: 1).folds(rows: 10)
        #expect(Set(shuffled.flatMap(\.test)) == Set(0..<10) && shuffled != folds)
        #expect(try KFold(splits: 3, seed: 1).folds(rows: 10) == shuffled)
        #expect(throws: CairnError.self) { try KFold(splits: 11).folds(rows: 10) }
    }

    @Test func stratifiedKFoldMatchesScikitLearn() throws {
        let labels = LogisticRegressionTests.data.multi.map { Int($0) }
        let folds = try KFold(splits: 5).stratifiedFolds(labels: labels)
        #expect(folds[0].test == Array(0...33) + [35, 42, 43, 46, 48, 49])
        #expect(folds.map(\.test.count) == [40, 40, 40, 40, 40])
        let lastCounts = (0..<3).map { label in folds[4].test.filter { labels[$0] == label }.count }
        #expect(lastCounts == [17, 6, 17])
    }

    /// The transform is fitted inside each fold: the scaler's mean differs from fold to fold,
    /// and metrics come per fold.
    @Test func crossValidationRefitsFeaturesPerFold() throws {
        let penguins = try CSVReader().read(TestData.penguins)
        let steps = try JSONDecoder().decode([FeatureStepSpec].self, from: Data("""
            [{"impute": {"columns": "numeric", "strategy": "median"}}, {"impute": {"columns": "categorical", "strategy": "most_frequent"}},
             {"scale": {"columns": "numeric"}}, {"one_hot": {"columns": "categorical"}}]
            """.utf8))
        let labels = try penguins.column("species").strings().map { ["Adelie": 0, "Chinstrap": 1, "Gentoo": 2][$0!]! }
        let folds = try KFold(splits: 5).stratifiedFolds(labels: labels)
        let results = try CrossValidation.evaluate(try ModelSpec(name: "logistic_regression"), steps: steps, target: "species",
                                                   table: penguins, folds: folds)
        #expect(results.count == 5)
        let summary = CrossValidation.summary(results)
        #expect(summary["accuracy"]!.mean > 0.95 && summary["accuracy"]!.std < 0.05)
        let means = try folds.prefix(2).map { fold -> Double in
            let (transform, _) = try FeatureTransform.fit(steps, on: penguins.taking(fold.train), target: "species")
            guard let scaler = transform.steps[2].step as? Scaler else { return .nan }
            return scaler.centers["body_mass_g"]!
        }
        #expect(means[0] != means[1])
    }

    func penguinsSteps() throws -> [FeatureStepSpec] {
        try JSONDecoder().decode([FeatureStepSpec].self, from: Data("""
            [{"impute": {"columns": "numeric", "strategy": "median"}}, {"impute": {"columns": "categorical", "strategy": "most_frequent"}},
             {"scale": {"columns": "numeric"}}, {"one_hot": {"columns": "categorical"}}]
            """.utf8))
    }

    func search(_ json: String) throws -> HyperparameterSearch {
        try JSONDecoder().decode(HyperparameterSearch.self, from: Data(json.utf8))
    }

    @Test func gridSearchScoresEveryCandidateAndPicksTheBest() throws {
        let penguins = try CSVReader().read(TestData.penguins)
        let grid = try search(#"{"space": {"C": [0.001, 1.0, 100.0]}, "cv": 3}"#)
        let base = try ModelSpec(name: "logistic_regression")
        let result = try grid.run(base, steps: penguinsSteps(), target: "species", table: penguins)
        #expect(result.metric == .accuracy)
        #expect(result.trials.map { $0.parameters["C"]!.number } == [0.001, 1, 100])
        let best = result.trials.max { $0.mean < $1.mean }!
        #expect(result.best == (try ModelSpec(name: "logistic_regression").setting(["C": .number(best.parameters["C"]!.number!)])))
        #expect(result.trials[0].mean < result.trials[1].mean)  // C = 0.001 underfits
        let table = try HyperparameterSearch.table(result.trials, metric: result.metric)
        #expect(table.columnNames == ["trial", "C", "mean_accuracy", "std_accuracy", "rank"])
        #expect(try table.column("rank").values == .int64(result.trials.map { trial in Int64(result.trials.filter { $0.mean > trial.mean }.count + 1) }))
    }

    @Test func randomSearchIsSeededAndGridsCombine() throws {
        let penguins = try CSVReader().read(TestData.penguins)
        let base = try ModelSpec(name: "ridge")
        let measured = try penguins.dropping(["species", "island", "sex"])
        let numeric = measured.filtering((0..<measured.rowCount).map { measured.columns[0].isPresent($0) })
        let random = try search(#"{"strategy": "random", "space": {"alpha": {"low": 0.001, "high": 100, "log": true}}, "trials": 4, "seed": 3}"#)
        let first = try random.run(base, steps: [], target: "year", table: numeric)
        #expect(first.trials.count == 4 && first.metric == .r2)
        let values = first.trials.map { $0.parameters["alpha"]!.number! }
        #expect(values.allSatisfy { $0 >= 0.001 && $0 <= 100 } && Set(values).count == 4)
        let again = try random.run(base, steps: [], target: "year", table: numeric)
        #expect(again.trials == first.trials)
        let product = try search(#"{"space": {"alpha": [0.1, 1], "fit_intercept": [true, false]}}"#)
        let combined = try product.run(base, steps: [], target: "year", table: numeric)
        #expect(combined.trials.count == 4)
    }

    @Test func unknownHyperparameterIsNamed() throws {
        let penguins = try CSVReader().read(TestData.penguins)
        let wrong = try search(#"{"space": {"Cc": [1, 2]}}"#)
        do {
            _ = try wrong.run(ModelSpec(name: "logistic_regression"), steps: penguinsSteps(), target: "species", table: penguins)
            Issue.record("no error")
        } catch let error as CairnError {
            #expect(error.message == "logistic_regression has no hyperparameter 'Cc'" && error.hint == "did you mean 'C'?")
        }
    }

    /// On a smooth score with one peak, expected improvement homes in on it.
    @Test func bayesianOptimizerFindsThePeak() throws {
        var optimizer = BayesianOptimizer(dimensions: 2, seed: 7)
        var best = (score: -Double.infinity, point: [0.0, 0.0])
        for _ in 0..<20 {
            let point = try optimizer.next()
            let score = -((point[0] - 0.7) * (point[0] - 0.7) + (point[1] - 0.2) * (point[1] - 0.2))
            optimizer.observe(point, score)
            if score > best.score { best = (score, point) }
        }
        #expect(abs(best.point[0] - 0.7) < 0.08 && abs(best.point[1] - 0.2) < 0.08, "best \(best.point)")
    }

    @Test func bayesianSearchRunsTheTrialsItIsGiven() throws {
        let penguins = try CSVReader().read(TestData.penguins)
        let bayesian = try search(#"{"strategy": "bayesian", "space": {"C": {"low": 0.0001, "high": 100, "log": true}}, "trials": 6, "cv": 3}"#)
        let base = try ModelSpec(name: "logistic_regression")
        let result = try bayesian.run(base, steps: penguinsSteps(), target: "species", table: penguins)
        #expect(result.trials.count == 6)
        #expect(try bayesian.run(base, steps: penguinsSteps(), target: "species", table: penguins).trials == result.trials)
        #expect(result.trials.map(\.mean).max()! > 0.95)
    }
}
