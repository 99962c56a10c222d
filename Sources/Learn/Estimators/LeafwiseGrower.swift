import CairnSupport

/// Grows one boosted tree leaf-wise, best gain first, on gradient/hessian histograms. The
/// training rows sit in one index array, each leaf a range of it that a split partitions in
/// place; a child's histogram is built from the smaller child's rows in parallel chunks, its
/// sibling's is the parent's less that one.
struct LeafwiseGrower {
    /// Per bundle code, the sums of gradients and hessians and the count of rows; the leaf's
    /// totals in the extra last slot.
    struct Histogram {
        var sums: [SIMD2<Double>]
        var counts: [Int32]

        init(slots: Int) {
            sums = [SIMD2<Double>](repeating: .zero, count: slots)
            counts = [Int32](repeating: 0, count: slots)
        }

        static func += (lhs: inout Histogram, rhs: Histogram) {
            for slot in lhs.sums.indices {
                lhs.sums[slot] += rhs.sums[slot]
                lhs.counts[slot] &+= rhs.counts[slot]
            }
        }

        static func - (lhs: Histogram, rhs: Histogram) -> Histogram {
            var result = lhs
            for slot in result.sums.indices {
                result.sums[slot] -= rhs.sums[slot]
                result.counts[slot] &-= rhs.counts[slot]
            }
            return result
        }

        var totals: (gradient: Double, hessian: Double, count: Double) {
            (sums[sums.count - 1].x, sums[sums.count - 1].y, Double(counts[counts.count - 1]))
        }
    }

    struct Split {
        var member: BinnedRows.Member
        var bin: Int
        var gain: Double
    }

    struct Leaf {
        var node: Int
        var range: Range<Int>
        var histogram: Histogram
        var split: Split?
    }

    /// Rows per parallel chunk of a histogram pass; fixed, so that the sums do not depend on the core count.
    static let chunkRows = 8_192

    let data: BinnedRows
    /// Each row's gradient and hessian.
    let derivatives: [SIMD2<Double>]
    let settings: GradientBoosting
    /// The rows being fitted, grouped by leaf.
    private(set) var order: [Int32]
    /// Where a partition parks the rows going right.
    private var scratch: [Int32]
    private var nodes: [BoostedTree.Node] = []

    init(data: BinnedRows, rows: [Int32], derivatives: [SIMD2<Double>], settings: GradientBoosting) {
        self.data = data
        self.order = rows
        self.scratch = rows
        self.derivatives = derivatives
        self.settings = settings
    }

    func histogram(_ range: Range<Int>) throws -> Histogram {
        let parts = try Parallel.map(range, chunk: Self.chunkRows, accumulate)
        guard var total = parts.first else { return accumulate(range) }
        for part in parts.dropFirst() { total += part }
        return total
    }

    /// Rows gathered into contiguous buffers before they are added up: a loop that only gathers
    /// keeps many cache misses in flight, where adding up straight from scattered rows waits on
    /// each row's miss in turn.
    static let blockRows = 256

