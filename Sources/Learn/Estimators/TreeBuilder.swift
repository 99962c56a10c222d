import CairnSupport
import Glibc

/// Grows a tree depth-first, trying every feature and threshold at every node.
struct TreeBuilder {
    let x: Matrix
    let y: [Double]
    /// Per row of `x`, how many times it counts: a forest's bootstrap draws, 1 for a lone tree.
    let weights: [Double]
    let levels: FeatureLevels
    let classes: Int
    let settings: DecisionTree
    let featuresPerSplit: Int
    var random: SeededRandom?
    var nodes: [DecisionTreeModel.Node] = []
    /// A node's (feature value, position in the node) pairs while its splits are tried, and the
    /// node's targets and weights by position; buffers for the whole tree.
    private var pairs: [SIMD2<Double>] = []
    private var nodeTargets: [Double] = []
    private var nodeWeights: [Double] = []
    /// The features in the order the last split drew them.
    private var featureOrder: [Int]
    /// Per level of a few-valued feature: row count, sum and sum of squares of the target, class counts.
    private var levelStatistics: [Double] = []

    init(x: Matrix, y: [Double], weights: [Double], levels: FeatureLevels, classes: Int, settings: DecisionTree,
         featuresPerSplit: Int, random: SeededRandom?) {
        self.x = x
        self.y = y
        self.weights = weights
        self.levels = levels
        featureOrder = Array(0..<x.columns)
        self.classes = classes
        self.settings = settings
        self.featuresPerSplit = featuresPerSplit
        self.random = random
    }

    /// Appends the subtree for `rows` and returns its index.
    @discardableResult
    mutating func grow(rows: [Int], depth: Int) -> Int {
        let index = nodes.count
        let value = leafValue(rows)
        nodes.append(.init(feature: -1, threshold: 0, left: -1, right: -1, value: value))
        let pure = classes > 0 ? value.filter { $0 > 0 }.count <= 1 : Set(rows.map { y[$0] }).count <= 1
        let size = rows.reduce(0) { $0 + weights[$1] }
        guard !pure, size >= Double(settings.minSamplesSplit), size >= Double(2 * settings.minSamplesLeaf),
              settings.maxDepth.map({ depth < $0 }) ?? true, let split = bestSplit(rows) else { return index }
        let left = rows.filter { x[$0, split.feature] <= split.threshold }
        let right = rows.filter { x[$0, split.feature] > split.threshold }
        nodes[index].feature = split.feature
        nodes[index].threshold = split.threshold
        nodes[index].left = grow(rows: left, depth: depth + 1)
        nodes[index].right = grow(rows: right, depth: depth + 1)
        return index
    }

    private func leafValue(_ rows: [Int]) -> [Double] {
        let size = rows.reduce(0) { $0 + weights[$1] }
        guard classes > 0 else { return [rows.reduce(0) { $0 + weights[$1] * y[$1] } / size] }
        var counts = [Double](repeating: 0, count: classes)
        for row in rows { counts[Int(y[row])] += weights[row] }
        return counts.map { $0 / size }
    }

    /// The feature and threshold with the lowest weighted child impurity, if any split is allowed.
    /// Candidates lie between neighbouring distinct values, tried in ascending order; a feature of
    /// few distinct values is counted level by level instead of sorted, which finds the same ones.
    private mutating func bestSplit(_ rows: [Int]) -> (feature: Int, threshold: Double)? {
        var best: (feature: Int, threshold: Double, impurity: Double)?
        // A random subset by a partial Fisher–Yates shuffle: only as many draws as features tried.
        if featuresPerSplit < x.columns, random != nil {
            for index in 0..<featuresPerSplit { featureOrder.swapAt(index, index + random!.below(x.columns - index)) }
        }
        let features = featureOrder.prefix(featuresPerSplit)
        let criterion = settings.criterion, leafMinimum = Double(settings.minSamplesLeaf)
        func consider(_ feature: Int, _ left: Accumulator, _ right: Accumulator, between here: Double, and next: Double) {
            guard left.count >= leafMinimum, right.count >= leafMinimum else { return }
            let impurity = left.weightedImpurity(criterion) + right.weightedImpurity(criterion)
            if best == nil || impurity < best!.impurity - 1e-12 {
                var threshold = here / 2 + next / 2
                if threshold == next { threshold = here }
                best = (feature, threshold, impurity)
            }
        }
        for feature in features {
            if let values = levels.values[feature] {
                splitByLevels(rows, feature: feature, values: values, consider)
            } else {
                splitBySorting(rows, feature: feature, consider)
            }
        }
        return best.map { ($0.feature, $0.threshold) }
    }

