import CairnSupport

// Buffers are written and read as they lie in memory; the format is little-endian.
#if !_endian(little)
#error("Cairn's table files are little-endian; this platform is not")
#endif

/// Cairn's table file: the Arrow IPC file format (Feather v2), which pyarrow, polars, DuckDB and
/// Spark open as it is. One record batch holds every row; float64, int64, bool (bit-packed),
/// utf8 (int32 offsets, or large_utf8 with int64 offsets past 2 GiB), and categorical columns as
/// int32 indices into a dictionary of utf8 values; validity bitmaps where rows are missing;
/// every buffer 64-byte aligned. Laid out in the README ("Table files").
public enum TableFile {
    /// The old format's first bytes, to name it when it is met.
    static let earlierMagic = Array("CAIRNTBL".utf8)

    /// True when the file starts as an Arrow file (or as an earlier Cairn table file, which
    /// reading then names).
    public static func isTableFile(_ path: String) -> Bool {
        let start = FileSystem.firstBytes(path, count: 8)
        return Array(start.prefix(6)) == ArrowFormat.magic || start == earlierMagic
    }

    // MARK: Writing

    /// One message's body: its buffers in order, each handed over straight from the column's memory.
    private struct Body {
        var buffers: [(length: Int, bytes: ((UnsafeRawBufferPointer) throws -> Void) throws -> Void)] = []
        var extents: [(offset: Int, length: Int)] = []
        var length = 0

        mutating func add<T>(_ values: [T], count: Int? = nil) {
            let byteCount = count ?? values.count * MemoryLayout<T>.stride
            buffers.append((byteCount, { emit in try values.withUnsafeBytes { try emit(UnsafeRawBufferPointer(rebasing: $0[0..<byteCount])) } }))
            extents.append((length, byteCount))
            length += ArrowFormat.padded(byteCount)
        }

        mutating func addNone() { extents.append((length, 0)) }

        mutating func add(validity: Validity?, rows: Int) {
            if let validity { add(validity.words, count: (rows + 7) / 8) } else { addNone() }
        }

        /// Text as utf8 (int32 offsets) or, past 2 GiB, large_utf8 (int64 offsets); returns which.
        mutating func add(strings: [String]) -> ArrowFormat.TypeID {
            var bytes: [UInt8] = []
            var offsets: [Int] = [0]
            offsets.reserveCapacity(strings.count + 1)
            for value in strings {
                bytes += value.utf8
                offsets.append(bytes.count)
            }
            if bytes.count <= Int(Int32.max) {
                add(offsets.map { Int32($0) })
                add(bytes)
                return .utf8
            }
            add(offsets.map { Int64($0) })
            add(bytes)
            return .largeUtf8
        }
    }

    public static func write(_ table: Table, to path: String) throws {
        let rows = table.rowCount
        var fields: [FlatBufferBuilder.Table] = []
        var dictionaries: [(id: Int64, body: Body, count: Int)] = []
        var batch = Body()
        var nodes: [(length: Int, nulls: Int)] = []
        for (index, column) in table.columns.enumerated() {
            nodes.append((rows, column.validity?.missingCount ?? 0))
            batch.add(validity: column.validity, rows: rows)
            switch column.values {
            case .float64(let values):
                batch.add(values)
                fields.append(ArrowFormat.field(name: column.name, type: .floatingPoint, ArrowFormat.double))
            case .int64(let values):
                batch.add(values)
                fields.append(ArrowFormat.field(name: column.name, type: .int, ArrowFormat.int(bits: 64)))
            case .bool(let values):
                batch.add(ArrowFormat.bitmap(values), count: (rows + 7) / 8)
                fields.append(ArrowFormat.field(name: column.name, type: .bool, ArrowFormat.empty))
            case .categorical(let codes, let categories):
                // A missing row's index is 0 rather than -1, so that every index is a valid one.
                batch.add(column.validity == nil ? codes : codes.map { max($0, 0) })
                var dictionary = Body()
                dictionary.addNone()
                let valueType = dictionary.add(strings: categories)
                dictionaries.append((Int64(index), dictionary, categories.count))
                fields.append(ArrowFormat.field(name: column.name, type: valueType, ArrowFormat.empty, dictionary: ArrowFormat.dictionary(id: Int64(index))))
            case .string(let values):
                let type = batch.add(strings: values)
                fields.append(ArrowFormat.field(name: column.name, type: type, ArrowFormat.empty))
            }
        }
        let schema = ArrowFormat.schema(fields, metadata: [("cairn.table", "1")])

        let file = try OutputFile(path)
        var position = 0
        func emit(_ bytes: UnsafeRawBufferPointer) throws {
            try file.write(raw: bytes)
            position += bytes.count
        }
        func pad(to alignment: Int) throws {
            try [UInt8](repeating: 0, count: ArrowFormat.padded(position, to: alignment) - position).withUnsafeBytes(emit)
        }
        /// Writes one message, its metadata padded so that its body starts 64-byte aligned.
        func message(_ kind: ArrowFormat.MessageKind, _ header: FlatBufferBuilder.Table, body: Body) throws -> ArrowFormat.Block {
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
        try (ArrowFormat.magic + [0, 0]).withUnsafeBytes(emit)
        _ = try message(.schema, schema, body: Body())
        let dictionaryBlocks = try dictionaries.map { dictionary in
            try message(.dictionaryBatch, ArrowFormat.dictionaryBatch(id: dictionary.id, ArrowFormat.recordBatch(
                length: dictionary.count, nodes: [(dictionary.count, 0)], buffers: dictionary.body.extents)), body: dictionary.body)
        }
        let batchBlock = try message(.recordBatch, ArrowFormat.recordBatch(length: rows, nodes: nodes, buffers: batch.extents), body: batch)
        // The end-of-stream marker, then the footer: the schema again and where each message is.
        try ArrowFormat.int32s([Int32(bitPattern: ArrowFormat.continuation), 0]).withUnsafeBytes(emit)
        let footer = FlatBufferBuilder.build(ArrowFormat.footer(schema: schema, dictionaries: dictionaryBlocks, recordBatches: [batchBlock]))
        try (footer + ArrowFormat.int32s([Int32(footer.count)]) + ArrowFormat.magic).withUnsafeBytes(emit)
        try file.finish()
    }

    // MARK: Reading

    /// Reads a table file — Cairn's, or any Arrow IPC file of the types Cairn holds;
    /// `displayName` is the path shown in errors.
    public static func read(_ path: String, displayName: String? = nil) throws -> Table {
        let file = try FileContents(path)
        return try withExtendedLifetime(file) { try ArrowFileReader(bytes: file.bytes, name: displayName ?? path).read() }
    }
}
