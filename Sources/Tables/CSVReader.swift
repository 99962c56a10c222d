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

    /// The whole file as one table: its first piece, and its only one.
    func table() throws -> Table {
        let (names, bodyStart) = try header()
        var soFar = CSVColumnsSoFar(maxCategories: options.maxCategories)
        let table = try table(from: bodyStart, names: names, soFar: &soFar)
        for note in soFar.notes { options.note?(note) }
        return table
    }

    /// The column names, and where the body starts: after a byte order mark, blank lines and the
    /// header. Checks that the schema names only columns the header has.
    func header() throws -> (names: [String], bodyStart: Int) {
        if memchr(base, 0x0A, size) == nil, let cr = memchr(base, 0x0D, size) {
            let column = UnsafeRawPointer(cr) - UnsafeRawPointer(base) + 1
            throw CairnError(.invalidData, "lines end with a bare carriage return (old Mac style), which this reader does not split on",
                             at: SourceLocation(file: source, line: 1, column: column),
                             hint: "convert the line ends to LF or CRLF, e.g. `tr '\\r' '\\n'`")
        }
        let hasBOM = size >= 3 && base[0] == 0xEF && base[1] == 0xBB && base[2] == 0xBF
        let (names, bodyStart) = try headerNames(from: hasBOM ? 3 : 0)
        for name in options.schema.keys.sorted() where !names.contains(name) {
            throw CairnError(.invalidData, "\(source): the schema names column '\(name)', which the header does not have",
                             hint: Suggestion.hint(for: name, in: names, noun: "columns"))
        }
        return (names, bodyStart)
    }

    /// The records from `bodyStart` to the end as a table, their columns settled with what
    /// earlier pieces of the file settled (`soFar`, which this piece then adds to). Counts the
    /// records of every chunk, makes each column's storage for all of them, and lets the chunks'
    /// parsers write straight into it: no chunk's values are copied afterwards.
    func table(from bodyStart: Int, names: [String], soFar: inout CSVColumnsSoFar) throws -> Table {
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
            kinds = try settleKinds(names: names, chunks: &chunks, columns: columns, soFar: &soFar)
        }
        // Each column's storage is moved out, so that it becomes the column without a copy.
        let pending = storage.indices.map { column in
            defer { storage[column] = [] }
            return PendingColumn(storage[column], chunks.map { $0.builders[column] })
        }
        chunks = []
        let settled = soFar
        let made = try Parallel.map(names.count) { column in
            try self.column(names[column], kind: kinds[column], pending[column], rowOffsets: offsets, soFar: settled, index: column)
        }
        for (column, made) in made.enumerated() { soFar.update(column, made.soFar) }
        soFar.rows += offsets.last!
        return try Table(columns: made.map(\.column))
    }

    private func throwFirstFailure(_ chunks: [Chunk], names: [String]) throws {
        var rowsBefore = 0
        for chunk in chunks {
            if let failure = chunk.failure { throw error(failure, names: names, rowOffset: rowsBefore) }
            rowsBefore += chunk.rows
        }
    }

    // MARK: Header and chunks

    private func headerNames(from start: Int) throws -> (names: [String], bodyStart: Int) {
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

    /// One type per column across chunks (and the pieces before). A column read as numbers in
    /// one chunk and as text in another is read again as text; whole numbers in a column with
    /// fractions become Doubles.
    private func settleKinds(names: [String], chunks: inout [Chunk], columns: [UnsafeMutablePointer<Double>],
                             soFar: inout CSVColumnsSoFar) throws -> [ColumnBuilder.Kind] {
        let kinds = try soFar.settleKinds(names.indices.map { column in CSVColumnsSoFar.KindsMet(chunks.map { $0.builders[column] }) })
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
        var rowsBefore = soFar.rows
        var firsts = [(row: Int, text: String)?](repeating: nil, count: names.count)
        for chunk in chunks {
            for column in names.indices where firsts[column] == nil && kinds[column] == .float {
                firsts[column] = chunk.builders[column].beyondInt64.map { ($0.row + rowsBefore, $0.text) }
            }
            rowsBefore += chunk.rows
        }
        for (column, first) in firsts.enumerated() {
            guard let first else { continue }
            soFar.noteOnce(column, "\(source): column '\(names[column])' is read as float64: row \(first.row + 1) holds \(first.text), a whole number "
                           + "beyond 64 bits; whole numbers past 2^53 lose digits (declare the column string to keep them exactly)")
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

    private func column(_ name: String, kind: ColumnBuilder.Kind, _ pending: PendingColumn, rowOffsets: [Int],
                        soFar: CSVColumnsSoFar, index: Int) throws -> (column: Column, soFar: CSVColumnsSoFar.ColumnSoFar) {
        var missing: [Int] = []
        for (index, builder) in pending.builders.enumerated() { missing += builder.missing.lazy.map { $0 + rowOffsets[index] } }
        let validity = missing.isEmpty ? nil : Validity(count: rowOffsets.last!, missing: missing)
        let slots = pending.take()
        let state = soFar.columns[index]
        func bits(_ value: Double) -> Int64 { Int64(bitPattern: value.bitPattern) }
        switch kind {
        case .undecided, .float: return (Column(name: name, values: .float64(slots), validity: validity), state)
        case .int: return (Column(name: name, values: .int64(slots.map(bits)), validity: validity), state)
        case .bool: return (Column(name: name, values: .bool(slots.map { bits($0) != 0 }), validity: validity), state)
        case .text:
            return try textColumn(name, codes: slots, builders: pending.builders, rowOffsets: rowOffsets, validity: validity,
                                  soFar: soFar, state: state)
        }
    }

    /// Merges the chunks' dictionaries in file order, so categories are in order of first
    /// appearance: the categories of the pieces before first. A string column whose categories
    /// no longer matter takes its values straight from the chunks' dictionaries.
    private func textColumn(_ name: String, codes chunkCodes: [Double], builders: [ColumnBuilder], rowOffsets: [Int],
                            validity: Validity?, soFar: CSVColumnsSoFar, state: CSVColumnsSoFar.ColumnSoFar) throws
        -> (column: Column, soFar: CSVColumnsSoFar.ColumnSoFar) {
        var state = state
        state.present += chunkCodes.count - (validity?.missingCount ?? 0)
        let texts = try builders.enumerated().map { chunk, builder in
            let dictionary = builder.dictionary
            return try (0..<dictionary.count).map { local -> String in
                guard let text = String(validating: dictionary.bytes(local), as: UTF8.self) else {
                    let row = soFar.rows + dictionary.firstRows[local] + rowOffsets[chunk]
                    throw CairnError(.invalidData, "\(source): row \(row + 1), column '\(name)': the value is not valid UTF-8")
                }
                return text
            }
        }
        func local(_ row: Int) -> Int { Int(Int64(bitPattern: chunkCodes[row].bitPattern)) }
        guard var index = state.categories else {
            var values = [String](repeating: "", count: chunkCodes.count)
            for (chunk, builder) in builders.enumerated() where !texts[chunk].isEmpty {
                for row in rowOffsets[chunk]..<rowOffsets[chunk + 1] { values[row] = texts[chunk][local(row)] }
                for row in builder.missing { values[row + rowOffsets[chunk]] = "" }
            }
            return (Column(name: name, values: .string(values), validity: validity), state)
        }
        var codes = [Int32](repeating: -1, count: chunkCodes.count)
        for (chunk, builder) in builders.enumerated() {
            let remap = texts[chunk].map { index.code(for: $0) }
            for row in rowOffsets[chunk]..<rowOffsets[chunk + 1] {
                codes[row] = remap.isEmpty ? -1 : remap[local(row)]
            }
            for row in builder.missing { codes[row + rowOffsets[chunk]] = -1 }
        }
        let categories = index.categories
        let declared = state.met.declared
        let categorical = state.categorical ?? soFar.isCategorical(declared: declared, categories: categories.count, present: state.present)
        state.categorical = categorical
        if categorical {
            if declared == nil, categories.count > soFar.maxCategories { throw CSVColumnsSoFar.Unsettled() }
            state.categories = index
            return (Column(name: name, values: .categorical(codes: codes, categories: categories), validity: validity), state)
        }
        // Past `maxCategories` the column is string whatever the rest of the file holds.
        state.categories = categories.count > soFar.maxCategories ? nil : index
        return (Column(name: name, values: .string(codes.map { $0 < 0 ? "" : categories[Int($0)] }), validity: validity), state)
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
