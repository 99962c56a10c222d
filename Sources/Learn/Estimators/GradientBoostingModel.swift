import CairnSupport

/// A fitted boosted model: the baseline raw score per output and each iteration's trees.
public struct GradientBoostingModel: Predictor {
    public static let savedName = "boosting"
    public var baseline: [Double]
    public var trees: [[BoostedTree]]
    /// 0 for regression.
    public var classes: Int

    public func problem(features: Int, classes: Int) -> String? {
        let scores = classes > 2 ? classes : 1
        guard baseline.count == scores, trees.allSatisfy({ $0.count == scores }) else {
            return "the boosting's baseline and trees do not fit \(classes) classes"
        }
        return trees.lazy.flatMap { $0 }.compactMap {
            DecisionTreeModel.problem($0.nodes.map { ($0.feature, $0.left, $0.right, 1) }, features: features, values: 1)
        }.first
    }

    public func classProbabilities(_ x: Matrix) throws -> Matrix? { classes > 0 ? try probabilities(x) : nil }

    public var iterations: Int { trees.count }

    func rawScores(_ x: Matrix) throws -> [[Double]] {
        try TrainingData.finite(x)
        let used = trees.flatMap { $0.flatMap { $0.nodes.map(\.feature) } }.max() ?? -1
        guard x.columns > used else { throw CairnError(.invalidData, "the model splits on feature \(used + 1), the data has \(x.columns)") }
        let pieces = try Parallel.map(0..<x.rows, chunk: 16_384) { rows in
            baseline.indices.map { output in
                var scores = [Double](repeating: baseline[output], count: rows.count)
                for round in trees { round[output].addValues(of: x, rows: rows, to: &scores, offset: rows.lowerBound) }
                return scores
            }
        }
        return baseline.indices.map { output in pieces.flatMap { $0[output] } }
    }

    public func predict(_ x: Matrix) throws -> [Double] {
        if classes > 0 { return try probabilities(x).rowMaxima().map(Double.init) }
        return try rawScores(x)[0]
    }

    public func probabilities(_ x: Matrix) throws -> Matrix {
        let raw = try rawScores(x)
        var result = Matrix(rows: x.rows, columns: max(classes, 1))
        for row in 0..<x.rows {
            for (label, p) in GradientBoosting.probabilities(raw, row: row).enumerated() { result[row, label] = p }
        }
        return result
    }
}
