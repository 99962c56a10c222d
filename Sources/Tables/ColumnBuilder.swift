/// Writes one column's values for one chunk of a CSV file straight into the column's storage,
/// inferring the type as it goes (bool, then int, then float, then text) unless the schema
/// declares it. Every row takes one 8-byte slot: a Double, or the bit pattern of an Int64 for
/// whole numbers, bools (0 or 1) and category codes; missing rows hold 0.
struct ColumnBuilder {
    enum Kind: Equatable { case undecided, bool, int, float, text }

    let declared: ColumnType?
    private(set) var kind: Kind
    /// The first whole number too large for int64, which made the column float64: (row, text).
    private(set) var beyondInt64: (row: Int, text: String)?
    /// This chunk's first row in the column's storage; room for every row the chunk has.
    let slots: UnsafeMutablePointer<Double>
    private(set) var dictionary = ByteDictionary()
    /// Chunk-local rows without a value.
    private(set) var missing: [Int] = []
    private(set) var count = 0
    /// Inference met text in a column it had taken for numbers or bools; the chunk is read again as text.
    private(set) var needsText = false
    /// A value that does not parse as the declared type.
    private(set) var rejected: (row: Int, text: String)?

    init(declared: ColumnType?, slots: UnsafeMutablePointer<Double>) {
        self.declared = declared
        self.slots = slots
        switch declared {
        case nil: kind = .undecided
        case .float64: kind = .float
        case .int64: kind = .int
        case .bool: kind = .bool
        case .categorical, .string: kind = .text
        }
    }

    /// A builder that reads every value as text, for a second pass after `needsText`.
    init(textInto slots: UnsafeMutablePointer<Double>) {
        declared = nil
        self.slots = slots
        kind = .text
    }

    @inline(__always)
    private mutating func store(bits: Int64) {
        slots[count] = Double(bitPattern: UInt64(bitPattern: bits))
        count &+= 1
    }

    mutating func appendMissing(row: Int) {
        missing.append(row)
        store(bits: 0)
    }

    /// A number already parsed by the reader's fast path; the column is being read as `kind`.
    @inline(__always)
    mutating func appendParsed(float value: Double) {
        slots[count] = value
        count &+= 1
    }

    @inline(__always)
    mutating func appendParsed(int value: Int64) { store(bits: value) }

    /// Whether numbers can go through `appendParsed`: the column is read as numbers and no text was met.
    var takesParsedNumbers: Bool { !needsText && (kind == .float || kind == .int) }

    /// False when the value does not parse as the declared type (see `rejected`).
    @inline(__always)
    mutating func append(_ start: UnsafePointer<UInt8>, _ length: Int, row: Int) -> Bool {
        if needsText {
            count &+= 1
            return true
        }
        switch kind {
        case .float:
            guard let value = NumberParser.double(start, length) else { return reject(start, length, row: row) }
            appendParsed(float: value)
        case .int:
            if let value = NumberParser.int64(start, length) {
                store(bits: value)
            } else if declared == nil, let value = NumberParser.double(start, length) {
                noteIfWhole(start, length, row: row)
                convertToFloat()
                appendParsed(float: value)
            } else {
                return reject(start, length, row: row)
            }
        case .bool:
            guard let value = NumberParser.bool(start, length, acceptDigits: declared != nil) else {
                return reject(start, length, row: row)
            }
            store(bits: value ? 1 : 0)
        case .text:
            store(bits: Int64(dictionary.code(for: start, count: length, row: row)))
        case .undecided:
            // The rows before were all missing: their zero slots fit any kind.
            kind = NumberParser.bool(start, length, acceptDigits: false) != nil ? .bool
                : NumberParser.int64(start, length) != nil ? .int
                : NumberParser.double(start, length) != nil ? .float : .text
            if kind == .float { noteIfWhole(start, length, row: row) }
            return append(start, length, row: row)
        }
        return true
    }

    /// Remembers the first field of digits alone (a sign allowed) that did not fit an int64.
    private mutating func noteIfWhole(_ start: UnsafePointer<UInt8>, _ length: Int, row: Int) {
        guard beyondInt64 == nil else { return }
        let digits = UnsafeBufferPointer(start: start, count: length)
        let body = digits.first == UInt8(ascii: "-") || digits.first == UInt8(ascii: "+") ? digits.dropFirst() : digits[...]
        guard !body.isEmpty, body.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return }
        beyondInt64 = (row, String(decoding: digits, as: UTF8.self))
    }

    /// Rewrites this chunk's whole numbers as Doubles, when a fraction turns up in an int column.
    mutating func convertToFloat() {
        precondition(kind == .int || kind == .undecided)
        for row in 0..<count { slots[row] = Double(Int64(bitPattern: slots[row].bitPattern)) }
        kind = .float
    }

    private mutating func reject(_ start: UnsafePointer<UInt8>, _ length: Int, row: Int) -> Bool {
        guard declared == nil else {
            rejected = (row, String(decoding: UnsafeBufferPointer(start: start, count: length), as: UTF8.self))
            return false
        }
        needsText = true
        count &+= 1
        return true
    }
}
