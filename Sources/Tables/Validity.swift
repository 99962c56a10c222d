/// Which rows of a column hold a value: one bit per row, set when present. Missing values are
/// absent bits, never magic numbers, so every value of every type stays representable.
public struct Validity: Sendable, Hashable {
    public private(set) var words: [UInt64]
    public let count: Int

    /// All `count` rows present.
    public init(allValid count: Int) {
        self.count = count
        words = [UInt64](repeating: ~0, count: (count + 63) / 64)
        clearTail()
    }

    public init(words: [UInt64], count: Int) {
        precondition(words.count == (count + 63) / 64)
        self.words = words
        self.count = count
        clearTail()
    }

    /// Present everywhere except at `missing`.
    public init(count: Int, missing: some Sequence<Int>) {
        self.init(allValid: count)
        for row in missing { self[row] = false }
    }

    public subscript(row: Int) -> Bool {
        get { words[row >> 6] & (1 << UInt64(row & 63)) != 0 }
        set {
            if newValue { words[row >> 6] |= 1 << UInt64(row & 63) } else { words[row >> 6] &= ~(1 << UInt64(row & 63)) }
        }
    }

    /// The rows without a value, in order; fast when few are missing.
    public var missingRows: [Int] {
        var rows: [Int] = []
        for (index, word) in words.enumerated() where word != ~0 {
            var absent = ~word
            while absent != 0 {
                let row = index * 64 + absent.trailingZeroBitCount
                if row < count { rows.append(row) }
                absent &= absent - 1
            }
        }
        return rows
    }

    public var missingCount: Int { count - words.reduce(0) { $0 + $1.nonzeroBitCount } }

    /// How many of `rows` have no value.
    public func missingCount(in rows: Range<Int>) -> Int {
        guard rows != 0..<count else { return missingCount }
        var present = 0
        var row = rows.lowerBound
        while row < rows.upperBound {
            // The bits of this word from `row` up to the range's end.
            let shift = row & 63, take = min(64 - shift, rows.upperBound - row)
            let bits = words[row >> 6] >> UInt64(shift)
            present += (take == 64 ? bits : bits & ((1 << UInt64(take)) - 1)).nonzeroBitCount
            row += take
        }
        return rows.count - present
    }

    private mutating func clearTail() {
        let extra = count & 63
        if extra != 0 { words[words.count - 1] &= (1 << UInt64(extra)) - 1 }
    }
}
