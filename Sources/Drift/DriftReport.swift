import CairnSupport
import Tables


/// What the monitor stage writes: per column the deciding statistic against its threshold and
/// every statistic beside it, the data set's verdict, and with a model its predictions' drift
/// and its metrics on the batch against those of its evaluation.
public struct DriftReport: Codable, Sendable {
    public struct Verdict: Codable, Sendable {
        public var drift: Bool
        public var driftedColumns: Int
        public var columns: Int
        public var share: Double
        /// The share of drifted columns at which the data set has drifted.
        public var threshold: Double

        enum CodingKeys: String, CodingKey { case drift, columns, share, threshold, driftedColumns = "drifted_columns" }

        public init(drift: Bool, driftedColumns: Int, columns: Int, share: Double, threshold: Double) {
            (self.drift, self.driftedColumns, self.columns, self.share, self.threshold) = (drift, driftedColumns, columns, share, threshold)
        }
    }

    public struct Missing: Codable, Sendable {
        public var reference: Double
        public var current: Double
        public var change: Double
    }

    public struct ColumnReport: Codable, Sendable {
        /// "numeric" or "categorical".
        public var type: String
        public var test: DriftTest
        /// The deciding statistic: a p-value for ks and chi_squared, else a distance.
        public var value: Double
        public var threshold: Double
        public var drifted: Bool
        /// Shares of rows without a value.
        public var missing: Missing
        public var numeric: NumericDrift?
        public var categorical: CategoricalDrift?
        /// Category → [reference share, current share], for a picture of the two.
        public var shares: [String: [Double]]?
        /// How far the column moved, beside any p-value: Wasserstein distance in the reference's
        /// standard deviations (numeric), Jensen–Shannon distance (categorical).
        public var effectSize: Double

        enum CodingKeys: String, CodingKey {
            case type, test, value, threshold, drifted, missing, numeric, categorical, shares
            case effectSize = "effect_size"
        }
    }

    public struct Performance: Codable, Sendable {
        public var batch: Double
        /// The evaluate stage's value, when its metrics were an input.
        public var evaluation: Double?
        public var change: Double?

        public init(batch: Double) { self.batch = batch }
    }

    public static let formatName = "cairn-drift"
    public var format = DriftReport.formatName
    public var version = 2
    public var verdict: Verdict
    public var rows: [String: Int]
    public var columns: [String: ColumnReport]
    /// Columns left out, and why (no values on one side).
    public var skipped: [String: String]
    public var prediction: ColumnReport?
    public var performance: [String: Performance]?
    public var onDrift: String

    enum CodingKeys: String, CodingKey {
        case format, version, verdict, rows, columns, skipped, prediction, performance
        case onDrift = "on_drift"
    }

    /// `columns` of `reference` compared with `current` (columns in parallel), each by its test in
    /// `tests` (by name, else by "numeric" or "categorical", else `DriftTest.defaultTest` for the
    /// reference's size) against its threshold; the data set has drifted when at least the
    /// `share` threshold of them have.
    public init(reference: Table, current: Table, columns names: [String], tests: [String: DriftTest],
                thresholds: [String: Double], onDrift: String) throws {
        let compared = try Parallel.map(names.count) { index -> ColumnReport? in
            let name = names[index], column = try reference.column(name)
            let test = tests[name] ?? tests[column.type.isNumeric ? "numeric" : "categorical"]
                ?? DriftTest.defaultTest(numeric: column.type.isNumeric, referenceRows: reference.rowCount)
            return try Self.compare(name, reference: column, current: current.column(name), test: test,
                                    threshold: thresholds[test.thresholdKey] ?? DriftTest.defaultThresholds[test.thresholdKey]!)
        }
        columns = [:]
        skipped = [:]
        for (name, result) in zip(names, compared) {
            if let result { columns[name] = result } else { skipped[name] = "no values in the reference or the current batch" }
        }
        let drifted = columns.values.filter(\.drifted).count, share = Double(drifted) / Double(max(columns.count, 1))
        let threshold = thresholds["share"] ?? DriftTest.defaultThresholds["share"]!
        verdict = Verdict(drift: drifted > 0 && share >= threshold, driftedColumns: drifted, columns: columns.count, share: share,
                          threshold: threshold)
        rows = ["reference": reference.rowCount, "current": current.rowCount]
        self.onDrift = onDrift
    }

