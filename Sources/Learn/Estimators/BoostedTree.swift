import CairnCore

/// One tree of a boosted model: internal nodes send a row left when its bin (while fitting) or
/// value (when predicting) is at most the split's; leaves hold the raw-score step.
public struct BoostedTree: Codable, Sendable, Equatable {
    public struct Node: Codable, Sendable, Equatable {
        public var feature: Int
        public var bin: UInt8
        public var threshold: Double
        public var left: Int
        public var right: Int
        public var value: Double
    }

    public var nodes: [Node]

    func value(_ x: Matrix, row: Int) -> Double {
        var node = nodes[0]
        while node.feature >= 0 { node = nodes[x[row, node.feature] <= node.threshold ? node.left : node.right] }
        return node.value
    }

    /// The tree with each split's raw-value threshold filled in from the bins.
    func withThresholds(_ bins: FeatureBins) -> BoostedTree {
        var tree = self
        for index in tree.nodes.indices where tree.nodes[index].feature >= 0 {
            tree.nodes[index].threshold = bins.thresholds[tree.nodes[index].feature][Int(tree.nodes[index].bin)]
        }
        return tree
    }
}

/// Grows one boosted tree leaf-wise on gradient/hessian histograms; a child's histogram comes
/// from the smaller child's rows, the sibling's by subtraction from the parent.
struct LeafwiseGrower {
    let binned: [UInt8]
    let rows: Int
    let columns: Int
    let gradients: [Double]
    let hessians: [Double]
    let settings: GradientBoosting
    var nodes: [BoostedTree.Node] = []

    init(binned: [UInt8], rows: Int, columns: Int, gradients: [Double], hessians: [Double], settings: GradientBoosting) {
        self.binned = binned
        self.rows = rows
        self.columns = columns
        self.gradients = gradients
        self.hessians = hessians
        self.settings = settings
    }

    /// Per feature and bin: sums of gradients and hessians, and counts.
    struct Histogram {
        var gradient: [Double]
        var hessian: [Double]
        var count: [Int]

        static func - (lhs: Histogram, rhs: Histogram) -> Histogram {
            Histogram(gradient: zip(lhs.gradient, rhs.gradient).map { $0 - $1 }, hessian: zip(lhs.hessian, rhs.hessian).map { $0 - $1 },
                      count: zip(lhs.count, rhs.count).map { $0 - $1 })
        }
    }

    struct Leaf {
        var node: Int
        var rows: [Int]
        var histogram: Histogram
        var split: (feature: Int, bin: UInt8, gain: Double)?
    }

    func histogram(_ members: [Int]) -> Histogram {
        var result = Histogram(gradient: [Double](repeating: 0, count: columns * 256), hessian: [Double](repeating: 0, count: columns * 256),
                               count: [Int](repeating: 0, count: columns * 256))
        for feature in 0..<columns {
            let base = feature * rows, offset = feature * 256
            for row in members {
                let slot = offset + Int(binned[base + row])
                result.gradient[slot] += gradients[row]
                result.hessian[slot] += hessians[row]
                result.count[slot] += 1
            }
        }
        return result
    }

    func bestSplit(_ histogram: Histogram, count: Int) -> (feature: Int, bin: UInt8, gain: Double)? {
        let lambda = settings.l2Regularization, minimum = settings.minSamplesLeaf
        var best: (feature: Int, bin: UInt8, gain: Double)?
        for feature in 0..<columns {
            let offset = feature * 256
            var totalG = 0.0, totalH = 0.0
            for bin in 0..<256 { totalG += histogram.gradient[offset + bin]; totalH += histogram.hessian[offset + bin] }
            let parent = totalG * totalG / (totalH + lambda)
            var leftG = 0.0, leftH = 0.0, leftCount = 0
            for bin in 0..<255 {
                leftG += histogram.gradient[offset + bin]
                leftH += histogram.hessian[offset + bin]
                leftCount += histogram.count[offset + bin]
                let rightCount = count - leftCount, rightG = totalG - leftG, rightH = totalH - leftH
                guard leftCount >= minimum, rightCount >= minimum, leftH >= 1e-3, rightH >= 1e-3 else { continue }
                let gain = leftG * leftG / (leftH + lambda) + rightG * rightG / (rightH + lambda) - parent
                if gain > 1e-12, gain > (best?.gain ?? 0) { best = (feature, UInt8(bin), gain) }
            }
        }
        return best
    }

    /// The tree and, for each leaf, its value and the rows of `members` it holds — so that the
    /// caller updates those rows' scores without walking the tree again.
    mutating func grow(_ members: [Int]) -> (tree: BoostedTree, leaves: [(value: Double, rows: [Int])]) {
        var leaves: [Leaf] = []
        func makeLeaf(_ members: [Int], _ histogram: Histogram) -> Leaf {
            let gradient = members.reduce(0) { $0 + gradients[$1] }, hessian = members.reduce(0) { $0 + hessians[$1] }
            nodes.append(.init(feature: -1, bin: 0, threshold: 0, left: -1, right: -1,
                               value: -gradient / (hessian + settings.l2Regularization) * settings.learningRate))
            return Leaf(node: nodes.count - 1, rows: members, histogram: histogram, split: bestSplit(histogram, count: members.count))
        }
        leaves.append(makeLeaf(members, histogram(members)))
        while leaves.count < settings.maxLeafNodes,
              let index = leaves.indices.filter({ leaves[$0].split != nil }).max(by: { leaves[$0].split!.gain < leaves[$1].split!.gain }) {
            let parent = leaves.remove(at: index)
            let split = parent.split!
            let base = split.feature * rows
            let left = parent.rows.filter { binned[base + $0] <= split.bin }, right = parent.rows.filter { binned[base + $0] > split.bin }
            let leftSmaller = left.count <= right.count
            let small = histogram(leftSmaller ? left : right), large = parent.histogram - small
            let leftLeaf = makeLeaf(left, leftSmaller ? small : large), rightLeaf = makeLeaf(right, leftSmaller ? large : small)
            nodes[parent.node].feature = split.feature
            nodes[parent.node].bin = split.bin
            nodes[parent.node].left = leftLeaf.node
            nodes[parent.node].right = rightLeaf.node
            leaves += [leftLeaf, rightLeaf]
        }
        return (BoostedTree(nodes: nodes), leaves.map { (nodes[$0.node].value, $0.rows) })
    }
}

/// A fitted boosted model: the baseline raw score per output and each iteration's trees.
public struct GradientBoostingModel: Predictor, Equatable {
    public var baseline: [Double]
    public var trees: [[BoostedTree]]
    /// 0 for regression.
    public var classes: Int

    public var iterations: Int { trees.count }

    func rawScores(_ x: Matrix) throws -> [[Double]] {
        try TrainingData.finite(x)
        let used = trees.flatMap { $0.flatMap { $0.nodes.map(\.feature) } }.max() ?? -1
        guard x.columns > used else { throw CairnError(.invalidData, "the model splits on feature \(used + 1), the data has \(x.columns)") }
        return baseline.indices.map { output in
            (0..<x.rows).map { row in trees.reduce(baseline[output]) { $0 + $1[output].value(x, row: row) } }
        }
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
