import CairnSupport
import Tables

/// Per feature, the thresholds between bins, as scikit-learn's histogram boosting makes them:
/// midpoints of the distinct values when there are at most `maxBins` of them, otherwise
/// quantiles of a seeded sample of 200,000 rows. A value goes to the first bin whose threshold it
/// does not exceed.
struct FeatureBins {
    static let sampleSize = 200_000

    var thresholds: [[Double]]

    init(_ x: Matrix, maxBins: Int, seed: Int) throws {
        thresholds = try Parallel.map(x.columns) { column in
            let values = x.column(column)
            if let distinct = Self.distinctValues(values, atMost: maxBins) {
                return zip(distinct, distinct.dropFirst()).map { $0 / 2 + $1 / 2 }
            }
            var random = SeededRandom(seed: UInt64(bitPattern: Int64(seed)) &+ UInt64(column))
            let sample = (values.count <= Self.sampleSize
                ? Array(values) : (0..<Self.sampleSize).map { _ in values[values.startIndex + random.below(values.count)] }).sorted()
            var edges: [Double] = []
            for step in 1..<maxBins {
                let edge = Quantile.ofSorted(sample, Double(step) / Double(maxBins))
                if edges.last.map({ edge > $0 }) ?? true { edges.append(edge) }
            }
            return edges
        }
    }

    /// The sorted distinct values, or nil as soon as there are more than `limit`. Columns of a
    /// few values (indicators, one-hot) are the common case, so those are kept in a short list
    /// searched linearly; a set takes over when the list grows.
    static func distinctValues(_ values: ArraySlice<Double>, atMost limit: Int) -> [Double]? {
        var few: [Double] = [], many = Set<Double>()
        for value in values {
            if many.isEmpty {
                if few.contains(value) { continue }
                few.append(value)
                if few.count > 16 { many = Set(few) }
            } else {
                many.insert(value)
            }
            if few.count > limit || many.count > limit { return nil }
        }
        return (many.isEmpty ? few : Array(many)).sorted()
    }

    var binCounts: [Int] { thresholds.map { $0.count + 1 } }

    func bin(_ value: Double, feature: Int) -> UInt8 {
        let edges = thresholds[feature]
        var low = 0, high = edges.count
        while low < high {
            let middle = (low + high) / 2
            if value <= edges[middle] { high = middle } else { low = middle + 1 }
        }
        return UInt8(low)
    }
}
