import CairnSupport

/// Reads an Arrow IPC file — Cairn's own table files, and those pyarrow, polars or DuckDB write —
/// into a table. Every offset, length and index is checked before it is used; a file that does
/// not hold together is an error naming it, never a crash.
struct ArrowFileReader {
    let bytes: UnsafeRawBufferPointer
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

    func read() throws -> Table {
        let magic = ArrowFormat.magic
        guard bytes.count >= 6 else { throw damaged("it is too short to be an Arrow file") }
        if bytes.count >= 8 && Array(bytes.prefix(8)) == TableFile.earlierMagic {
            throw CairnError(.invalidData, "\(name) is a table file of an earlier version of Cairn, which this one no longer reads",
                             hint: "run again the stage that wrote it (`cairn run --force -s STAGE`); Cairn now writes Arrow files")
        }
        guard bytes.count >= 6 + 2 + 4 + 6, Array(bytes.prefix(6)) == magic, Array(bytes.suffix(6)) == magic else {
            throw damaged("it does not start and end with ARROW1")
        }
        let footerLength = Int(try load(Int32.self, at: bytes.count - 10))
        guard footerLength > 0, footerLength <= bytes.count - 18 else { throw damaged("the footer's length is not possible") }
        let footerStart = bytes.count - 10 - footerLength
        let footer = try FlatBufferReader(bytes: UnsafeRawBufferPointer(rebasing: bytes[footerStart..<(bytes.count - 10)]), damaged: damaged).root()
        guard let schema = try footer.table(1) else { throw damaged("the footer has no schema") }
        guard try schema.scalar(0, default: Int16(0)) == 0 else { throw damaged("it is big-endian") }
        let fields = try schema.tables(1).map(field)

        var dictionaries: [Int64: [String]] = [:]
        for block in try footer.structs(2, size: 24) {
            let (header, body) = try message(footerBlock: block, in: footer, expecting: .dictionaryBatch)
            let id = try header.scalar(0, default: Int64(0))
            guard let valueKind = fields.first(where: { if case .dictionary(id, _, _) = $0.kind { return true } else { return false } })?.valueKind else {
                throw damaged("a dictionary (id \(id)) belongs to no column")
            }
            guard let data = try header.table(1) else { throw damaged("dictionary \(id) has no data") }
            let batch = try RecordBatch(data, body: body, reader: self)
            guard batch.nodes.count == 1 else { throw damaged("dictionary \(id) does not have one column") }
            var cursor = RecordBatch.Cursor()
            let column = try batch.column(Field(name: "dictionary \(id)", kind: valueKind), at: &cursor, dictionaries: [:])
            guard case .string(let values) = column.values else { throw damaged("dictionary \(id) is not text") }
            dictionaries[id, default: []] += values
        }

        var parts: [[Column]] = Array(repeating: [], count: fields.count)
        for block in try footer.structs(3, size: 24) {
            let (header, body) = try message(footerBlock: block, in: footer, expecting: .recordBatch)
            let batch = try RecordBatch(header, body: body, reader: self)
            guard batch.nodes.count == fields.count else { throw damaged("a record batch has \(batch.nodes.count) columns, the schema \(fields.count)") }
            var cursor = RecordBatch.Cursor()
            for (index, field) in fields.enumerated() {
                parts[index].append(try batch.column(field, at: &cursor, dictionaries: dictionaries))
            }
        }
        return try Table(columns: zip(fields, parts).map { field, pieces in try Self.concatenate(field, pieces, dictionaries: dictionaries) })
    }

    func load<T: FixedWidthInteger>(_ type: T.Type, at position: Int) throws -> T {
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

    /// The message a footer block points at: its header (of the kind expected) and its body.
    private func message(footerBlock position: Int, in footer: FlatBufferReader.Table, expecting kind: ArrowFormat.MessageKind)
        throws -> (FlatBufferReader.Table, UnsafeRawBufferPointer) {
        let reader = footer.reader
        let offset = Int(try reader.load(Int64.self, at: position))
        let metadataLength = Int(try reader.load(Int32.self, at: position + 8))
        let bodyLength = Int(try reader.load(Int64.self, at: position + 16))
        guard offset >= 8, metadataLength >= 8, bodyLength >= 0, offset <= bytes.count - metadataLength,
              bodyLength <= bytes.count - offset - metadataLength else {
            throw damaged("a message lies outside the file")
        }
        // A message starts with the continuation marker and its metadata's length (older files: the length alone).
        var start = offset
        if try load(UInt32.self, at: start) == ArrowFormat.continuation { start += 4 }
        let length = Int(try load(Int32.self, at: start))
        guard length > 0, length <= offset + metadataLength - start - 4 else { throw damaged("a message's metadata has a wrong length") }
        let metadata = FlatBufferReader(bytes: UnsafeRawBufferPointer(rebasing: bytes[(start + 4)..<(start + 4 + length)]), damaged: damaged)
        let message = try metadata.root()
        guard try message.scalar(1, default: UInt8(0)) == kind.rawValue, let header = try message.table(2) else {
            throw damaged("a footer block does not point at a \(kind) message")
        }
        let bodyStart = offset + metadataLength
        return (header, UnsafeRawBufferPointer(rebasing: bytes[bodyStart..<(bodyStart + bodyLength)]))
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
