import CairnSupport
import Glibc
import Tables

/// Histogram gradient boosting, after scikit-learn's HistGradientBoostingClassifier and
/// Regressor: features binned into at most `max_bins` quantile bins, trees grown leaf-wise (best
/// gain first) up to `max_leaf_nodes` leaves on gradient and hessian histograms, each leaf
/// −G/(H + l2) × learning rate; log loss (sigmoid for two classes, one tree per class and
/// softmax for more) or squared error. With early stopping, a seeded `validation_fraction` of the
/// rows is held out and boosting stops when its loss has not improved by `tol` for
/// `n_iter_no_change` iterations.
public struct GradientBoosting: Estimator {
    public static let hyperparameters: [Hyperparameter<Self>] = [
        .init("learning_rate", \.learningRate), .init("max_iter", \.maxIterations), .init("max_leaf_nodes", \.maxLeafNodes),
        .init("min_samples_leaf", \.minSamplesLeaf), .init("l2_regularization", \.l2Regularization), .init("max_bins", \.maxBins),
        .init("early_stopping", \.earlyStopping), .init("validation_fraction", \.validationFraction),
        .init("n_iter_no_change", \.iterationsWithoutChange), .init("tol", \.tolerance), .init("random_state", \.seed),
    ]
    public var task: ModelTask
    public var learningRate: Double
    public var maxIterations: Int
    public var maxLeafNodes: Int
    public var minSamplesLeaf: Int
    public var l2Regularization: Double
    public var maxBins: Int
    /// nil: on when there are more than 10,000 rows, as scikit-learn's "auto".
    public var earlyStopping: Bool?
    public var validationFraction: Double
    public var iterationsWithoutChange: Int
    public var tolerance: Double
    public var seed: Int

    public init(task: ModelTask = .classification, learningRate: Double = 0.1, maxIterations: Int = 100, maxLeafNodes: Int = 31,
                minSamplesLeaf: Int = 20, l2Regularization: Double = 0, maxBins: Int = 255, earlyStopping: Bool? = nil,
                validationFraction: Double = 0.1, iterationsWithoutChange: Int = 10, tolerance: Double = 1e-7, seed: Int = 0) {
        self.task = task
        self.learningRate = learningRate
        self.maxIterations = maxIterations
        self.maxLeafNodes = maxLeafNodes
        self.minSamplesLeaf = minSamplesLeaf
        self.l2Regularization = l2Regularization
        self.maxBins = maxBins
        self.earlyStopping = earlyStopping
        self.validationFraction = validationFraction
        self.iterationsWithoutChange = iterationsWithoutChange
        self.tolerance = tolerance
        self.seed = seed
    }

    public func validate() throws {
        guard learningRate > 0 else { throw CairnError(.invalidValue, "learning_rate must be > 0, found \(learningRate)") }
        guard maxIterations >= 1 else { throw CairnError(.invalidValue, "max_iter must be at least 1, found \(maxIterations)") }
        guard maxLeafNodes >= 2 else { throw CairnError(.invalidValue, "max_leaf_nodes must be at least 2, found \(maxLeafNodes)") }
        guard minSamplesLeaf >= 1 else { throw CairnError(.invalidValue, "min_samples_leaf must be at least 1, found \(minSamplesLeaf)") }
        guard l2Regularization >= 0 else { throw CairnError(.invalidValue, "l2_regularization must be ≥ 0, found \(l2Regularization)") }
        guard (2...255).contains(maxBins) else { throw CairnError(.invalidValue, "max_bins must be between 2 and 255, found \(maxBins)") }
        guard validationFraction > 0, validationFraction < 1 else {
            throw CairnError(.invalidValue, "validation_fraction must be between 0 and 1, found \(validationFraction)")
        }
    }

