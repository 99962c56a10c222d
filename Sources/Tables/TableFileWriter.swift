import CairnSupport

/// Writes a table file one record batch at a time: the schema first, then the rows in batches
/// of `batchRows` as they are appended (the last one shorter), then every column's dictionary
/// and the footer. A stage that appends as it goes holds one batch, not the table; a reader
/// holds one batch's bytes at a time, not the file. Batches fall at the same rows however the
/// table is cut into appends, so a table written in pieces is the same file as written whole.
/// A categorical column's categories may grow from one append to the next (each append's are
/// the earlier ones and then new ones): the dictionaries are written last, which the Arrow file
/// format allows (its footer locates them; a reader loads them before any batch).
public final class TableFileWriter {
    /// Rows per record batch: a multiple of 8, so that each batch's bitmaps start on a byte; large
    /// enough that a float column's buffer (2 MiB) is hashed on one core while the kernel copies it.
    public static let batchRows = 1 << 18

    private struct ColumnLayout {
        var name: String
        var type: ColumnType
        var categories: [String]?
    }

    private let file: OutputFile
    private var layout: [ColumnLayout]
    private let schema: FlatBufferBuilder.Table
    private var position = 0
    private var batchBlocks: [ArrowFormat.Block] = []
    /// Rows appended but not yet written: fewer than a batch.
    private var pending: Table?

    /// A file for tables with `table`'s columns: names, types and categories (its rows are not written).
    public init(_ path: String, columnsOf table: Table) throws {
        layout = table.columns.map { column in
            if case .categorical(_, let categories) = column.values {
                return ColumnLayout(name: column.name, type: column.type, categories: categories)
            }
            return ColumnLayout(name: column.name, type: column.type)
        }
        let fields = layout.enumerated().map { index, column -> FlatBufferBuilder.Table in
            switch column.type {
            case .float64: return ArrowFormat.field(name: column.name, type: .floatingPoint, ArrowFormat.double)
            case .int64: return ArrowFormat.field(name: column.name, type: .int, ArrowFormat.int(bits: 64))
            case .bool: return ArrowFormat.field(name: column.name, type: .bool, ArrowFormat.empty)
            case .string:
                // Each batch's text stays within int32 offsets (`append` makes batches small enough).
                return ArrowFormat.field(name: column.name, type: .utf8, ArrowFormat.empty)
            case .categorical:
                return ArrowFormat.field(name: column.name, type: .utf8, ArrowFormat.empty, dictionary: ArrowFormat.dictionary(id: Int64(index)))
            }
        }
        schema = ArrowFormat.schema(fields, metadata: [("cairn.table", "1")])
        file = try OutputFile(path)
        try (ArrowFormat.magic + [0, 0]).withUnsafeBytes(emit)
        _ = try message(.schema, schema, body: ArrowMessageBody())
    }

    /// Appends `table`'s rows. Full batches are written as they fill; a batch is cut short
    /// where its text would pass the 2 GiB that int32 offsets reach.
    public func append(_ table: Table) throws {
        guard table.columns.count == layout.count, zip(table.columns, layout).allSatisfy({ $0.name == $1.name && $0.type == $1.type }) else {
            throw CairnError(.invalidData, "rows appended to \(file.path) do not have its columns")
        }
        for (index, column) in table.columns.enumerated() {
            guard case .categorical(_, let categories) = column.values, categories != layout[index].categories else { continue }
            guard let earlier = layout[index].categories, categories.starts(with: earlier) else {
                throw CairnError(.invalidData, "column '\(column.name)' appended to \(file.path) has other categories than the file")
            }
            layout[index].categories = categories
        }
        guard let held = pending else { return try writeBatches(table, from: 0) }
        pending = nil
        let head = min(table.rowCount, Self.batchRows - held.rowCount)
        try writeBatches(try Table.concatenating([held, table.taking(Array(0..<head))]), from: 0)
        guard head < table.rowCount else { return }
        // A batch cut short by its text leaves rows of the joined one held: join them again.
        if pending == nil {
            try writeBatches(table, from: head)
        } else {
            try append(table.taking(Array(head..<table.rowCount)))
        }
    }

