import CairnSupport

/// Reads an Arrow IPC file — Cairn's own table files, and those pyarrow, polars or DuckDB write —
/// into a table, one message at a time: the footer, then each dictionary and record batch.
/// Every offset, length and index is checked before it is used; a file that does not hold
/// together is an error naming it, never a crash.
struct ArrowFileReader {
    let file: FilePieces
    let name: String

    func damaged(_ why: String) -> CairnError { CairnError(.invalidData, "\(name) is not a readable table file: \(why)") }

    /// What a column holds, from its schema field.
    enum Kind {
        /// Integers of `bits` bits, read as int64.
        case int(bits: Int, signed: Bool)
        /// IEEE floats of `bits` bits, read as float64.
        case float(bits: Int)
        case bool
        /// Text with int32 (`large`: int64) offsets.
        case utf8(large: Bool)
        /// Indices of `bits` bits into the dictionary `id`.
        case dictionary(id: Int64, bits: Int, signed: Bool)

        /// How many buffers a record batch has for a column of this kind.
        var bufferCount: Int {
            if case .utf8 = self { return 3 }
            return 2
        }
    }

    struct Field {
        var name: String
        var kind: Kind
        /// For a dictionary column, its values' kind.
        var valueKind: Kind?
    }

    /// The whole table: each column joined from its batches' pieces, column by column, each
    /// one's pieces let go once joined — a table and one column at most.
    func read() throws -> Table {
        var fields: [Field] = [], dictionaries: [Int64: [String]] = [:]
        var parts: [[Column]] = []
        try forEachBatch(columns: nil) { batch, schema, values in
            if parts.isEmpty { (fields, dictionaries, parts) = (schema, values, Array(repeating: [], count: schema.count)) }
            for index in batch.columns.indices { parts[index].append(batch.columns[index]) }
        }
        var columns: [Column] = []
        columns.reserveCapacity(fields.count)
        for index in fields.indices {
            columns.append(try Self.concatenate(fields[index], parts[index], dictionaries: dictionaries))
            parts[index] = []
        }
        return try Table(columns: columns)
    }

    /// Calls `body` with each record batch in turn as a table of the columns named in
    /// `columns` (all when nil), with the schema's fields and the dictionaries. A file without
    /// batches calls it once with no rows.
    func forEachBatch(columns wanted: Set<String>?, _ body: (Table, [Field], [Int64: [String]]) throws -> Void) throws {
        let magic = ArrowFormat.magic
        let size = file.size
        guard size >= 6 else { throw damaged("it is too short to be an Arrow file") }
        let head = try file.read(0..<min(8, size)).array
        if head == TableFile.earlierMagic {
            throw CairnError(.invalidData, "\(name) is a table file of an earlier version of Cairn, which this one no longer reads",
                             hint: "run again the stage that wrote it (`cairn run --force -s STAGE`); Cairn now writes Arrow files")
        }
        guard size >= 6 + 2 + 4 + 6, Array(head.prefix(6)) == magic else { throw damaged("it does not start and end with ARROW1") }
        let tail = try file.read((size - 10)..<size).array
        guard Array(tail.suffix(6)) == magic else { throw damaged("it does not start and end with ARROW1") }
        let footerLength = Int(Int32(littleEndian: tail.withUnsafeBytes { $0.loadUnaligned(as: Int32.self) }))
        guard footerLength > 0, footerLength <= size - 18 else { throw damaged("the footer's length is not possible") }
        let footerPiece = try file.read((size - 10 - footerLength)..<(size - 10))
        try withExtendedLifetime(footerPiece) {
            let footer = try FlatBufferReader(bytes: footerPiece.bytes, damaged: damaged).root()
            guard let schema = try footer.table(1) else { throw damaged("the footer has no schema") }
            guard try schema.scalar(0, default: Int16(0)) == 0 else { throw damaged("it is big-endian") }
            let fields = try schema.tables(1).map(field)
            if let wanted, let missing = wanted.subtracting(fields.map(\.name)).sorted().first {
                throw CairnError(.invalidData, "\(name) has no column '\(missing)'")
            }
            let dictionaries = try readDictionaries(footer, fields: fields)
            let blocks = try footer.structs(3, size: 24)
            for block in blocks {
                // Asked for no column, a batch's row count is all that is read: its metadata.
                let message = try self.message(footerBlock: block, in: footer, expecting: .recordBatch, withBody: wanted?.isEmpty != true)
                try withExtendedLifetime(message.piece) {
                    let batch = try RecordBatch(message.header, body: message.body, reader: self)
                    guard batch.nodes.count == fields.count else { throw damaged("a record batch has \(batch.nodes.count) columns, the schema \(fields.count)") }
                    var cursor = RecordBatch.Cursor()
                    var columns: [Column] = []
                    for field in fields {
                        if wanted?.contains(field.name) ?? true {
                            columns.append(try batch.column(field, at: &cursor, dictionaries: dictionaries))
                        } else {
                            batch.skip(field, at: &cursor)
                        }
                    }
                    var table = try Table(columns: columns)
                    table.rowCount = batch.length
                    try body(table, fields, dictionaries)
                }
            }
            let selected = fields.filter { wanted?.contains($0.name) ?? true }
            if blocks.isEmpty {
                try body(try Table(columns: selected.map { try Self.concatenate($0, [], dictionaries: dictionaries) }), selected, dictionaries)
            }
            try file.requireUnchanged()
        }
    }

