/// Collects one column's values from one chunk of a CSV file, inferring the type as it goes
/// (bool, then int, then float, then text) unless the schema declares it.
struct ColumnBuilder {
    enum Kind: Equatable { case undecided, bool, int, float, text }

    let declared: ColumnType?
    private(set) var kind: Kind
    private(set) var floats: [Double] = []
    private(set) var ints: [Int64] = []
    private(set) var bools: [Bool] = []
    private(set) var codes: [Int32] = []
    private(set) var dictionary = ByteDictionary()
    /// Chunk-local rows without a value.
    private(set) var missing: [Int] = []
    private(set) var count = 0
    /// Inference met text in a column it had taken for numbers or bools; the chunk is read again as text.
    private(set) var needsText = false
    /// A value that does not parse as the declared type.
    private(set) var rejected: (row: Int, text: String)?
    private let capacity: Int

    init(declared: ColumnType?, capacity: Int) {
        self.declared = declared
        self.capacity = capacity
        switch declared {
        case nil: kind = .undecided
        case .float64: kind = .float
        case .int64: kind = .int
        case .bool: kind = .bool
        case .categorical, .string: kind = .text
        }
        reserve(kind)
    }

    /// A builder that reads every value as text, for a second pass after `needsText`.
    init(textCapacity: Int) {
        declared = nil
        capacity = textCapacity
        kind = .text
        reserve(.text)
    }

    private mutating func reserve(_ kind: Kind) {
        switch kind {
        case .undecided: break
        case .bool: bools.reserveCapacity(capacity)
        case .int: ints.reserveCapacity(capacity)
        case .float: floats.reserveCapacity(capacity)
        case .text: codes.reserveCapacity(capacity)
        }
    }

    mutating func appendMissing(row: Int) {
        missing.append(row)
        switch kind {
        case .undecided: break
        case .bool: bools.append(false)
        case .int: ints.append(0)
        case .float: floats.append(0)
        case .text: codes.append(-1)
        }
        count += 1
    }

    /// The values, moved out so that the table can extend them in place.
    mutating func takeFloats() -> [Double] { defer { floats = [] }; return floats }
    mutating func takeInts() -> [Int64] { defer { ints = [] }; return ints }
    mutating func takeBools() -> [Bool] { defer { bools = [] }; return bools }

    /// A number already parsed by the reader's fast path; the column is being read as `kind`.
    @inline(__always)
    mutating func appendParsed(float value: Double) {
        floats.append(value)
        count += 1
    }

    @inline(__always)
    mutating func appendParsed(int value: Int64) {
        ints.append(value)
        count += 1
    }

    /// Whether numbers can go through `appendParsed`: the column is read as numbers and no text was met.
    var takesParsedNumbers: Bool { !needsText && (kind == .float || kind == .int) }

    /// False when the value does not parse as the declared type (see `rejected`).
    @inline(__always)
    mutating func append(_ start: UnsafePointer<UInt8>, _ length: Int, row: Int) -> Bool {
        if needsText { return true }
        switch kind {
        case .float:
            guard let value = NumberParser.double(start, length) else { return reject(start, length, row: row) }
            floats.append(value)
        case .int:
            if let value = NumberParser.int64(start, length) {
                ints.append(value)
            } else if declared == nil, let value = NumberParser.double(start, length) {
                floats.reserveCapacity(Swift.max(capacity, ints.count + 1))
                floats.append(contentsOf: ints.lazy.map(Double.init))
                ints = []
                kind = .float
                floats.append(value)
            } else {
                return reject(start, length, row: row)
            }
        case .bool:
            guard let value = NumberParser.bool(start, length, acceptDigits: declared != nil) else {
                return reject(start, length, row: row)
            }
            bools.append(value)
        case .text:
            codes.append(dictionary.code(for: start, count: length, row: row))
        case .undecided:
            kind = NumberParser.bool(start, length, acceptDigits: false) != nil ? .bool
                : NumberParser.int64(start, length) != nil ? .int
                : NumberParser.double(start, length) != nil ? .float : .text
            reserve(kind)
            let leading = count
            count = 0
            let leadingMissing = missing
            missing = []
            for row in leadingMissing.prefix(leading) { appendMissing(row: row) }
            return append(start, length, row: row)
        }
        count += 1
        return true
    }

    private mutating func reject(_ start: UnsafePointer<UInt8>, _ length: Int, row: Int) -> Bool {
        guard declared == nil else {
            rejected = (row, String(decoding: UnsafeBufferPointer(start: start, count: length), as: UTF8.self))
            return false
        }
        needsText = true
        return true
    }
}
