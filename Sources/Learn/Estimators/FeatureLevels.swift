import CairnSupport

/// The features of a tree's training data that take few distinct values (indicators, one-hot
/// columns, small counts), each row's value as its level: a node's split over such a feature
/// comes from counts per level, with no sort. Found once and shared by every tree of a forest.
struct FeatureLevels: Sendable {
    /// At most this many distinct values make a feature one to count by level.
    static let maxLevels = 64

    /// Per feature, its sorted distinct values, or nil when it has more than `maxLevels`.
    let values: [[Double]?]
    /// Per few-valued feature, where its rows' levels start in `codes`.
    let offsets: [Int]
    let codes: [UInt8]

    init(_ x: Matrix, maxLevels: Int = FeatureLevels.maxLevels) throws {
        let found = try Parallel.map(x.columns) { feature -> (values: [Double], codes: [UInt8])? in
            let column = x.column(feature)
            guard maxLevels > 1, let distinct = FeatureBins.distinctValues(column, atMost: maxLevels) else { return nil }
            let level = Dictionary(uniqueKeysWithValues: distinct.enumerated().map { ($1, UInt8($0)) })
            return (distinct, column.map { level[$0]! })
        }
        values = found.map { $0?.values }
        var offsets = [Int](repeating: -1, count: x.columns), codes: [UInt8] = []
        for (feature, levels) in found.enumerated() {
            guard let levels else { continue }
            offsets[feature] = codes.count
            codes += levels.codes
        }
        self.offsets = offsets
        self.codes = codes
    }
}
