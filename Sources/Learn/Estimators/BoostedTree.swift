
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

    /// Adds the tree's value for each of `rows` of `x` to `scores[row - offset]`.
    func addValues(of x: Matrix, rows: some Sequence<Int>, to scores: inout [Double], offset: Int = 0) {
        nodes.withUnsafeBufferPointer { nodes in
            x.values.withUnsafeBufferPointer { values in
                for row in rows {
                    var node = nodes[0]
                    while node.feature >= 0 { node = nodes[values[node.feature * x.rows + row] <= node.threshold ? node.left : node.right] }
                    scores[row - offset] += node.value
                }
            }
        }
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
