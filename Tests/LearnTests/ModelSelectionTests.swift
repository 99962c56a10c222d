import CairnCore
import FoundationEssentials
import Learn
import Tables
import TestSupport
import Testing

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
        let results = try CrossValidation.evaluate(.logisticRegression(LogisticRegression()), steps: steps, target: "species",
                                                   table: penguins, folds: folds)
        #expect(results.count == 5)
        let summary = CrossValidation.summary(results)
        #expect(summary["accuracy"]!.mean > 0.95 && summary["accuracy"]!.std < 0.05)
        let means = try folds.prefix(2).map { fold -> Double in
            let (transform, _) = try FeatureTransform.fit(steps, on: penguins.taking(fold.train), target: "species")
            guard case .scale(let scaler) = transform.steps[2] else { return .nan }
            return scaler.centers["body_mass_g"]!
        }
        #expect(means[0] != means[1])
    }
}
