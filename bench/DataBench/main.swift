// Times Cairn's data plane in-process, for bench/run.py to set beside pandas and scikit-learn:
//
//     cairn-data-bench read FILE.csv [REPEAT]       seconds to read the CSV into a table
//     cairn-data-bench write FILE.csv [REPEAT]      seconds to write the table (read once, untimed)
//                                                   as a table file beside the CSV
//     cairn-data-bench features FILE.csv [REPEAT]   seconds to fit and apply median impute +
//                                                   standard scale + one-hot (the CSV read once, untimed)
//     cairn-data-bench models FILE.csv              after those features, the first 80% of rows
//                                                   to fit linear_regression and ridge (target
//                                                   `value`) and logistic_regression (`label`), the
//                                                   rest to score them: {"model", "seconds", "score"} each
//     cairn-data-bench drift REFERENCE.csv CURRENT.csv
//                                                   seconds to compute the monitor's drift report
//                                                   (KS, PSI, Wasserstein per numeric column,
//                                                   chi-squared and Jensen–Shannon per categorical
//                                                   one) over x01…x20, c5, c20, c100 (reads untimed)
//     cairn-data-bench trees FILE.csv               the same for histogram gradient boosting (100
//                                                   iterations) and a random forest (50 trees, on
//                                                   100,000 of the rows), scored by ROC AUC on `label`
//
// Prints one JSON object: {"task": …, "seconds": [each run], "rows": …, "columns": …}.
import Drift
import FoundationEssentials
import Glibc
import Learn
import Tables

func now() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