    private func readDictionaries(_ footer: FlatBufferReader.Table, fields: [Field]) throws -> [Int64: [String]] {
        var dictionaries: [Int64: [String]] = [:]
        for block in try footer.structs(2, size: 24) {
            let message = try self.message(footerBlock: block, in: footer, expecting: .dictionaryBatch)
            try withExtendedLifetime(message.piece) {
                let id = try message.header.scalar(0, default: Int64(0))
                guard let valueKind = fields.first(where: { if case .dictionary(id, _, _) = $0.kind { return true } else { return false } })?.valueKind else {
                    throw damaged("a dictionary (id \(id)) belongs to no column")
                }
                guard let data = try message.header.table(1) else { throw damaged("dictionary \(id) has no data") }
                let batch = try RecordBatch(data, body: message.body, reader: self)
                guard batch.nodes.count == 1 else { throw damaged("dictionary \(id) does not have one column") }
                var cursor = RecordBatch.Cursor()
                let column = try batch.column(Field(name: "dictionary \(id)", kind: valueKind), at: &cursor, dictionaries: [:])
                guard case .string(let values) = column.values else { throw damaged("dictionary \(id) is not text") }
                dictionaries[id, default: []] += values
            }
        }
        return dictionaries
    }

    /// A value of `type` at `position` of `bytes`, checked to lie inside.
    func load<T: FixedWidthInteger>(_ type: T.Type, at position: Int, in bytes: UnsafeRawBufferPointer) throws -> T {
        guard position >= 0, position <= bytes.count - MemoryLayout<T>.size else { throw damaged("it points outside itself") }
        return T(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: T.self))
    }

    /// A schema field's name and kind; a nested or unsupported type is named.
    private func field(_ table: FlatBufferReader.Table) throws -> Field {
        let name = try table.string(0) ?? ""
        guard try table.tables(5).isEmpty else { throw damaged("column '\(name)' is nested, which Cairn's tables cannot hold") }
        let typeID = try table.scalar(2, default: UInt8(0))
        let type = try table.table(3)
        func kind(_ typeID: UInt8, _ type: FlatBufferReader.Table?) throws -> Kind {
            switch ArrowFormat.TypeID(rawValue: typeID) {
            case .int:
                let bits = Int(try type?.scalar(0, default: Int32(0)) ?? 0)
                guard [8, 16, 32, 64].contains(bits) else { throw damaged("column '\(name)' has integers of \(bits) bits") }
                return .int(bits: bits, signed: try type?.bool(1) ?? false)
            case .floatingPoint:
                switch ArrowFormat.Precision(rawValue: try type?.scalar(0, default: Int16(0)) ?? 0) {
                case .single: return .float(bits: 32)
                case .double: return .float(bits: 64)
                case .half, nil: throw CairnError(.invalidData, "\(name): column '\(name)' has half-precision floats, which Cairn does not read")
                }
            case .bool: return .bool
            case .utf8: return .utf8(large: false)
            case .largeUtf8: return .utf8(large: true)
            case let other:
                throw CairnError(.invalidData, "\(self.name): column '\(name)' has the Arrow type \(other.map { "\($0)" } ?? "number \(typeID)"), which Cairn does not read",
                                 hint: "Cairn's tables hold float64, int64, bool, text and categorical columns; cast it to one of those")
            }
        }
        let valueKind = try kind(typeID, type)
        guard let dictionary = try table.table(4) else { return Field(name: name, kind: valueKind) }
        guard case .utf8 = valueKind else { throw damaged("column '\(name)' is a dictionary of something other than text") }
        let index = try dictionary.table(1)
        let bits = Int(try index?.scalar(0, default: Int32(32)) ?? 32)
        guard [8, 16, 32, 64].contains(bits) else { throw damaged("column '\(name)' has dictionary indices of \(bits) bits") }
        return Field(name: name, kind: .dictionary(id: try dictionary.scalar(0, default: Int64(0)), bits: bits, signed: try index?.bool(1) ?? true),
                     valueKind: valueKind)
    }

    /// The message a footer block points at, read from the file: its header (of the kind
    /// expected) and its body (empty unless `withBody`), both inside `piece`.
    private func message(footerBlock position: Int, in footer: FlatBufferReader.Table, expecting kind: ArrowFormat.MessageKind,
                         withBody: Bool = true) throws -> (header: FlatBufferReader.Table, body: UnsafeRawBufferPointer, piece: FilePieces.Piece) {
        let reader = footer.reader
        let offset = Int(try reader.load(Int64.self, at: position))
        let metadataLength = Int(try reader.load(Int32.self, at: position + 8))
        let bodyLength = Int(try reader.load(Int64.self, at: position + 16))
        let size = file.size
        guard offset >= 8, metadataLength >= 8, bodyLength >= 0, offset <= size - metadataLength,
              bodyLength <= size - offset - metadataLength else {
            throw damaged("a message lies outside the file")
        }
        let piece = try file.read(offset..<(offset + metadataLength + (withBody ? bodyLength : 0)))
        let bytes = piece.bytes
        // A message starts with the continuation marker and its metadata's length (older files: the length alone).
        var start = 0
        if try load(UInt32.self, at: start, in: bytes) == ArrowFormat.continuation { start += 4 }
        let length = Int(try load(Int32.self, at: start, in: bytes))
        guard length > 0, length <= metadataLength - start - 4 else { throw damaged("a message's metadata has a wrong length") }
        let metadata = FlatBufferReader(bytes: UnsafeRawBufferPointer(rebasing: bytes[(start + 4)..<(start + 4 + length)]), damaged: damaged)
        let message = try metadata.root()
        guard try message.scalar(1, default: UInt8(0)) == kind.rawValue, let header = try message.table(2) else {
            throw damaged("a footer block does not point at a \(kind) message")
        }
        return (header, UnsafeRawBufferPointer(rebasing: bytes[metadataLength..<bytes.count]), piece)
    }

    /// One column from the pieces its record batches held (none, in a file without batches).
    private static func concatenate(_ field: Field, _ pieces: [Column], dictionaries: [Int64: [String]]) throws -> Column {
        guard pieces.isEmpty else { return pieces.count == 1 ? pieces[0] : Column.concatenating(pieces) }
        switch field.kind {
        case .int: return Column(name: field.name, values: .int64([]))
        case .float: return Column(name: field.name, values: .float64([]))
        case .bool: return Column(name: field.name, values: .bool([]))
        case .utf8: return Column(name: field.name, values: .string([]))
        case .dictionary(let id, _, _): return Column(name: field.name, values: .categorical(codes: [], categories: dictionaries[id] ?? []))
        }
    }
}