    private func accumulate(_ range: Range<Int>) -> Histogram {
        let width = data.bundleCount, words = data.rowStride / 8
        var histogram = Histogram(slots: width * 256 + 1)
        var total = SIMD2<Double>.zero
        var blockCodes = [UInt64](repeating: 0, count: Self.blockRows * words)
        var blockDerivatives = [SIMD2<Double>](repeating: .zero, count: Self.blockRows)
        histogram.sums.withUnsafeMutableBufferPointer { sums in
            histogram.counts.withUnsafeMutableBufferPointer { counts in
                data.codes.withUnsafeBytes { codes in
                    derivatives.withUnsafeBufferPointer { derivatives in
                        order.withUnsafeBufferPointer { order in
                            blockCodes.withUnsafeMutableBufferPointer { blockCodes in
                                blockDerivatives.withUnsafeMutableBufferPointer { blockDerivatives in
                                    let rowWords = codes.bindMemory(to: UInt64.self)
                                    for start in stride(from: range.lowerBound, to: range.upperBound, by: Self.blockRows) {
                                        let count = min(Self.blockRows, range.upperBound - start)
                                        for index in 0..<count {
                                            let row = Int(order[start + index])
                                            blockDerivatives[index] = derivatives[row]
                                            for word in 0..<words { blockCodes[index * words + word] = rowWords[row * words + word] }
                                        }
                                        let bytes = UnsafeRawBufferPointer(blockCodes).bindMemory(to: UInt8.self)
                                        for index in 0..<count {
                                            let pair = blockDerivatives[index]
                                            total += pair
                                            let base = index * words * 8
                                            for bundle in 0..<width {
                                                let slot = bundle << 8 | Int(bytes[base + bundle])
                                                sums[slot] += pair
                                                counts[slot] &+= 1
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        histogram.sums[width * 256] = total
        histogram.counts[width * 256] = Int32(range.count)
        return histogram
    }

    /// The best split over every feature: rows whose bin is at most `bin` go left.
    func bestSplit(_ histogram: Histogram) -> Split? {
        let lambda = settings.l2Regularization, minimum = Double(settings.minSamplesLeaf)
        let totals = histogram.totals
        let parent = totals.gradient * totals.gradient / (totals.hessian + lambda)
        var best: Split?
        let sums = histogram.sums, counts = histogram.counts
        for member in data.members {
            // The common bin's sums are the leaf's less those of the member's other bins.
            let first = member.bundle << 8 | (member.offset + 1)
            var commonG = totals.gradient, commonH = totals.hessian, commonCount = totals.count
            for slot in first..<(first + member.binCount - 1) {
                commonG -= sums[slot].x
                commonH -= sums[slot].y
                commonCount -= Double(counts[slot])
            }
            var leftG = 0.0, leftH = 0.0, leftCount = 0.0
            for bin in 0..<(member.binCount - 1) {
                if bin == member.commonBin {
                    leftG += commonG
                    leftH += commonH
                    leftCount += commonCount
                } else {
                    let slot = first + (bin < member.commonBin ? bin : bin - 1)
                    leftG += sums[slot].x
                    leftH += sums[slot].y
                    leftCount += Double(counts[slot])
                }
                let rightCount = totals.count - leftCount, rightG = totals.gradient - leftG, rightH = totals.hessian - leftH
                guard leftCount >= minimum, rightCount >= minimum, leftH >= 1e-3, rightH >= 1e-3 else { continue }
                let gain = leftG * leftG / (leftH + lambda) + rightG * rightG / (rightH + lambda) - parent
                if gain > 1e-12, gain > (best?.gain ?? 0) { best = Split(member: member, bin: bin, gain: gain) }
            }
        }
        return best
    }

    /// Moves the rows of `range` that go left to its front, keeping each side in row order;
    /// returns where the right side starts.
    private mutating func partition(_ range: Range<Int>, by split: Split) -> Int {
        var goesLeft = [Bool](repeating: false, count: 256)
        for code in 0..<256 { goesLeft[code] = split.member.bin(ofCode: code) <= split.bin }
        let column = split.member.bundle * data.rows
        var next = range.lowerBound, rightCount = 0
        data.bundleColumns.withUnsafeBufferPointer { codes in
            goesLeft.withUnsafeBufferPointer { goesLeft in
                scratch.withUnsafeMutableBufferPointer { right in
                    order.withUnsafeMutableBufferPointer { order in
                        // Both sides written every time, without a branch to mispredict.
                        for position in range {
                            let row = order[position]
                            let left = goesLeft[Int(codes[column + Int(row)])] ? 1 : 0
                            order[next] = row
                            right[rightCount] = row
                            next += left
                            rightCount += 1 - left
                        }
                        for index in 0..<rightCount { order[next + index] = right[index] }
                    }
                }
            }
        }
        return next
    }

    /// The tree and, for each leaf, its value and its range of `order` — so that the caller
    /// updates those rows' scores without walking the tree again.
    mutating func grow() throws -> (tree: BoostedTree, leaves: [(value: Double, rows: Range<Int>)]) {
        nodes = []
        var leaves: [Leaf] = []
        func makeLeaf(_ range: Range<Int>, _ histogram: Histogram) -> Leaf {
            let totals = histogram.totals
            nodes.append(.init(feature: -1, bin: 0, threshold: 0, left: -1, right: -1,
                               value: -totals.gradient / (totals.hessian + settings.l2Regularization) * settings.learningRate))
            return Leaf(node: nodes.count - 1, range: range, histogram: histogram, split: bestSplit(histogram))
        }
        leaves.append(makeLeaf(order.indices, try histogram(order.indices)))
        while leaves.count < settings.maxLeafNodes,
              let index = leaves.indices.filter({ leaves[$0].split != nil }).max(by: { leaves[$0].split!.gain < leaves[$1].split!.gain }) {
            let parent = leaves.remove(at: index)
            let split = parent.split!
            let middle = partition(parent.range, by: split)
            let left = parent.range.lowerBound..<middle, right = middle..<parent.range.upperBound
            let leftSmaller = left.count <= right.count
            let small = try histogram(leftSmaller ? left : right), large = parent.histogram - small
            let leftLeaf = makeLeaf(left, leftSmaller ? small : large), rightLeaf = makeLeaf(right, leftSmaller ? large : small)
            nodes[parent.node].feature = split.member.feature
            nodes[parent.node].bin = UInt8(split.bin)
            nodes[parent.node].left = leftLeaf.node
            nodes[parent.node].right = rightLeaf.node
            leaves += [leftLeaf, rightLeaf]
        }
        return (BoostedTree(nodes: nodes), leaves.map { (nodes[$0.node].value, $0.range) })
    }
}
