/// Writes a `Table` as RFC 4180 CSV that `CSVReader` reads back to the same table: missing values
/// are empty fields, and a text value that would read as missing or contains a delimiter, quote or
/// line break is quoted (quotes doubled). Numbers are written in their shortest exact form.
public struct CSVWriter {
    public var delimiter: UInt8 = UInt8(ascii: ",")
    /// Text values spelled like one of these are quoted, so that they do not read back as missing.
    public var missingTokens: Set<String> = Set(CSVOptions().missingTokens)

    public init() {}

    public func write(_ table: Table, to path: String) throws {
        let file = try OutputFile(path)
        try file.write(line(table.columnNames))
        for row in 0..<table.rowCount {
            try file.write(line(table.columns.map { $0.text(at: row) }, quoteTextOf: table.columns.map { $0.type.isTextual }))
        }
        try file.finish()
    }

    private func line(_ names: [String]) -> [UInt8] {
        line(names, quoteTextOf: names.map { _ in true })
    }

    private func line(_ fields: [String?], quoteTextOf textual: [Bool]) -> [UInt8] {
        var bytes: [UInt8] = []
        for (index, field) in fields.enumerated() {
            if index > 0 { bytes.append(delimiter) }
            guard let field else { continue }
            if needsQuotes(field, textual: textual[index]) {
                bytes.append(UInt8(ascii: "\""))
                for byte in field.utf8 {
                    bytes.append(byte)
                    if byte == UInt8(ascii: "\"") { bytes.append(byte) }
                }
                bytes.append(UInt8(ascii: "\""))
            } else {
                bytes += field.utf8
            }
        }
        bytes.append(UInt8(ascii: "\n"))
        return bytes
    }

    private func needsQuotes(_ field: String, textual: Bool) -> Bool {
        if textual, missingTokens.contains(field) { return true }
        return field.utf8.contains { $0 == delimiter || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }
    }
}