    /// One column of each table compared, with `test` deciding; nil when a side has no values.
    public static func compare(_ name: String, reference: Column, current: Column, test: DriftTest,
                        threshold: Double) throws -> ColumnReport? {
        guard reference.type.isNumeric == current.type.isNumeric else {
            throw CairnError(.invalidData, "column '\(name)' is \(reference.type.rawValue) in the reference and \(current.type.rawValue) in the current batch")
        }
        let numericColumn = reference.type.isNumeric
        guard test.isNumeric == numericColumn else {
            throw CairnError(.invalidValue, "test '\(test.rawValue)' is for \(test.isNumeric ? "numeric" : "categorical") columns; '\(name)' is \(reference.type.rawValue)",
                             hint: numericColumn ? "use ks, psi or wasserstein" : "use chi_squared or jensen_shannon")
        }
        func missing(present: (Int, Int)) -> Missing {
            let shares = (1 - Double(present.0) / Double(max(reference.count, 1)), 1 - Double(present.1) / Double(max(current.count, 1)))
            return Missing(reference: shares.0, current: shares.1, change: shares.1 - shares.0)
        }
        if numericColumn {
            let before = Self.values(reference), after = Self.values(current)
            guard !before.isEmpty, !after.isEmpty else { return nil }
            let missingReport = missing(present: (before.count, after.count))
            let drift = NumericDrift(sortedReference: before, sortedCurrent: after)
            let spread = Moments.standardDeviation(before, sample: false)
            let (value, drifted) = test.decide(numeric: drift, referenceSpread: spread, threshold: threshold)
            return ColumnReport(type: "numeric", test: test, value: value, threshold: threshold, drifted: drifted,
                                missing: missingReport, numeric: drift,
                                effectSize: DriftTest.effectSize(numeric: drift, referenceSpread: spread))
        }
        let before = Self.counts(reference), after = Self.counts(current)
        guard !before.isEmpty, !after.isEmpty else { return nil }
        let drift = CategoricalDrift(reference: before, current: after)
        let (value, drifted) = test.decide(categorical: drift, threshold: threshold)
        let (beforeTotal, afterTotal) = (Double(before.values.reduce(0, +)), Double(after.values.reduce(0, +)))
        let missingReport = missing(present: (Int(beforeTotal), Int(afterTotal)))
        let shares = Dictionary(uniqueKeysWithValues: Set(before.keys).union(after.keys).map { category in
            (category, [Double(before[category, default: 0]) / beforeTotal, Double(after[category, default: 0]) / afterTotal])
        })
        return ColumnReport(type: "categorical", test: test, value: value, threshold: threshold, drifted: drifted,
                            missing: missingReport, categorical: drift, shares: shares, effectSize: drift.jensenShannon)
    }

    /// The column's values, sorted, without missing ones.
    static func values(_ column: Column) -> [Double] {
        let numbers = column.doubles() ?? []
        guard let validity = column.validity else { return numbers.filter { !$0.isNaN }.sorted() }
        var missing = [Bool](repeating: false, count: numbers.count)
        for row in validity.missingRows { missing[row] = true }
        return numbers.indices.filter { !missing[$0] && !numbers[$0].isNaN }.map { numbers[$0] }.sorted()
    }

    static func counts(_ column: Column) -> [String: Int] {
        var counts: [String: Int] = [:]
        for row in 0..<column.count { if let text = column.text(at: row) { counts[text, default: 0] += 1 } }
        return counts
    }
}