    public func fit(_ x: Matrix, _ y: [Double]) throws -> GradientBoostingModel {
        try validate()
        let classes = task == .classification ? try TrainingData.classLabels(x, y).max()! + 1 : 0
        if task == .regression { try TrainingData.check(x, y) }
        let bins = try FeatureBins(x, maxBins: maxBins, seed: seed)
        let binned = try BinnedRows(x, bins: bins)
        var random = SeededRandom(seed: UInt64(bitPattern: Int64(seed)))
        var order = Array(0..<x.rows)
        random.shuffle(&order)
        let stopEarly = earlyStopping ?? (x.rows > 10_000)
        let validationCount = stopEarly ? max(1, Int(validationFraction * Double(x.rows))) : 0
        let validation = Array(order.prefix(validationCount)).sorted(), training = Array(order.dropFirst(validationCount)).sorted()
        let trainingRows = training.map { Int32($0) }
        let outputs = classes > 2 ? classes : 1
        let baseline = Self.baseline(training.map { y[$0] }, classes: classes)
        var raw = [[Double]](repeating: [Double](repeating: 0, count: x.rows), count: outputs)
        for output in 0..<outputs { for row in 0..<x.rows { raw[output][row] = baseline[output] } }
        var trees: [[BoostedTree]] = []
        var bestLoss = Double.infinity, stale = 0
        for iteration in 0..<maxIterations {
            FitProgress.report(iteration + 1, of: maxIterations, "iteration")
            let derivatives = try Self.derivatives(raw, y, classes: classes)
            var round: [BoostedTree] = []
            for output in 0..<outputs {
                var grower = LeafwiseGrower(data: binned, rows: trainingRows, derivatives: derivatives[output], settings: self)
                let (tree, leaves) = try grower.grow()
                for leaf in leaves { for row in grower.order[leaf.rows] { raw[output][Int(row)] += leaf.value } }
                let finished = tree.withThresholds(bins)
                finished.addValues(of: x, rows: validation, to: &raw[output])
                round.append(finished)
            }
            trees.append(round)
            if stopEarly {
                let loss = Self.loss(raw, y, rows: validation, classes: classes)
                if loss < bestLoss - tolerance { (bestLoss, stale) = (loss, 0) } else { stale += 1 }
                if stale >= iterationsWithoutChange { break }
            }
        }
        return GradientBoostingModel(baseline: baseline, trees: trees, classes: classes)
    }

    /// The starting raw score: log-odds of the positive class, log of each class's share, or the mean.
    static func baseline(_ y: [Double], classes: Int) -> [Double] {
        if classes == 0 { return [y.reduce(0, +) / Double(y.count)] }
        var counts = [Double](repeating: 0, count: classes)
        for value in y { counts[Int(value)] += 1 }
        let shares = counts.map { max($0, 1e-12) / Double(y.count) }
        return classes == 2 ? [log(shares[1] / shares[0])] : shares.map { log($0) }
    }

    static func probabilities(_ raw: [[Double]], row: Int) -> [Double] {
        if raw.count == 1 {
            let positive = 1 / (1 + exp(-raw[0][row]))
            return [1 - positive, positive]
        }
        var p = [Double](repeating: 0, count: raw.count)
        softmax(raw, row: row, into: &p)
        return p
    }

    /// The classes' probabilities from their raw scores, into a buffer the caller reuses.
    static func softmax(_ raw: [[Double]], row: Int, into p: inout [Double]) {
        var top = -Double.infinity
        for output in raw.indices { top = max(top, raw[output][row]) }
        var total = 0.0
        for output in raw.indices {
            p[output] = exp(raw[output][row] - top)
            total += p[output]
        }
        for output in raw.indices { p[output] /= total }
    }

    /// Per output and row, the loss's gradient and hessian with respect to the raw score.
    static func derivatives(_ raw: [[Double]], _ y: [Double], classes: Int) throws -> [[SIMD2<Double>]] {
        let pieces = try Parallel.map(y.indices, chunk: 65_536) { range in
            var part = raw.map { _ in [SIMD2<Double>](repeating: .zero, count: range.count) }
            var p = [Double](repeating: 0, count: raw.count)
            for (index, row) in range.enumerated() {
                if classes == 0 {
                    part[0][index] = SIMD2(raw[0][row] - y[row], 1)
                } else if raw.count == 1 {
                    let positive = 1 / (1 + exp(-raw[0][row]))
                    part[0][index] = SIMD2(positive - y[row], max(positive * (1 - positive), 1e-16))
                } else {
                    softmax(raw, row: row, into: &p)
                    for label in raw.indices {
                        part[label][index] = SIMD2(p[label] - (Int(y[row]) == label ? 1 : 0), max(p[label] * (1 - p[label]), 1e-16))
                    }
                }
            }
            return part
        }
        return raw.indices.map { output in pieces.flatMap { $0[output] } }
    }

    static func loss(_ raw: [[Double]], _ y: [Double], rows: [Int], classes: Int) -> Double {
        rows.reduce(0) { sum, row in
            if classes == 0 { return sum + 0.5 * (raw[0][row] - y[row]) * (raw[0][row] - y[row]) }
            return sum - log(max(probabilities(raw, row: row)[Int(y[row])], 1e-300))
        } / Double(max(rows.count, 1))
    }
}
