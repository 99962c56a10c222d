import CairnSupport
import Glibc

/// Reads CSV into a `Table`. The file is read into memory, cut into chunks at record boundaries
/// (quote parity tells which newlines are inside quoted fields) and the chunks are parsed in
/// parallel into typed, dictionary-encoded columns. Errors name the file, line, column and row.
public struct CSVReader {
    public let options: CSVOptions

    public init(options: CSVOptions = CSVOptions()) { self.options = options }

    /// `displayName` is the path to show in messages (e.g. relative to the workspace).
    public func read(_ path: String, displayName: String? = nil) throws -> Table {
        let file = try FileContents(path)
        return try withExtendedLifetime(file) { try read(bytes: file.bytes, source: displayName ?? path) }
    }

    public func read(text: String, source: String = "<text>") throws -> Table {
        var text = text
        return try text.withUTF8 { try read(bytes: UnsafeRawBufferPointer($0), source: source) }
    }

    public func read(bytes: UnsafeRawBufferPointer, source: String) throws -> Table {
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count > 0 else {
            throw CairnError(.invalidData, "\(source) is empty: a CSV file needs at least a header row")
        }
        return try CSVParse(base: base, size: bytes.count, source: source, options: options).table()
    }
}

/// One read of one file.
struct CSVParse {
    let base: UnsafePointer<UInt8>
    let size: Int
    let source: String
    let options: CSVOptions
    private let missingTokens: MissingTokens

    init(base: UnsafePointer<UInt8>, size: Int, source: String, options: CSVOptions) {
        self.base = base
        self.size = size
        self.source = source
        self.options = options
        missingTokens = MissingTokens(options.missingTokens)
    }

    struct Failure: Error {
        var offset: Int
        /// Chunk-local data row; nil in the header.
        var row: Int?
        var column: Int?
        var message: String
    }

    struct Chunk {
        var range: Range<Int>
        /// The chunk's first row in the table, and how many records it holds (counted before parsing).
        var rowOffset: Int
        var expectedRows: Int
        var rows = 0
        var builders: [ColumnBuilder] = []
        /// Columns to read; the others are skipped.
        var active: [Bool] = []
        var failure: Failure?
    }

    /// Counts the records of every chunk, makes each column's storage for all of them, and lets
    /// the chunks' parsers write straight into it: no chunk's values are copied afterwards.
    func table() throws -> Table {
        if memchr(base, 0x0A, size) == nil, let cr = memchr(base, 0x0D, size) {
            let column = UnsafeRawPointer(cr) - UnsafeRawPointer(base) + 1
            throw CairnError(.invalidData, "lines end with a bare carriage return (old Mac style), which this reader does not split on",
                             at: SourceLocation(file: source, line: 1, column: column),
                             hint: "convert the line ends to LF or CRLF, e.g. `tr '\\r' '\\n'`")
        }
        let hasBOM = size >= 3 && base[0] == 0xEF && base[1] == 0xBB && base[2] == 0xBF
        let (names, bodyStart) = try header(from: hasBOM ? 3 : 0)
        for name in options.schema.keys.sorted() where !names.contains(name) {
            throw CairnError(.invalidData, "\(source): the schema names column '\(name)', which the header does not have",
                             hint: Suggestion.hint(for: name, in: names, noun: "columns"))
        }
        let declared = names.map { options.schema[$0] }
        let (ranges, quoteFree) = chunkRanges(from: bodyStart)
        let counts = try Parallel.map(ranges.count) { countRecords(in: ranges[$0], quoteFree: quoteFree) }
        let offsets = counts.reduce(into: [0]) { $0.append($0.last! + $1) }
        var chunks: [Chunk] = []
        var kinds: [ColumnBuilder.Kind] = []
        var storage = try [Double].uninitializedArrays(names.count, count: offsets.last!) { columns in
            chunks = try Parallel.map(ranges.count) { index in
                parse(Chunk(range: ranges[index], rowOffset: offsets[index], expectedRows: counts[index],
                            builders: names.indices.map { ColumnBuilder(declared: declared[$0], slots: columns[$0] + offsets[index]) },
                            active: names.map { _ in true }))
            }
            try throwFirstFailure(chunks, names: names)
            kinds = try unifyKinds(names: names, chunks: &chunks, columns: columns)
        }
        // Each column's storage is moved out, so that it becomes the column without a copy.
        let pending = storage.indices.map { column in
            defer { storage[column] = [] }
            return PendingColumn(storage[column], chunks.map { $0.builders[column] })
        }
        chunks = []
        return try Table(columns: Parallel.map(names.count) { column in
            try self.column(names[column], kind: kinds[column], pending[column], rowOffsets: offsets)
        })
    }

