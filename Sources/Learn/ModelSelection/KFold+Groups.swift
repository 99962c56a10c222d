import CairnSupport
import Tables

/// Folds that keep each group's rows together, and forward-chaining folds for ordered rows:
/// scikit-learn's GroupKFold, StratifiedGroupKFold and TimeSeriesSplit. Groups and labels are
/// codes 0..<n numbered in sorted order of their values, as `numpy.unique` numbers them.
extension KFold {
    /// Without a seed, the largest groups first, each into the fold with the fewest rows so far
    /// (ties between equal groups: the later group first); with one, the groups shuffled and cut
    /// into `splits` runs of nearly equal count.
    public func groupFolds(groups: [Int]) throws -> [Fold] {
        let groupCount = try Self.checkGroups(splits, groups)
        var foldOfGroup = [Int](repeating: 0, count: groupCount)
        if let seed {
            var order = Array(0..<groupCount)
            var random = SeededRandom(seed: seed)
            random.shuffle(&order)
            var start = 0
            for fold in 0..<splits {
                let size = groupCount / splits + (fold < groupCount % splits ? 1 : 0)
                for group in order[start..<(start + size)] { foldOfGroup[group] = fold }
                start += size
            }
        } else {
            var sizes = [Int](repeating: 0, count: groupCount)
            for group in groups { sizes[group] += 1 }
            let largestFirst = (0..<groupCount).sorted { sizes[$0] != sizes[$1] ? sizes[$0] > sizes[$1] : $0 > $1 }
            var rowsInFold = [Int](repeating: 0, count: splits)
            for group in largestFirst {
                let lightest = rowsInFold.indices.min { rowsInFold[$0] < rowsInFold[$1] }!
                rowsInFold[lightest] += sizes[group]
                foldOfGroup[group] = lightest
            }
        }
        return Self.folds(testFold: groups.map { foldOfGroup[$0] }, splits: splits)
    }

    /// Groups kept whole while every fold keeps the classes' shares as well as it can: groups in
    /// order of how unevenly their rows spread over the classes (shuffled first with a seed), each
    /// into the fold that leaves the per-class shares most alike across folds (ties: fewest rows).
    public func stratifiedGroupFolds(labels: [Int], groups: [Int]) throws -> [Fold] {
        let groupCount = try Self.checkGroups(splits, groups)
        let classes = (labels.max() ?? -1) + 1
        var classTotals = [Double](repeating: 0, count: classes)
        for label in labels { classTotals[label] += 1 }
        guard classTotals.contains(where: { $0 >= Double(splits) }) else {
            throw CairnError(.invalidValue, "no class has \(splits) rows, one per fold")
        }
        var groupOrder = Array(0..<groupCount)
        if let seed {
            var random = SeededRandom(seed: seed)
            random.shuffle(&groupOrder)
        }
        var countsOfGroup = [[Double]](repeating: [Double](repeating: 0, count: classes), count: groupCount)
        for (label, group) in zip(labels, groups) { countsOfGroup[group][label] += 1 }
        let spread = countsOfGroup.map { Moments.standardDeviation($0, sample: false) }
        // A stable sort, so that groups of equal spread keep their (shuffled) order.
        let placing = groupOrder.enumerated().sorted { a, b in
            spread[a.element] != spread[b.element] ? spread[a.element] > spread[b.element] : a.offset < b.offset
        }.map(\.element)
        var countsOfFold = [[Double]](repeating: [Double](repeating: 0, count: classes), count: splits)
        var foldOfGroup = [Int](repeating: 0, count: groupCount)
        for group in placing {
            var best = 0, bestEvenness = Double.infinity, bestRows = Double.infinity
            for fold in 0..<splits {
                let evenness = Self.unevenness(countsOfFold, adding: countsOfGroup[group], to: fold, classTotals: classTotals)
                let rows = countsOfFold[fold].reduce(0, +)
                let close = abs(evenness - bestEvenness) <= 1e-8 + 1e-5 * abs(bestEvenness)
                if evenness < bestEvenness || (close && rows < bestRows) {
                    (best, bestEvenness, bestRows) = (fold, evenness, rows)
                }
            }
            for label in 0..<classes { countsOfFold[best][label] += countsOfGroup[group][label] }
            foldOfGroup[group] = best
        }
        return Self.folds(testFold: groups.map { foldOfGroup[$0] }, splits: splits)
    }

    /// Forward chaining over rows in `order` (earliest first): the last `splits` blocks of
    /// rows/(splits + 1) rows are tested in turn, each after training on every row before it.
    public func forwardChainingFolds(order: [Int]) throws -> [Fold] {
        guard splits >= 2 else { throw CairnError(.invalidValue, "splits must be at least 2, found \(splits)") }
        let rows = order.count, size = rows / (splits + 1)
        guard size >= 1 else {
            throw CairnError(.invalidValue, "\(splits) forward-chaining folds need at least \(splits + 1) rows, found \(rows)")
        }
        return (0..<splits).map { fold in
            let start = rows - (splits - fold) * size
            return Fold(train: order[..<start].sorted(), test: order[start..<(start + size)].sorted())
        }
    }

    /// Mean over classes of the spread, across folds, of each fold's share of the class.
    private static func unevenness(_ counts: [[Double]], adding group: [Double], to fold: Int, classTotals: [Double]) -> Double {
        var total = 0.0
        for label in classTotals.indices {
            let shares = counts.indices.map { ($0 == fold ? counts[$0][label] + group[label] : counts[$0][label]) / classTotals[label] }
            total += Moments.standardDeviation(shares, sample: false)
        }
        return total / Double(classTotals.count)
    }

    private static func checkGroups(_ splits: Int, _ groups: [Int]) throws -> Int {
        guard splits >= 2 else { throw CairnError(.invalidValue, "splits must be at least 2, found \(splits)") }
        let count = (groups.max() ?? -1) + 1
        guard splits <= count else { throw CairnError(.invalidValue, "\(splits) folds need at least \(splits) groups, found \(count)") }
        return count
    }

    static func folds(testFold: [Int], splits: Int) -> [Fold] {
        (0..<splits).map { fold in
            Fold(train: testFold.indices.filter { testFold[$0] != fold }, test: testFold.indices.filter { testFold[$0] == fold })
        }
    }
}