let arguments = CommandLine.arguments
guard arguments.count >= 3, ["read", "write", "features", "models", "trees", "drift"].contains(arguments[1]) else {
    print("usage: cairn-data-bench read|write|features|models|trees|drift FILE.csv [REPEAT]")
    exit(2)
}
let path = arguments[2]
let repeats = arguments.count > 3 ? Int(arguments[3]) ?? 1 : 1  // not for drift, whose third argument is a file
var seconds: [Double] = []
var shape = (rows: 0, columns: 0)
do {
    if arguments[1] == "read" {
        for _ in 0..<repeats {
            let start = now()
            let table = try CSVReader().read(path)
            seconds.append(now() - start)
            shape = (table.rowCount, table.columns.count)
        }
    } else if arguments[1] == "write" {
        let table = try CSVReader().read(path)
        shape = (table.rowCount, table.columns.count)
        for _ in 0..<repeats {
            let start = now()
            try TableFile.write(table, to: path + ".table")
            seconds.append(now() - start)
        }
    } else if arguments[1] == "models" {
        try benchmarkModels(CSVReader().read(path))
        exit(0)
    } else if arguments[1] == "drift" {
        let (reference, current) = (try CSVReader().read(path), try CSVReader().read(arguments[3]))
        let columns = (1...20).map { "x" + ($0 < 10 ? "0" : "") + String($0) } + ["c5", "c20", "c100"]
        let start = now()
        let report = try DriftReport(reference: reference, current: current, columns: columns, tests: [:],
                                     thresholds: DriftTest.defaultThresholds, onDrift: "warn")
        print(#"{"task": "drift", "seconds": [\#(now() - start)], "rows": \#(reference.rowCount), "columns": \#(report.columns.count), "drifted": \#(report.verdict.driftedColumns)}"#)
        exit(0)
    } else if arguments[1] == "trees" {
        try benchmarkTrees(CSVReader().read(path))
        exit(0)
    } else {
        let table = try CSVReader().read(path)
        let numeric = table.columns.filter { $0.type == .float64 && $0.name.hasPrefix("x") }.map(\.name)
        let steps = try JSONDecoder().decode([FeatureStepSpec].self, from: Data("""
            [{"impute": {"columns": \(numeric), "strategy": "median"}},
             {"scale": {"columns": \(numeric)}},
             {"one_hot": {"columns": ["c5", "c20", "c100"]}}]
            """.utf8))
        let features = try table.selecting(numeric + ["c5", "c20", "c100"])
        for _ in 0..<repeats {
            let start = now()
            let (_, transformed) = try FeatureTransform.fit(steps, on: features, target: nil)
            seconds.append(now() - start)
            shape = (transformed.rowCount, transformed.columns.count)
        }
    }
} catch {
    print("\(error)")
    exit(1)
}
print(#"{"task": "\#(arguments[1])", "seconds": \#(seconds), "rows": \#(shape.rows), "columns": \#(shape.columns)}"#)

/// The design matrix every model task uses: x01…x20 imputed and scaled, c5/c20/c100 one-hot
/// (145 columns), split into the first 80% of rows to fit and the rest to score.
struct Design {
    var train: Matrix
    var test: Matrix
    var value: [Double]
    var label: [Double]
    var cut: Int

    init(_ table: Table) throws {
        let numeric = (1...20).map { "x" + ($0 < 10 ? "0" : "") + String($0) }
        let steps = try JSONDecoder().decode([FeatureStepSpec].self, from: Data("""
            [{"impute": {"columns": \(numeric), "strategy": "median"}}, {"scale": {"columns": \(numeric)}},
             {"one_hot": {"columns": ["c5", "c20", "c100"]}}]
            """.utf8))
        let (_, features) = try FeatureTransform.fit(steps, on: table.selecting(numeric + ["c5", "c20", "c100"]), target: nil)
        cut = table.rowCount * 4 / 5
        let x = try Matrix(features, columns: features.columnNames)
        func rows(_ range: Range<Int>) -> Matrix {
            Matrix(columns: (0..<x.columns).map { Array(x.column($0)[(x.column($0).startIndex + range.lowerBound)..<(x.column($0).startIndex + range.upperBound)]) })
        }
        (train, test) = (rows(0..<cut), rows(cut..<table.rowCount))
        value = try table.column("value").doubles()!
        label = try table.column("label").doubles()!
    }

    var trainLabels: [Double] { Array(label[..<cut]) }
    var testLabels: [Int] { label[cut...].map { Int($0) } }
}

func report(_ name: String, _ seconds: Double, _ score: Double, metric: String) {
    print(#"{"model": "\#(name)", "seconds": \#(seconds), "score": \#(score), "metric": "\#(metric)"}"#)
}

/// Fits `model` and reports the seconds it took.
func timedFit<Model>(_ fit: () throws -> Model) rethrows -> (Model, Double) {
    let start = now()
    let model = try fit()
    return (model, now() - start)
}

/// The three linear models on the transformed table.
func benchmarkModels(_ table: Table) throws {
    let design = try Design(table)
    for name in ["linear_regression", "ridge"] {
        let estimator = try ModelSpec(name: name)
        let (model, seconds) = try timedFit { try estimator.fit(design.train, Array(design.value[..<design.cut])) }
        report(name, seconds, RegressionMetrics.r2(Array(design.value[design.cut...]), try model.predict(design.test)), metric: "r2")
    }
    let (logistic, seconds) = try timedFit { try LogisticRegression(c: 1).fit(design.train, design.trainLabels) }
    let predicted = try logistic.predict(design.test).map { Int($0) }
    report("logistic_regression", seconds, ClassificationMetrics.accuracy(design.testLabels, predicted), metric: "accuracy")
}

/// Histogram gradient boosting, 100 iterations without early stopping, on all training rows;
/// the random forest, 50 trees, on the first 100,000 of them. Both scored by ROC AUC.
func benchmarkTrees(_ table: Table) throws {
    let design = try Design(table)
    let (boosted, boostSeconds) = try timedFit { try GradientBoosting(maxIterations: 100, earlyStopping: false).fit(design.train, design.trainLabels) }
    let boostedScores = try boosted.probabilities(design.test).column(1)
    report("hist_gradient_boosting", boostSeconds, ClassificationMetrics.rocAUC(design.testLabels.map { $0 == 1 }, Array(boostedScores)), metric: "roc_auc")
    let sample = min(100_000, design.cut)
    let forestRows = Matrix(columns: (0..<design.train.columns).map { Array(design.train.column($0).prefix(sample)) })
    let (forest, forestSeconds) = try timedFit { try RandomForest(trees: 50).fit(forestRows, Array(design.label.prefix(sample))) }
    let forestScores = try forest.probabilities(design.test).column(1)
    report("random_forest", forestSeconds, ClassificationMetrics.rocAUC(design.testLabels.map { $0 == 1 }, Array(forestScores)), metric: "roc_auc")
}
