import CairnSupport
import Glibc
import Synchronization
import Testing
@testable import Learn

/// Histogram gradient boosting in 5-fold cross-validation on the forest's 2,000 rows, against
/// scikit-learn 1.9.1 HistGradientBoostingClassifier/Regressor(early_stopping=False): accuracy
/// 0.9255 (multiclass), R² 0.99279 (regression on 3·x1 − x2 + 0.5·sin(5.1·i)).
@Suite struct GradientBoostingTests {
    func rows(_ x: Matrix, _ indices: [Int]) -> Matrix {
        Matrix(columns: (0..<x.columns).map { column in indices.map { x[$0, column] } })
    }

    @Test func multiclassWithinOnePointOfScikitLearn() throws {
        let (x, labels) = RandomForestTests.data
        let folds = try KFold(splits: 5).stratifiedFolds(labels: labels.map { Int($0) })
        let accuracies = try folds.map { fold -> Double in
            let model = try GradientBoosting(earlyStopping: false).fit(rows(x, fold.train), fold.train.map { labels[$0] })
            return ClassificationMetrics.accuracy(fold.test.map { Int(labels[$0]) }, try model.predict(rows(x, fold.test)).map { Int($0) })
        }
        let mean = accuracies.reduce(0, +) / 5
        #expect(abs(mean - 0.9255) <= 0.01, "cross-validated accuracy \(mean)")
    }