    private func throwFirstFailure(_ chunks: [Chunk], names: [String]) throws {
        var rowsBefore = 0
        for chunk in chunks {
            if let failure = chunk.failure { throw error(failure, names: names, rowOffset: rowsBefore) }
            rowsBefore += chunk.rows
        }
    }

    // MARK: Header and chunks

    private func header(from start: Int) throws -> (names: [String], bodyStart: Int) {
        var scanner = FieldScanner(base: base, end: size, delimiter: options.delimiter, position: start)
        scanner.skipBlankLines()
        guard !scanner.atEnd else {
            throw CairnError(.invalidData, "\(source) is empty: a CSV file needs at least a header row")
        }
        var names: [String] = [], seen: Set<String> = []
        while true {
            let fieldStart = scanner.position
            guard let (field, endsRecord) = scanner.nextField() else {
                throw error(Failure(offset: fieldStart, row: nil, column: nil, message: scanner.failure ?? ""), names: names)
            }
            guard let name = String(validating: UnsafeBufferPointer(start: field.start, count: field.count), as: UTF8.self) else {
                throw error(Failure(offset: fieldStart, row: nil, column: nil, message: "the header is not valid UTF-8"), names: names)
            }
            if !seen.insert(name).inserted {
                throw error(Failure(offset: fieldStart, row: nil, column: nil, message: "column '\(name)' appears twice in the header"), names: names)
            }
            names.append(name.isEmpty ? "unnamed_\(names.count)" : name)
            if endsRecord { break }
        }
        return (names, scanner.position)
    }

    // MARK: Parsing

    /// The chunk with its columns filled, or with `failure` set at the first malformed row.
    /// Takes the chunk over (`consuming`), so that its columns are uniquely owned and grow in place.
    private func parse(_ chunk: consuming Chunk) -> Chunk {
        var chunk = chunk
        let width = chunk.builders.count
        let active = chunk.active
        let range = chunk.range
        // The builders are reached through a buffer pointer: no uniqueness check per value.
        let outcome = chunk.builders.withUnsafeMutableBufferPointer { builders -> Result<Int, Failure> in
            let end = range.upperBound
            var scanner = FieldScanner(base: base, end: end, delimiter: options.delimiter, position: range.lowerBound)
            var row = 0
            while true {
                scanner.skipBlankLines()
                if scanner.atEnd { break }
                let recordStart = scanner.position
                guard row < chunk.expectedRows else {
                    return .failure(Failure(offset: recordStart, row: row, column: nil, message: "more records than were counted"))
                }
                var column = 0
                while true {
                    let fieldStart = scanner.position
                    // Fast path: a number followed directly by the end of its field is parsed in one pass.
                    if column < width, active[column], builders[column].takesParsedNumbers {
                        let limit = end - fieldStart
                        if builders[column].kind == .float {
                            if let (value, length) = NumberParser.doublePrefix(base + fieldStart, limit: limit),
                               let (next, endsRecord) = fieldEnd(at: fieldStart + length, limit: end) {
                                builders[column].appendParsed(float: value)
                                scanner.position = next
                                column += 1
                                if endsRecord { break } else { continue }
                            }
                        } else if let (value, length) = NumberParser.int64Prefix(base + fieldStart, limit: limit),
                                  let (next, endsRecord) = fieldEnd(at: fieldStart + length, limit: end) {
                            builders[column].appendParsed(int: value)
                            scanner.position = next
                            column += 1
                            if endsRecord { break } else { continue }
                        }
                    }
                    guard let (field, endsRecord) = scanner.nextField() else {
                        return .failure(Failure(offset: fieldStart, row: row, column: min(column, width - 1), message: scanner.failure ?? ""))
                    }
                    if column < width, active[column] {
                        if isMissing(field) {
                            builders[column].appendMissing(row: row)
                        } else if !builders[column].append(field.start, field.count, row: row) {
                            let builder = builders[column]
                            return .failure(Failure(offset: fieldStart, row: row, column: column,
                                            message: "'\(builder.rejected?.text ?? "")' is not \(Self.article(builder.declared!))"))
                        }
                    }
                    column += 1
                    if endsRecord { break }
                }
                if column != width {
                    return .failure(Failure(offset: recordStart, row: row, column: nil,
                                    message: "the row has \(column) field\(column == 1 ? "" : "s"), the header has \(width)"))
                }
                row += 1
            }
            return .success(row)
        }
        switch outcome {
        case .success(let rows): chunk.rows = rows
        case .failure(let failure):
            chunk.failure = failure
            chunk.rows = failure.row ?? 0
        }
        return chunk
    }

