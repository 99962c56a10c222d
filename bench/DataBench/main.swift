// Times Cairn's data plane in-process, for bench/run.py to set beside pandas and scikit-learn:
//
//     cairn-data-bench read FILE.csv [REPEAT]       seconds to read the CSV into a table
//     cairn-data-bench features FILE.csv [REPEAT]   seconds to fit and apply median impute +
//                                                   standard scale + one-hot (the CSV read once, untimed)
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
guard arguments.count >= 3, ["read", "features"].contains(arguments[1]) else {
    print("usage: cairn-data-bench read|features FILE.csv [REPEAT]")
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
