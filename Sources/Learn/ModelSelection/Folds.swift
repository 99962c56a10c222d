import CairnSupport

/// Row indices of each fold's training and test parts.
public struct Fold: Sendable, Equatable {
    public var train: [Int]
    public var test: [Int]
}

/// K-fold splits as scikit-learn makes them. Without shuffling, the folds are scikit-learn's
/// exactly; with a seed, rows (or, stratified, each class's fold assignments) are shuffled by
/// Cairn's own generator.
public struct KFold: Sendable {
    public var splits: Int
    public var seed: UInt64?

    public init(splits: Int = 5, seed: UInt64? = nil) {
        self.splits = splits
        self.seed = seed
    }

    /// Consecutive test blocks; the first rows % splits blocks are one row longer.
    public func folds(rows: Int) throws -> [Fold] {
        try Self.check(splits, rows)
        var order = Array(0..<rows)
        if let seed {
            var random = SeededRandom(seed: seed)
            random.shuffle(&order)
        }
        var start = 0
        return (0..<splits).map { fold in
            let size = rows / splits + (fold < rows % splits ? 1 : 0)
            let test = Array(order[start..<(start + size)]).sorted()
            start += size
            let inTest = Set(test)
            return Fold(train: (0..<rows).filter { !inTest.contains($0) }, test: test)
        }
    }

    /// Folds that keep every class's share: scikit-learn's allocation, where the classes —
    /// numbered in order of first appearance — are dealt to the folds in turn, and each class's
    /// rows take their folds in order.
    public func stratifiedFolds(labels given: [Int]) throws -> [Fold] {
        try Self.check(splits, given.count)
        var appearance: [Int: Int] = [:]
        for label in given where appearance[label] == nil { appearance[label] = appearance.count }
        let labels = given.map { appearance[$0]! }
        let classes = (labels.max() ?? -1) + 1
        var counts = [Int](repeating: 0, count: classes)
        for label in labels { counts[label] += 1 }
        guard counts.max()! >= splits else {
            throw CairnError(.invalidValue, "no class has \(splits) rows, one per fold")
        }
        let sorted = labels.sorted()
        // allocation[fold][class]: how many of the class's rows the fold tests.
        var allocation = [[Int]](repeating: [Int](repeating: 0, count: classes), count: splits)
        for (position, label) in sorted.enumerated() { allocation[position % splits][label] += 1 }
        var random = seed.map { SeededRandom(seed: $0) }
        var testFold = [Int](repeating: 0, count: labels.count)
        for label in 0..<classes {
            var folds = (0..<splits).flatMap { fold in [Int](repeating: fold, count: allocation[fold][label]) }
            if random != nil { random!.shuffle(&folds) }
            for (row, fold) in zip(labels.indices.filter { labels[$0] == label }, folds) { testFold[row] = fold }
        }
        return Self.folds(testFold: testFold, splits: splits)
    }

    private static func check(_ splits: Int, _ rows: Int) throws {
        guard splits >= 2 else { throw CairnError(.invalidValue, "splits must be at least 2, found \(splits)") }
        guard splits <= rows else { throw CairnError(.invalidValue, "\(splits) folds need at least \(splits) rows, found \(rows)") }
    }
}