    /// Where the field ending at `index` is followed by a delimiter or the end of its record: the
    /// next position and whether the record ended; nil when other text follows.
    @inline(__always)
    private func fieldEnd(at index: Int, limit: Int) -> (next: Int, endsRecord: Bool)? {
        guard index < limit else { return (index, true) }
        let byte = base[index]
        if byte == options.delimiter { return (index + 1, false) }
        if byte == FieldScanner.newline { return (index + 1, true) }
        if byte == FieldScanner.carriageReturn, index + 1 < limit, base[index + 1] == FieldScanner.newline { return (index + 2, true) }
        return nil
    }

    @inline(__always)
    private func isMissing(_ field: FieldScanner.Field) -> Bool {
        !field.quoted && missingTokens.contains(field.start, field.count)
    }

    private static func article(_ type: ColumnType) -> String {
        switch type {
        case .float64: return "a number"
        case .int64: return "a whole number"
        case .bool: return "true or false"
        case .categorical, .string: return "text"
        }
    }

    // MARK: Columns

    /// One type per column across chunks. A column read as numbers in one chunk and as text in
    /// another is read again as text; whole numbers in a column with fractions become Doubles.
    private func unifyKinds(names: [String], chunks: inout [Chunk], columns: [UnsafeMutablePointer<Double>]) throws -> [ColumnBuilder.Kind] {
        let kinds = names.indices.map { column in unifiedKind(chunks.map { $0.builders[column] }) }
        let rereads = names.indices.filter { column in
            kinds[column] == .text && chunks.contains { $0.builders[column].kind != .text || $0.builders[column].needsText }
        }
        if !rereads.isEmpty {
            let again = chunks
            chunks = try Parallel.map(again.count) { index in
                var chunk = again[index]
                let reread = parse(Chunk(range: chunk.range, rowOffset: chunk.rowOffset, expectedRows: chunk.expectedRows,
                                         builders: names.indices.map { ColumnBuilder(textInto: columns[$0] + chunk.rowOffset) },
                                         active: names.indices.map(rereads.contains)))
                chunk.builders = names.indices.map { rereads.contains($0) ? reread.builders[$0] : again[index].builders[$0] }
                return chunk
            }
        }
        if let note = options.note {
            var rowsBefore = 0
            var firsts = [(row: Int, text: String)?](repeating: nil, count: names.count)
            for chunk in chunks {
                for column in names.indices where firsts[column] == nil && kinds[column] == .float {
                    firsts[column] = chunk.builders[column].beyondInt64.map { ($0.row + rowsBefore, $0.text) }
                }
                rowsBefore += chunk.rows
            }
            for (column, first) in zip(names, firsts) {
                guard let first else { continue }
                note("\(source): column '\(column)' is read as float64: row \(first.row + 1) holds \(first.text), a whole number "
                     + "beyond 64 bits; whole numbers past 2^53 lose digits (declare the column string to keep them exactly)")
            }
        }
        for column in names.indices where kinds[column] == .float {
            for index in chunks.indices where chunks[index].builders[column].kind == .int {
                chunks[index].builders[column].convertToFloat()
            }
        }
        return kinds
    }

    /// A column's storage and its chunks' builders, handed to the thread that makes the column.
    private final class PendingColumn: @unchecked Sendable {
        private var slots: [Double]
        let builders: [ColumnBuilder]
        init(_ slots: [Double], _ builders: [ColumnBuilder]) {
            self.slots = slots
            self.builders = builders
        }

