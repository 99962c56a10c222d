// Times Cairn's data plane in-process, for bench/run.py to set beside pandas and scikit-learn:
//
//     cairn-data-bench read FILE.csv [REPEAT]       seconds to read the CSV into a table
//     cairn-data-bench features FILE.csv [REPEAT]   seconds to fit and apply median impute +
//                                                   standard scale + one-hot (the CSV read once, untimed)
//     cairn-data-bench models FILE.csv              after those features, the first 80% of rows
//                                                   to fit linear_regression and ridge (target
//                                                   `value`) and logistic_regression (`label`), the
//                                                   rest to score them: {"model", "seconds", "score"} each
//
// Prints one JSON object: {"task": …, "seconds": [each run], "rows": …, "columns": …}.
import CairnCore
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
guard arguments.count >= 3, ["read", "features", "models"].contains(arguments[1]) else {
    print("usage: cairn-data-bench read|features|models FILE.csv [REPEAT]")
    exit(2)
}
let path = arguments[2]
let repeats = arguments.count > 3 ? Int(arguments[3]) ?? 1 : 1
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
    } else if arguments[1] == "models" {
        try benchmarkModels(CSVReader().read(path))
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

/// The three linear models on the transformed table, fitted on the first 80% of rows.
func benchmarkModels(_ table: Table) throws {
    let numeric = (1...20).map { "x" + ($0 < 10 ? "0" : "") + String($0) }
    let steps = try JSONDecoder().decode([FeatureStepSpec].self, from: Data("""
        [{"impute": {"columns": \(numeric), "strategy": "median"}}, {"scale": {"columns": \(numeric)}},
         {"one_hot": {"columns": ["c5", "c20", "c100"]}}]
        """.utf8))
    let (_, features) = try FeatureTransform.fit(steps, on: table.selecting(numeric + ["c5", "c20", "c100"]), target: nil)
    let cut = table.rowCount * 4 / 5
    let x = try Matrix(features, columns: features.columnNames)
    func rows(_ range: Range<Int>) -> Matrix {
        Matrix(columns: (0..<x.columns).map { Array(x.column($0)[(x.column($0).startIndex + range.lowerBound)..<(x.column($0).startIndex + range.upperBound)]) })
    }
    let (train, test) = (rows(0..<cut), rows(cut..<table.rowCount))
    let value = try table.column("value").doubles()!, label = try table.column("label").doubles()!
    func report(_ name: String, _ seconds: Double, _ score: Double) {
        print(#"{"model": "\#(name)", "seconds": \#(seconds), "score": \#(score)}"#)
    }
    for (name, estimator) in [("linear_regression", ModelSpec.linearRegression(LinearRegression())), ("ridge", .ridge(Ridge(alpha: 1)))] {
        let start = now()
        let model = try estimator.fit(train, Array(value[..<cut]))
        report(name, now() - start, RegressionMetrics.r2(Array(value[cut...]), try model.predict(test)))
    }
    let start = now()
    let logistic = try LogisticRegression(c: 1).fit(train, Array(label[..<cut]))
    let seconds = now() - start
    let predicted = try logistic.predict(test).map { Int($0) }
    report("logistic_regression", seconds, ClassificationMetrics.accuracy(label[cut...].map { Int($0) }, predicted))
    print(#"{"model": "logistic_regression", "iterations": \#(logistic.iterations), "converged": \#(logistic.converged)}"#)
}
