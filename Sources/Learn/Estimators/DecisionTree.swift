import CairnCore
import CairnSupport
import Glibc

/// A CART decision tree, as scikit-learn's DecisionTreeClassifier and DecisionTreeRegressor with
/// all features considered at every split: the split that most lowers the weighted impurity
/// (Gini, entropy or squared error), thresholds halfway between neighbouring values, grown
/// until `max_depth`, `min_samples_split` or `min_samples_leaf` stop it or a node is pure.
public struct DecisionTree: Estimator {
    public enum Criterion: String, ConfigEnum, HyperparameterValue { case gini, entropy, squaredError = "squared_error" }

    public static let hyperparameters: [Hyperparameter<Self>] = [
        .init("criterion", \.criterion), .init("max_depth", \.maxDepth),
        .init("min_samples_split", \.minSamplesSplit), .init("min_samples_leaf", \.minSamplesLeaf),
    ]
    public var criterion: Criterion
    public var maxDepth: Int?
    public var minSamplesSplit: Int
    public var minSamplesLeaf: Int

    public init(criterion: Criterion = .gini, maxDepth: Int? = nil, minSamplesSplit: Int = 2, minSamplesLeaf: Int = 1) {
        self.criterion = criterion
        self.maxDepth = maxDepth
        self.minSamplesSplit = minSamplesSplit
        self.minSamplesLeaf = minSamplesLeaf
    }

    public var task: ModelTask { criterion == .squaredError ? .regression : .classification }

    public func validate() throws {
        if let maxDepth, maxDepth < 1 { throw CairnError(.invalidValue, "max_depth must be at least 1, found \(maxDepth)") }
        guard minSamplesSplit >= 2 else { throw CairnError(.invalidValue, "min_samples_split must be at least 2, found \(minSamplesSplit)") }
        guard minSamplesLeaf >= 1 else { throw CairnError(.invalidValue, "min_samples_leaf must be at least 1, found \(minSamplesLeaf)") }
    }

    public func fit(_ x: Matrix, _ y: [Double]) throws -> DecisionTreeModel {
        try validate()
        let classes = task == .classification ? try TrainingData.classLabels(x, y).max()! + 1 : 0
        if task == .regression { try TrainingData.check(x, y) }
        return grow(x, y, weights: [Double](repeating: 1, count: x.rows), levels: try FeatureLevels(x), rows: Array(0..<x.rows),
                    classes: classes, featuresPerSplit: x.columns, random: nil)
    }

    /// A tree on `rows`, each counting `weights[row]` times (a bootstrap sample's draws), trying
    /// `featuresPerSplit` features drawn at random at each split when that is fewer than all.
    func grow(_ x: Matrix, _ y: [Double], weights: [Double], levels: FeatureLevels, rows: [Int], classes: Int, featuresPerSplit: Int,
              random: SeededRandom?) -> DecisionTreeModel {
        var builder = TreeBuilder(x: x, y: y, weights: weights, levels: levels, classes: classes, settings: self,
                                  featuresPerSplit: featuresPerSplit, random: random)
        builder.grow(rows: rows, depth: 0)
        return DecisionTreeModel(nodes: builder.nodes, classes: classes)
    }
}

/// The fitted tree: node 0 is the root; a node with `feature` −1 is a leaf whose `value` is the
/// class distribution (classification) or the mean target (regression).
public struct DecisionTreeModel: Predictor {
    public static let savedName = "tree"

    public struct Node: Codable, Sendable, Equatable {
        public var feature: Int
        public var threshold: Double
        public var left: Int
        public var right: Int
        public var value: [Double]
    }

    public var nodes: [Node]
    /// 0 for regression.
    public var classes: Int

    func leaf(for x: Matrix, row: Int) -> Node {
        var node = nodes[0]
        while node.feature >= 0 { node = nodes[x[row, node.feature] <= node.threshold ? node.left : node.right] }
        return node
    }

    public func predict(_ x: Matrix) throws -> [Double] {
        if classes > 0 { return try probabilities(x).rowMaxima().map(Double.init) }
        try check(x)
        return (0..<x.rows).map { leaf(for: x, row: $0).value[0] }
    }

    public func classProbabilities(_ x: Matrix) throws -> Matrix? { classes > 0 ? try probabilities(x) : nil }

    public func problem(features: Int, classes: Int) -> String? {
        Self.problem(nodes.map { ($0.feature, $0.left, $0.right, $0.value.count) }, features: features, values: max(classes, 1))
    }

    /// Nodes as (feature, left, right, values): leaves have feature −1; a split's children come
    /// after it in the list, so that walking the tree always ends.
    static func problem(_ nodes: [(feature: Int, left: Int, right: Int, values: Int)], features: Int, values: Int) -> String? {
        guard !nodes.isEmpty else { return "a tree has no nodes" }
        for (index, node) in nodes.enumerated() {
            if node.feature < 0 {
                if node.values != values { return "a leaf holds \(node.values) values, not \(values)" }
            } else if node.feature >= features {
                return "a split reads feature \(node.feature + 1) of \(features)"
            } else if !(index + 1..<nodes.count).contains(node.left) || !(index + 1..<nodes.count).contains(node.right) {
                return "a split's children are not nodes after it"
            }
        }
        return nil
    }

    public func probabilities(_ x: Matrix) throws -> Matrix {
        try check(x)
        var result = Matrix(rows: x.rows, columns: max(classes, 1))
        for row in 0..<x.rows {
            let value = leaf(for: x, row: row).value
            for label in value.indices { result[row, label] = value[label] }
        }
        return result
    }

    private func check(_ x: Matrix) throws {
        let used = nodes.map(\.feature).max() ?? -1
        guard x.columns > used else { throw CairnError(.invalidData, "the tree splits on feature \(used + 1), the data has \(x.columns)") }
        try TrainingData.finite(x)
    }
}