        func take() -> [Double] {
            defer { slots = [] }
            return slots
        }
    }

    private func unifiedKind(_ builders: [ColumnBuilder]) -> ColumnBuilder.Kind {
        if builders.contains(where: { $0.needsText || $0.kind == .text }) { return .text }
        let kinds = Set(builders.map(\.kind)).subtracting([.undecided])
        switch kinds {
        case []: return builders.first?.declared == nil ? .float : builders[0].kind
        case [.bool]: return .bool
        case [.int]: return .int
        case [.float], [.int, .float]: return .float
        default: return .text
        }
    }

    private func column(_ name: String, kind: ColumnBuilder.Kind, _ pending: PendingColumn, rowOffsets: [Int]) throws -> Column {
        var missing: [Int] = []
        for (index, builder) in pending.builders.enumerated() { missing += builder.missing.lazy.map { $0 + rowOffsets[index] } }
        let validity = missing.isEmpty ? nil : Validity(count: rowOffsets.last!, missing: missing)
        let slots = pending.take()
        func bits(_ value: Double) -> Int64 { Int64(bitPattern: value.bitPattern) }
        switch kind {
        case .undecided, .float: return Column(name: name, values: .float64(slots), validity: validity)
        case .int: return Column(name: name, values: .int64(slots.map(bits)), validity: validity)
        case .bool: return Column(name: name, values: .bool(slots.map { bits($0) != 0 }), validity: validity)
        case .text: return try textColumn(name, codes: slots, builders: pending.builders, rowOffsets: rowOffsets, validity: validity)
        }
    }

    /// Merges the chunks' dictionaries in file order, so categories are in order of first appearance.
    private func textColumn(_ name: String, codes chunkCodes: [Double], builders: [ColumnBuilder], rowOffsets: [Int],
                            validity: Validity?) throws -> Column {
        var index = CategoryIndex()
        var codes = [Int32](repeating: -1, count: chunkCodes.count)
        for (chunk, builder) in builders.enumerated() {
            let dictionary = builder.dictionary
            let remap = try (0..<dictionary.count).map { local -> Int32 in
                guard let text = String(validating: dictionary.bytes(local), as: UTF8.self) else {
                    let row = dictionary.firstRows[local]
                    throw CairnError(.invalidData, "\(source): row \(row + rowOffsets[chunk] + 1), column '\(name)': the value is not valid UTF-8")
                }
                return index.code(for: text)
            }
            for row in rowOffsets[chunk]..<rowOffsets[chunk + 1] {
                codes[row] = remap.isEmpty ? -1 : remap[Int(Int64(bitPattern: chunkCodes[row].bitPattern))]
            }
            for row in builder.missing { codes[row + rowOffsets[chunk]] = -1 }
        }
        let categories = index.categories
        let present = codes.count - (validity?.missingCount ?? 0)
        let declared = builders.first?.declared
        let categorical = declared == .categorical
            || (declared == nil && categories.count <= options.maxCategories && categories.count * 2 <= present)
        if categorical { return Column(name: name, values: .categorical(codes: codes, categories: categories), validity: validity) }
        return Column(name: name, values: .string(codes.map { $0 < 0 ? "" : categories[Int($0)] }), validity: validity)
    }

    // MARK: Errors

    private func error(_ failure: Failure, names: [String], rowOffset: Int = 0) -> CairnError {
        var line = 1
        var lineStart = 0
        var cursor = UnsafeRawPointer(base)
        let end = UnsafeRawPointer(base + failure.offset)
        while cursor < end, let found = memchr(cursor, Int32(FieldScanner.newline), end - cursor) {
            line += 1
            lineStart = UnsafeRawPointer(found) - UnsafeRawPointer(base) + 1
            cursor = UnsafeRawPointer(found) + 1
        }
        var what = failure.row.map { "row \($0 + rowOffset + 1)" } ?? "header"
        if let column = failure.column, column < names.count { what += ", column '\(names[column])'" }
        return CairnError(.invalidData, "\(what): \(failure.message)",
                          at: SourceLocation(file: source, line: line, column: failure.offset - lineStart + 1))
    }
}