    /// Writes the rows still held, the dictionaries and the footer; the file is complete (and its
    /// hash known) only then.
    public func finish() throws {
        if let held = pending {
            pending = nil
            try writeBatch(held, rows: 0..<held.rowCount)
        }
        // A file without rows still holds one batch, of none: readers expect a batch.
        if batchBlocks.isEmpty {
            let empty = try Table(columns: layout.map { column in
                let values: Column.Values
                switch column.type {
                case .float64: values = .float64([])
                case .int64: values = .int64([])
                case .bool: values = .bool([])
                case .string: values = .string([])
                case .categorical: values = .categorical(codes: [], categories: column.categories!)
                }
                return Column(name: column.name, values: values)
            })
            try writeBatch(empty, rows: 0..<0)
        }
        var dictionaryBlocks: [ArrowFormat.Block] = []
        for (index, column) in layout.enumerated() {
            guard let categories = column.categories else { continue }
            var dictionary = ArrowMessageBody()
            dictionary.addNone()
            guard dictionary.add(strings: categories, range: 0..<categories.count) == .utf8 else {
                throw CairnError(.invalidData, "the categories of column '\(column.name)' pass the 2 GiB of text a table file's dictionary holds",
                                 hint: "make the column string rather than category")
            }
            dictionaryBlocks.append(try message(.dictionaryBatch, ArrowFormat.dictionaryBatch(id: Int64(index), ArrowFormat.recordBatch(
                length: categories.count, nodes: [(categories.count, 0)], buffers: dictionary.extents)), body: dictionary))
        }
        try ArrowFormat.int32s([Int32(bitPattern: ArrowFormat.continuation), 0]).withUnsafeBytes(emit)
        let footer = FlatBufferBuilder.build(ArrowFormat.footer(schema: schema, dictionaries: dictionaryBlocks, recordBatches: batchBlocks))
        try (footer + ArrowFormat.int32s([Int32(footer.count)]) + ArrowFormat.magic).withUnsafeBytes(emit)
        try file.finish()
    }

    /// Writes `table`'s rows from `start` in batches; a last batch shorter than `batchRows` is held.
    private func writeBatches(_ table: Table, from start: Int) throws {
        var start = start
        while start < table.rowCount {
            var end = min(table.rowCount, start + Self.batchRows)
            while Self.textBytes(table, rows: start..<end) > Int(Int32.max) {
                guard end - start > 8 else {
                    throw CairnError(.invalidData, "a text value in rows \(start + 1)–\(end) is larger than the 2 GiB a table file's text holds")
                }
                end = start + max(8, (end - start) / 16 * 8)
            }
            if end == table.rowCount, end - start < Self.batchRows {
                pending = start == 0 ? table : table.taking(Array(start..<end))
                return
            }
            try writeBatch(table, rows: start..<end)
            start = end
        }
    }

    /// The bytes of the largest text column's values in `rows`.
    private static func textBytes(_ table: Table, rows: Range<Int>) -> Int {
        table.columns.map { column in
            guard case .string(let values) = column.values else { return 0 }
            return values[rows].reduce(0) { $0 + $1.utf8.count }
        }.max() ?? 0
    }

    private func writeBatch(_ table: Table, rows: Range<Int>) throws {
        var body = ArrowMessageBody()
        var nodes: [(length: Int, nulls: Int)] = []
        for column in table.columns {
            nodes.append((rows.count, column.validity.map { $0.missingCount(in: rows) } ?? 0))
            body.add(validity: column.validity, rows: rows)
            switch column.values {
            case .float64(let values): body.add(values, range: rows)
            case .int64(let values): body.add(values, range: rows)
            case .bool(let values): body.add(ArrowFormat.bitmap(values[rows]), byteCount: (rows.count + 7) / 8)
            case .categorical(let codes, _):
                // A missing row's index is 0 rather than -1, so that every index is a valid one.
                if column.validity == nil {
                    body.add(codes, range: rows)
                } else {
                    let valid = codes[rows].map { max($0, 0) }
                    body.add(valid, range: 0..<valid.count)
                }
            case .string(let values): _ = body.add(strings: values, range: rows)
            }
        }
        batchBlocks.append(try message(.recordBatch, ArrowFormat.recordBatch(length: rows.count, nodes: nodes, buffers: body.extents), body: body))
    }

    private func emit(_ bytes: UnsafeRawBufferPointer) throws {
        try file.write(raw: bytes)
        position += bytes.count
    }

    private func pad(to alignment: Int) throws {
        try [UInt8](repeating: 0, count: ArrowFormat.padded(position, to: alignment) - position).withUnsafeBytes(emit)
    }

    /// Writes one message, its metadata padded so that its body starts 64-byte aligned.
    private func message(_ kind: ArrowFormat.MessageKind, _ header: FlatBufferBuilder.Table, body: ArrowMessageBody) throws -> ArrowFormat.Block {
        let start = position
        let metadata = FlatBufferBuilder.build(ArrowFormat.message(kind, header, bodyLength: body.length))
        let metadataLength = ArrowFormat.padded(start + 8 + metadata.count) - start - 8
        try (ArrowFormat.int32s([Int32(bitPattern: ArrowFormat.continuation), Int32(metadataLength)]) + metadata).withUnsafeBytes(emit)
        try pad(to: ArrowFormat.alignment)
        for buffer in body.buffers {
            try buffer.bytes(emit)
            try pad(to: ArrowFormat.alignment)
        }
        return ArrowFormat.Block(offset: start, metadataLength: Int32(8 + metadataLength), bodyLength: body.length)
    }
}
