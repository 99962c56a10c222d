import CairnSupport

/// A random forest, as scikit-learn's RandomForestClassifier and RandomForestRegressor: each
/// tree grown on a bootstrap sample of the rows, trying a random subset of the features at each
/// split (√features for classification, all for regression, by default); predictions average
/// the trees' class probabilities or values. Trees grow in parallel; the same seed gives the
/// same forest.
public struct RandomForest: Estimator {
    /// The forest's own and its trees' (criterion, max_depth, …) in one mapping.
    public static let hyperparameters: [Hyperparameter<Self>] = [
        .init("n_estimators", \.trees), .init("max_features", \.maxFeatures), .init("random_state", \.seed),
    ] + DecisionTree.hyperparameters.map { $0.through(\.tree) }
    public var trees: Int
    public var tree: DecisionTree
    /// Features tried per split; nil for the default of the task.
    public var maxFeatures: Int?
    public var seed: Int
    public var task: ModelTask { tree.task }

    public init(trees: Int = 100, tree: DecisionTree = DecisionTree(), maxFeatures: Int? = nil, seed: Int = 0) {
        self.trees = trees
        self.tree = tree
        self.maxFeatures = maxFeatures
        self.seed = seed
    }

    public func validate() throws {
        try tree.validate()
        guard trees >= 1 else { throw CairnError(.invalidValue, "n_estimators must be at least 1, found \(trees)") }
        if let maxFeatures, maxFeatures < 1 { throw CairnError(.invalidValue, "max_features must be at least 1, found \(maxFeatures)") }
    }

    public func fit(_ x: Matrix, _ y: [Double]) throws -> RandomForestModel {
        try validate()
        let classes = task == .classification ? try TrainingData.classLabels(x, y).max()! + 1 : 0
        if task == .regression { try TrainingData.check(x, y) }
        let perSplit = min(x.columns, maxFeatures ?? (task == .classification ? max(1, Int(Double(x.columns).squareRoot())) : x.columns))
        let levels = try FeatureLevels(x)
        let progress = FitProgress.Counter(total: trees, unit: "tree")
        let forest = try Parallel.map(trees) { index in
            // Each tree has its own generator, from the seed and its index: the forest does not
            // depend on which thread grew which tree.
            var random = SeededRandom(seed: UInt64(bitPattern: Int64(seed)) &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(index))
            // Each row drawn once or more is grown on once, weighted by its draws — the same tree
            // as on the repeated rows, with a third less work; in row order, so that gathering a
            // node's values walks memory forwards.
            var draws = [Double](repeating: 0, count: x.rows)
            for _ in 0..<x.rows { draws[random.below(x.rows)] += 1 }
            let rows = draws.indices.filter { draws[$0] > 0 }
            defer { progress.finishedOne() }
            return tree.grow(x, y, weights: draws, levels: levels, rows: rows, classes: classes, featuresPerSplit: perSplit, random: random)
        }
        return RandomForestModel(trees: forest, classes: classes)
    }
}

public struct RandomForestModel: Predictor {
    public static let savedName = "forest"
    public var trees: [DecisionTreeModel]
    /// 0 for regression.
    public var classes: Int

    public func problem(features: Int, classes: Int) -> String? {
        trees.lazy.compactMap { $0.problem(features: features, classes: classes) }.first
    }

    public func classProbabilities(_ x: Matrix) throws -> Matrix? { classes > 0 ? try probabilities(x) : nil }

    public func predict(_ x: Matrix) throws -> [Double] {
        if classes > 0 { return try probabilities(x).rowMaxima().map(Double.init) }
        let predictions = try trees.map { try $0.predict(x) }
        return (0..<x.rows).map { row in predictions.reduce(0) { $0 + $1[row] } / Double(trees.count) }
    }

    /// The mean of the trees' class distributions.
    public func probabilities(_ x: Matrix) throws -> Matrix {
        var sum = Matrix(rows: x.rows, columns: max(classes, 1))
        for tree in trees { Vector.add(1 / Double(trees.count), times: try tree.probabilities(x).values, to: &sum.values) }
        return sum
    }
}