    @Test func regressionAndEarlyStopping() throws {
        let (x, _) = RandomForestTests.data
        let target = (0..<x.rows).map { 3 * x[$0, 0] - x[$0, 1] + 0.5 * sin(5.1 * Double($0)) }
        let folds = try KFold(splits: 5).folds(rows: x.rows)
        let scores = try folds.map { fold -> Double in
            let model = try GradientBoosting(task: .regression, earlyStopping: false).fit(rows(x, fold.train), fold.train.map { target[$0] })
            return RegressionMetrics.r2(fold.test.map { target[$0] }, try model.predict(rows(x, fold.test)))
        }
        #expect(abs(scores.reduce(0, +) / 5 - 0.99279) <= 0.005)
        let stopped = try GradientBoosting(task: .regression, maxIterations: 500, earlyStopping: true).fit(x, target)
        #expect(stopped.iterations < 500)
        #expect(try GradientBoosting(maxIterations: 5, seed: 2).fit(x, RandomForestTests.data.labels)
                == GradientBoosting(maxIterations: 5, seed: 2).fit(x, RandomForestTests.data.labels))
    }

    /// The columns of a one-hot encoding share one bundle; numeric columns keep one each; a
    /// constant column has none; every feature's bin reads back from its bundle.
    @Test func exclusiveFeaturesShareABundle() throws {
        var random = SeededRandom(seed: 7)
        let rows = 500
        let levels = (0..<rows).map { _ in random.below(6) }
        var columns = (0..<3).map { _ in (0..<rows).map { _ in random.unit() } }
        columns += (0..<6).map { level in levels.map { $0 == level ? 1.0 : 0.0 } }
        columns.append([Double](repeating: 2, count: rows))
        let x = Matrix(columns: columns)
        let bins = try FeatureBins(x, maxBins: 255, seed: 0)
        let data = try BinnedRows(x, bins: bins)
        #expect(data.bundleCount == 4)
        #expect(data.members.map(\.feature) == Array(0..<9))
        for member in data.members {
            let mismatches = (0..<rows).filter { data.bin(row: $0, member: member) != Int(bins.bin(x[$0, member.feature], feature: member.feature)) }
            #expect(mismatches.isEmpty, "feature \(member.feature)")
        }
    }

    /// Boosting reports each iteration and the forest each tree as it finishes, on whichever
    /// thread grew it; with no listener nothing is reported and nothing fails.
    @Test func longFitsReportProgress() throws {
        let (x, labels) = RandomForestTests.data
        let reports = Mutex<[String]>([])
        try FitProgress.reporting(to: { text in reports.withLock { $0.append(text) } }) {
            _ = try GradientBoosting(maxIterations: 3, earlyStopping: false).fit(x, labels)
            _ = try RandomForest(trees: 4).fit(x, labels)
        }
        let seen = reports.withLock { $0 }
        #expect(Array(seen.prefix(3)) == ["iteration 1/3", "iteration 2/3", "iteration 3/3"])
        #expect(Set(seen.dropFirst(3)) == ["tree 1/4", "tree 2/4", "tree 3/4", "tree 4/4"])
        _ = try GradientBoosting(maxIterations: 2).fit(x, labels)
        #expect(reports.withLock { $0.count } == 7)
    }

    /// A tree counts few-valued features level by level instead of sorting them: the same tree
    /// for classification, the same predictions for regression.
    @Test func countingLevelsFindsTheSplitsSortingFinds() throws {
        var random = SeededRandom(seed: 11)
        let rows = 600
        let continuous = (0..<rows).map { _ in random.unit() }
        let binary = (0..<rows).map { _ in Double(random.below(2)) }
        let five = (0..<rows).map { _ in Double(random.below(5)) - 2 }
        let forty = (0..<rows).map { _ in Double(random.below(40)) * 0.5 }
        let x = Matrix(columns: [continuous, binary, five, forty])
        var labels: [Double] = []
        for row in 0..<rows {
            let vote = Int(binary[row]) + Int(five[row] + 2) + (forty[row] > 9 ? 1 : 0) + random.below(2)
            labels.append(Double(vote % 3))
        }
        let target = (0..<rows).map { continuous[$0] + binary[$0] * five[$0] + forty[$0] / 10 }
        let counted = try FeatureLevels(x), sorted = try FeatureLevels(x, maxLevels: 0), ones = [Double](repeating: 1, count: rows)
        #expect(counted.values.map { $0?.count } == [nil, 2, 5, 40] && sorted.values.allSatisfy { $0 == nil })
        for criterion in [DecisionTree.Criterion.gini, .entropy] {
            let tree = DecisionTree(criterion: criterion, minSamplesLeaf: 2)
            #expect(tree.grow(x, labels, weights: ones, levels: counted, rows: Array(0..<rows), classes: 3, featuresPerSplit: 4, random: nil)
                    == tree.grow(x, labels, weights: ones, levels: sorted, rows: Array(0..<rows), classes: 3, featuresPerSplit: 4, random: nil))
        }
        let regressor = DecisionTree(criterion: .squaredError, maxDepth: 6)
        let byLevels = try regressor.grow(x, target, weights: ones, levels: counted, rows: Array(0..<rows), classes: 0, featuresPerSplit: 4, random: nil).predict(x)
        let bySorting = try regressor.grow(x, target, weights: ones, levels: sorted, rows: Array(0..<rows), classes: 0, featuresPerSplit: 4, random: nil).predict(x)
        #expect(zip(byLevels, bySorting).allSatisfy { abs($0 - $1) < 1e-9 })
    }

    /// A bootstrap sample grown once per distinct row, weighted by its draws, gives the tree grown
    /// on the repeated rows.
    @Test func weightedRowsGrowTheTreeOfRepeatedRows() throws {
        let (x, labels) = RandomForestTests.data
        var random = SeededRandom(seed: 3)
        let drawn = (0..<x.rows).map { _ in random.below(x.rows) }.sorted()
        var draws = [Double](repeating: 0, count: x.rows)
        for row in drawn { draws[row] += 1 }
        let levels = try FeatureLevels(x), ones = [Double](repeating: 1, count: x.rows)
        let classes = Int(labels.max()!) + 1
        for tree in [DecisionTree(), DecisionTree(criterion: .entropy, maxDepth: 6, minSamplesLeaf: 3)] {
            let weighted = tree.grow(x, labels, weights: draws, levels: levels, rows: draws.indices.filter { draws[$0] > 0 },
                                     classes: classes, featuresPerSplit: x.columns, random: nil)
            let repeated = tree.grow(x, labels, weights: ones, levels: levels, rows: drawn, classes: classes,
                                     featuresPerSplit: x.columns, random: nil)
            #expect(weighted == repeated)
            #expect(weighted.nodes.count > 20)
        }
    }
}