    private mutating func splitBySorting(_ rows: [Int], feature: Int,
                                         _ consider: (Int, Accumulator, Accumulator, Double, Double) -> Void) {
        let count = rows.count
        if pairs.count < count {
            pairs = [SIMD2<Double>](repeating: .zero, count: count)
            nodeTargets = [Double](repeating: 0, count: count)
            nodeWeights = nodeTargets
        }
        // The node's values for this feature, each with its place in the node, sorted by value.
        x.values.withUnsafeBufferPointer { values in
            pairs.withUnsafeMutableBufferPointer { pairs in
                let base = feature * x.rows
                for (index, row) in rows.enumerated() {
                    pairs[index] = SIMD2(values[base + row], Double(index))
                    nodeTargets[index] = y[row]
                    nodeWeights[index] = weights[row]
                }
                var node = UnsafeMutableBufferPointer(rebasing: pairs[0..<count])
                node.sort { $0.x < $1.x }
            }
        }
        guard pairs[0].x < pairs[count - 1].x else { return }
        var left = Accumulator(classes: classes), right = Accumulator(classes: classes)
        for index in 0..<count { right.add(nodeTargets[index], weight: nodeWeights[index]) }
        for position in 0..<(count - 1) {
            let place = Int(pairs[position].y)
            left.add(nodeTargets[place], weight: nodeWeights[place])
            right.add(nodeTargets[place], weight: -nodeWeights[place])
            if pairs[position + 1].x > pairs[position].x { consider(feature, left, right, pairs[position].x, pairs[position + 1].x) }
        }
    }

    private mutating func splitByLevels(_ rows: [Int], feature: Int, values: [Double],
                                        _ consider: (Int, Accumulator, Accumulator, Double, Double) -> Void) {
        let width = 3 + classes, count = values.count * width
        if levelStatistics.count < count { levelStatistics = [Double](repeating: 0, count: count) }
        levelStatistics.withUnsafeMutableBufferPointer { statistics in
            for index in 0..<count { statistics[index] = 0 }
            levels.codes.withUnsafeBufferPointer { codes in
                let base = levels.offsets[feature]
                for row in rows {
                    let slot = Int(codes[base + row]) * width, target = y[row], weight = weights[row]
                    statistics[slot] += weight
                    statistics[slot + 1] += weight * target
                    statistics[slot + 2] += weight * target * target
                    if classes > 0 { statistics[slot + 3 + Int(target)] += weight }
                }
            }
        }
        var left = Accumulator(classes: classes), right = Accumulator(classes: classes)
        for level in values.indices where levelStatistics[level * width] > 0 {
            right.add(levelStatistics[(level * width)..<((level + 1) * width)])
        }
        // Each present level moves left in turn; a candidate lies between it and the next present one.
        var previous: Int?
        for level in values.indices where levelStatistics[level * width] > 0 {
            if let previous {
                let statistics = levelStatistics[(previous * width)..<((previous + 1) * width)]
                left.add(statistics)
                right.remove(statistics)
                consider(feature, left, right, values[previous], values[level])
            }
            previous = level
        }
    }
}

/// Running class counts (or sums for regression) on one side of a candidate split.
struct Accumulator {
    var counts: [Double]
    var count = 0.0
    var sum = 0.0
    var sumOfSquares = 0.0
    /// Σ counts², kept as counts change so that Gini costs O(1) per candidate.
    var squaredCounts = 0.0

    init(classes: Int) { counts = [Double](repeating: 0, count: classes) }

    /// Adds a row that counts `weight` times (a negative weight takes it away).
    mutating func add(_ value: Double, weight: Double) {
        if !counts.isEmpty {
            squaredCounts += weight * (2 * counts[Int(value)] + weight)
            counts[Int(value)] += weight
        }
        count += weight
        sum += weight * value
        sumOfSquares += weight * value * value
    }

    /// Adds a level's rows at once: `[count, sum, sum of squares, class counts…]`.
    mutating func add(_ level: ArraySlice<Double>) { merge(level, sign: 1) }

    mutating func remove(_ level: ArraySlice<Double>) { merge(level, sign: -1) }

    private mutating func merge(_ level: ArraySlice<Double>, sign: Double) {
        let start = level.startIndex
        count += sign * level[start]
        sum += sign * level[start + 1]
        sumOfSquares += sign * level[start + 2]
        for label in counts.indices {
            let change = sign * level[start + 3 + label]
            squaredCounts += change * (2 * counts[label] + change)
            counts[label] += change
        }
    }

    /// Impurity times the number of rows, so that two sides add up.
    func weightedImpurity(_ criterion: DecisionTree.Criterion) -> Double {
        switch criterion {
        case .gini: return count - squaredCounts / count
        case .entropy: return -counts.reduce(0) { $1 > 0 ? $0 + $1 * log2($1 / count) : $0 }
        case .squaredError: return sumOfSquares - sum * sum / count
        }
    }
}
