/// Writes a `Table` as RFC 4180 CSV that `CSVReader` reads back to the same table: missing values
/// are empty fields, and a text value that would read as missing or contains a delimiter, quote or
/// line break is quoted (quotes doubled). Numbers are written in their shortest exact form.
public struct CSVWriter {
    public var delimiter: UInt8 = UInt8(ascii: ",")
    /// Text values spelled like one of these are quoted, so that they do not read back as missing.
    public var missingTokens: Set<String> = Set(CSVOptions().missingTokens)

    public init() {}

    /// Rows go into one reused buffer, handed to the file every 64 KiB: no array per row.
    public func write(_ table: Table, to path: String) throws {
        let file = try OutputFile(path)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(1 << 17)
        for (index, name) in table.columnNames.enumerated() { append(name, textual: true, first: index == 0, to: &bytes) }
        bytes.append(UInt8(ascii: "\n"))
        let textual = table.columns.map(\.type.isTextual)
        for row in 0..<table.rowCount {
            for (index, column) in table.columns.enumerated() {
                append(column.text(at: row), textual: textual[index], first: index == 0, to: &bytes)
            }
            bytes.append(UInt8(ascii: "\n"))
            if bytes.count >= 1 << 16 {
                try file.write(bytes)
                bytes.removeAll(keepingCapacity: true)
            }
        }
        try file.write(bytes)
        try file.finish()
    }

    /// One field after its delimiter: nothing for a missing value, quoted where it must be.
    private func append(_ field: String?, textual: Bool, first: Bool, to bytes: inout [UInt8]) {
        if !first { bytes.append(delimiter) }
        guard let field else { return }
        guard needsQuotes(field, textual: textual) else { return bytes += field.utf8 }
        bytes.append(UInt8(ascii: "\""))
        for byte in field.utf8 {
            bytes.append(byte)
            if byte == UInt8(ascii: "\"") { bytes.append(byte) }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private func needsQuotes(_ field: String, textual: Bool) -> Bool {
        if textual, missingTokens.contains(field) { return true }
        return field.utf8.contains { $0 == delimiter || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }
    }
}
