import CairnCore
import CairnSupport

/// k-nearest neighbours by Euclidean distance over the training rows (kept in the model), as
/// scikit-learn's KNeighborsClassifier and KNeighborsRegressor with the brute-force search:
/// votes (or the mean) of the k closest rows, equal or weighted by 1/distance.
public struct KNearestNeighbors: Estimator {
    public enum Weights: String, ConfigEnum, HyperparameterValue { case uniform, distance }

    public static let hyperparameters: [Hyperparameter<Self>] = [.init("n_neighbors", \.neighbors), .init("weights", \.weights)]
    public var neighbors: Int
    public var weights: Weights
    /// Classification (targets are class indices) or regression.
    public var task: ModelTask

    public init(neighbors: Int = 5, weights: Weights = .uniform, task: ModelTask = .classification) {
        self.neighbors = neighbors
        self.weights = weights
        self.task = task
    }

    public func validate() throws {
        guard neighbors >= 1 else { throw CairnError(.invalidValue, "n_neighbors must be at least 1, found \(neighbors)") }
    }

    public func fit(_ x: Matrix, _ y: [Double]) throws -> KNearestNeighborsModel {
        try validate()
        try TrainingData.check(x, y)
        guard neighbors <= x.rows else {
            throw CairnError(.invalidValue, "n_neighbors is \(neighbors) but there are only \(x.rows) training rows")
        }
        let classes = task == .classification ? try TrainingData.classLabels(x, y).max()! + 1 : 0
        return KNearestNeighborsModel(points: x, targets: y, neighbors: neighbors, weights: weights, classes: classes)
    }
}

/// The training rows and targets, searched at prediction time.
public struct KNearestNeighborsModel: Predictor {
    public static let savedName = "neighbors"
    public var points: Matrix
    public var targets: [Double]
    public var neighbors: Int
    public var weights: KNearestNeighbors.Weights
    /// 0 for regression.
    public var classes: Int

    public func problem(features: Int, classes: Int) -> String? {
        guard points.columns == features, points.rows == targets.count, self.classes == classes,
              neighbors >= 1, classes == 0 || targets.allSatisfy({ $0 >= 0 && Int($0) < classes }) else {
            return "the kept points or their targets do not fit \(features) features and \(classes) classes"
        }
        return nil
    }

    public func classProbabilities(_ x: Matrix) throws -> Matrix? { classes > 0 ? try probabilities(x) : nil }

    /// For each row of `x`, its k nearest training rows and their distances, closest first.
    func nearest(_ x: Matrix) throws -> [[(index: Int, distance: Double)]] {
        guard x.columns == points.columns else {
            throw CairnError(.invalidData, "the model has \(points.columns) features, the data \(x.columns)")
        }
        try TrainingData.finite(x)
        // ‖a − b‖² = ‖a‖² + ‖b‖² − 2·a·b, the cross terms by one matrix product.
        let cross = x.multiplied(byTransposeOf: points)
        let pointNorms = (0..<points.rows).map { row in (0..<points.columns).reduce(0.0) { $0 + points[row, $1] * points[row, $1] } }
        return (0..<x.rows).map { row in
            let norm = (0..<x.columns).reduce(0.0) { $0 + x[row, $1] * x[row, $1] }
            let distances = (0..<points.rows).map { (index: $0, distance: max(norm + pointNorms[$0] - 2 * cross[row, $0], 0).squareRoot()) }
            return Array(distances.sorted { $0.distance < $1.distance || ($0.distance == $1.distance && $0.index < $1.index) }.prefix(neighbors))
        }
    }

    private func weight(_ distance: Double) -> Double { weights == .uniform ? 1 : (distance == 0 ? .infinity : 1 / distance) }

    public func predict(_ x: Matrix) throws -> [Double] {
        if classes > 0 { return try probabilities(x).rowMaxima().map(Double.init) }
        return try nearest(x).map { found in
            let weighted = found.map { (weight($0.distance), targets[$0.index]) }
            if weighted.contains(where: { $0.0.isInfinite }) {
                let exact = weighted.filter { $0.0.isInfinite }
                return exact.reduce(0) { $0 + $1.1 } / Double(exact.count)
            }
            return weighted.reduce(0) { $0 + $1.0 * $1.1 } / weighted.reduce(0) { $0 + $1.0 }
        }
    }

    /// Vote shares per class (classification only).
    public func probabilities(_ x: Matrix) throws -> Matrix {
        var result = Matrix(rows: x.rows, columns: max(classes, 1))
        for (row, found) in try nearest(x).enumerated() {
            let exact = found.contains { weight($0.distance).isInfinite }
            for (index, distance) in found {
                let vote = exact ? (weight(distance).isInfinite ? 1 : 0) : weight(distance)
                result[row, Int(targets[index])] += vote
            }
            let total = (0..<classes).reduce(0.0) { $0 + result[row, $1] }
            for label in 0..<classes { result[row, label] /= total }
        }
        return result
    }
}
