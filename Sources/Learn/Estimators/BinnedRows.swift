import CairnSupport

/// The training rows' bins for histogram boosting, stored row by row, one byte per bundle.
///
/// Features that are never off their most common bin in the same row — the columns of a one-hot
/// encoding above all — share one byte (exclusive feature bundling, as LightGBM does it with no
/// conflicts allowed): the byte is 0 when every member is at its common bin, otherwise it says
/// which member is off it and in which bin. A histogram pass then touches each row once per
/// bundle instead of once per feature; 145 features after one-hot encoding become 23 bundles.
/// Each feature's histogram is read back exactly, its common bin as the leaf's total less the rest.
struct BinnedRows {
    /// A feature's place in its bundle: codes `offset + 1 ... offset + binCount - 1` are its bins
    /// other than `commonBin`, in order.
    struct Member {
        var feature: Int
        var bundle: Int
        var offset: Int
        var commonBin: Int
        var binCount: Int

        func code(ofBin bin: Int) -> Int { bin == commonBin ? 0 : offset + 1 + (bin < commonBin ? bin : bin - 1) }

        func bin(ofCode code: Int) -> Int {
            let index = code - offset - 1
            guard code > 0, index >= 0, index < binCount - 1 else { return commonBin }
            return index < commonBin ? index : index + 1
        }
    }

    let rows: Int
    let bundleCount: Int
    /// The features that vary, in feature order; a constant feature has no member and is never split on.
    let members: [Member]
    /// Bytes from one row's codes to the next: the bundle count rounded up to whole 8-byte words,
    /// so that a row is gathered as words.
    let rowStride: Int
    /// Row by row, `rowStride` bytes each: what a histogram pass reads.
    let codes: [UInt8]
    /// The same codes bundle by bundle, `rows` bytes each: what a partition reads.
    let bundleColumns: [UInt8]

    init(_ x: Matrix, bins: FeatureBins) throws {
        rows = x.rows
        let binCounts = bins.binCounts
        let binned = try Parallel.map(x.columns) { feature in
            let column = x.column(feature).map { bins.bin($0, feature: feature) }
            var counts = [Int](repeating: 0, count: binCounts[feature])
            for bin in column { counts[Int(bin)] += 1 }
            let common = counts.indices.max { counts[$0] < counts[$1] }!
            return (column: column, commonBin: common, offRows: x.rows - counts[common])
        }
        let columns = binned.map(\.column), commonBins = binned.map(\.commonBin)
        let varying = (0..<x.columns).filter { binCounts[$0] > 1 }
        var assignment = [Int](repeating: -1, count: x.columns)
        (assignment, bundleCount) = Self.bundle(varying, columns: columns, commonBins: commonBins, offRows: binned.map(\.offRows),
                                                binCounts: binCounts, rows: rows)
        var offsets = [Int](repeating: 0, count: bundleCount)
        var members: [Member] = []
        for feature in varying {
            let bundle = assignment[feature]
            members.append(Member(feature: feature, bundle: bundle, offset: offsets[bundle], commonBin: commonBins[feature],
                                  binCount: binCounts[feature]))
            offsets[bundle] += binCounts[feature] - 1
        }
        self.members = members
        let rows = rows, bundleCount = bundleCount
        let bundleColumns = try Parallel.map(bundleCount) { bundle in
            var codes = [UInt8](repeating: 0, count: rows)
            for member in members where member.bundle == bundle {
                let column = columns[member.feature]
                let lookup = (0..<member.binCount).map { UInt8(member.code(ofBin: $0)) }
                for row in 0..<rows where Int(column[row]) != member.commonBin { codes[row] = lookup[Int(column[row])] }
            }
            return codes
        }
        let stride = (bundleCount + 7) / 8 * 8
        let codeChunks = try Parallel.map(0..<rows, chunk: 65_536) { range in
            var codes = [UInt8](repeating: 0, count: range.count * stride)
            for bundle in 0..<bundleCount {
                for (index, row) in range.enumerated() { codes[index * stride + bundle] = bundleColumns[bundle][row] }
            }
            return codes
        }
        (codes, self.bundleColumns, rowStride) = (codeChunks.flatMap { $0 }, bundleColumns.flatMap { $0 }, stride)
    }

    /// Greedy bundling: features off their common bin in more than half the rows get a bundle
    /// each; the rest, most occupied first, join the first bundle whose rows they do not touch
    /// and whose codes they fit in.
    private static func bundle(_ varying: [Int], columns: [[UInt8]], commonBins: [Int], offRows: [Int], binCounts: [Int],
                               rows: Int) -> (assignment: [Int], count: Int) {
        var assignment = [Int](repeating: -1, count: columns.count)
        let occupied = varying.map { offRows[$0] }
        let order = varying.indices.sorted { occupied[$0] > occupied[$1] || (occupied[$0] == occupied[$1] && $0 < $1) }
        struct Shared { var rows: [UInt64]; var codes: Int; var index: Int }
        var shared: [Shared] = [], count = 0
        for position in order {
            let feature = varying[position]
            guard occupied[position] * 2 <= rows else {
                assignment[feature] = count
                count += 1
                continue
            }
            let offRows = columns[feature].indices.filter { Int(columns[feature][$0]) != commonBins[feature] }
            let needed = binCounts[feature] - 1
            var target = shared.firstIndex { bundle in
                bundle.codes + needed <= 255 && offRows.allSatisfy { bundle.rows[$0 >> 6] & (1 << UInt64($0 & 63)) == 0 }
            }
            if target == nil {
                shared.append(Shared(rows: [UInt64](repeating: 0, count: (rows + 63) / 64), codes: 0, index: count))
                count += 1
                target = shared.count - 1
            }
            for row in offRows { shared[target!].rows[row >> 6] |= 1 << UInt64(row & 63) }
            shared[target!].codes += needed
            assignment[feature] = shared[target!].index
        }
        return (assignment, count)
    }

    /// The feature's bin in `row`.
    func bin(row: Int, member: Member) -> Int { member.bin(ofCode: Int(bundleColumns[member.bundle * rows + row])) }
}
