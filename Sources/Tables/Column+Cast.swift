import CairnSupport

extension Column {
    /// The column converted to `type`. Numbers and bools convert to each other (a fraction to an
    /// integer is an error, not a truncation); anything converts to text; text converts to numbers
    /// or bools when every value parses. Missing values stay missing.
    public func casting(to target: ColumnType) throws -> Column {
        if target == type { return self }
        let rows = 0..<count
        func failure(_ row: Int) -> CairnError {
            CairnError(.invalidData, "column '\(name)', row \(row + 1): '\(text(at: row) ?? "")' cannot be converted to \(target.rawValue)")
        }
        let values: Values
        switch target {
        case .float64:
            if let numbers = doubles() {
                values = .float64(numbers.map { $0.isNaN ? 0 : $0 })
            } else {
                values = .float64(try rows.map { row in
                    guard let text = text(at: row) else { return 0 }
                    guard let value = Column.parse(text, as: NumberParser.double) else { throw failure(row) }
                    return value
                })
            }
        case .int64:
            values = .int64(try rows.map { row in
                guard isPresent(row) else { return 0 }
                if let number = number(at: row) {
                    guard number.rounded() == number, let exact = Int64(exactly: number) else { throw failure(row) }
                    return exact
                }
                guard let value = Column.parse(text(at: row)!, as: NumberParser.int64) else { throw failure(row) }
                return value
            })
        case .bool:
            values = .bool(try rows.map { row in
                guard isPresent(row) else { return false }
                if let number = number(at: row) {
                    guard number == 0 || number == 1 else { throw failure(row) }
                    return number == 1
                }
                guard let value = Column.parse(text(at: row)!, as: { NumberParser.bool($0, $1, acceptDigits: true) }) else {
                    throw failure(row)
                }
                return value
            })
        case .string:
            values = .string(rows.map { text(at: $0) ?? "" })
        case .categorical:
            var index = CategoryIndex()
            let codes = rows.map { row in text(at: row).map { index.code(for: $0) } ?? -1 }
            values = .categorical(codes: codes, categories: index.categories)
        }
        return Column(name: name, values: values, validity: validity)
    }

    private static func parse<T>(_ text: String, as parser: (UnsafePointer<UInt8>, Int) -> T?) -> T? {
        var text = text
        return text.withUTF8 { bytes in bytes.baseAddress.flatMap { parser($0, bytes.count) } }
    }
}
