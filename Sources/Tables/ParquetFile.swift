import CairnSupport

/// Reads a Parquet file's flat columns into a table: the footer (Thrift compact), every row
/// group's column chunks, PLAIN and dictionary pages (v1 and v2), snappy, gzip or zstd. Types:
/// BOOLEAN → bool; INT32, INT64 → int64; FLOAT, DOUBLE → float64; BYTE_ARRAY (text) → string;
/// DATE and TIMESTAMP → ISO 8601 text. A nested column or another type is an error naming it.
public enum ParquetFile {
    static let magic = Array("PAR1".utf8)

    /// True when the file starts with Parquet's magic.
    public static func isParquetFile(_ path: String) -> Bool { FileSystem.firstBytes(path, count: 4) == magic }

    public static func read(_ path: String, displayName: String? = nil) throws -> Table {
        let name = displayName ?? path
        let file = try FileContents(path)
        return try withExtendedLifetime(file) { try read(file.bytes, name: name) }
    }

    static func read(_ bytes: UnsafeRawBufferPointer, name: String) throws -> Table {
        func damaged(_ why: String) -> CairnError { CairnError(.invalidData, "\(name) is not a readable Parquet file: \(why)") }
        guard bytes.count >= 12, Array(bytes.prefix(4)) == magic, Array(bytes.suffix(4)) == magic else {
            throw damaged("it does not start and end with PAR1")
        }
        let footerLength = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: bytes.count - 8, as: UInt32.self)))
        guard footerLength <= bytes.count - 12 else { throw damaged("the footer's length is not possible") }
        var position = bytes.count - 8 - footerLength
        let metadata = try ThriftValue.readStruct(bytes, at: &position, damaged: damaged)
        let schema = metadata[2]?.list ?? []
        guard let root = schema.first else { throw damaged("it has no schema") }
        let leaves = Array(schema.dropFirst())
        guard root[5]?.int == leaves.count else {
            let nested = leaves.first { ($0[5]?.int ?? 0) > 0 }?[4]?.string ?? "?"
            throw CairnError(.invalidData, "\(name): column '\(nested)' is nested (a list, map or struct), which Cairn's tables cannot hold")
        }
        let fields = try leaves.map { try field($0, file: name) }
        var parts = [[(values: ParquetColumnChunk.Values, present: [Bool])]](repeating: [], count: fields.count)
        for group in metadata[4]?.list ?? [] {
            let chunks = group[1]?.list ?? []
            guard chunks.count == fields.count else { throw damaged("a row group has \(chunks.count) columns, the schema \(fields.count)") }
            var readers: [(reader: ParquetColumnChunk, start: Int, count: Int)] = []
            for (index, chunk) in chunks.enumerated() {
                guard chunk[1] == nil else { throw CairnError(.invalidData, "\(name): column '\(fields[index].name)' lies in another file, which Cairn does not follow") }
                guard let meta = chunk[3], let count = meta[5]?.int, let dataOffset = meta[9]?.int else { throw damaged("a column chunk has no metadata") }
                let code = meta[4]?.int ?? 0
                guard let codec = ParquetCompression(rawValue: code) else {
                    throw CairnError(.invalidData, "\(name): column '\(fields[index].name)' is compressed with \(ParquetCompression.names[code] ?? "codec \(code)"), which Cairn does not read",
                                     hint: "Cairn reads uncompressed, snappy, gzip and zstd Parquet files")
                }
                let dictionaryOffset = meta[11]?.int ?? 0
                let start = dictionaryOffset > 0 && dictionaryOffset < dataOffset ? dictionaryOffset : dataOffset
                guard start >= 4, start < bytes.count, count >= 0 else { throw damaged("a column chunk lies outside the file") }
                readers.append((ParquetColumnChunk(kind: fields[index].kind, optional: fields[index].optional, codec: codec, file: name, column: fields[index].name),
                                start, count))
            }
            // The row group's columns are independent: decoded on every core.
            let decoded = try Parallel.map(readers.count) { try readers[$0].reader.read(bytes, from: readers[$0].start, valueCount: readers[$0].count) }
            for (index, chunk) in decoded.enumerated() { parts[index].append(chunk) }
        }
        return try Table(columns: zip(fields, parts).map { field, pieces in try column(field, pieces) })
    }

    struct Field {
        var name: String
        var kind: ParquetColumnChunk.Kind
        var optional: Bool
    }

    /// A leaf of the schema: its name, whether it may be missing, and how to read it.
    private static func field(_ element: ThriftValue, file: String) throws -> Field {
        let name = element[4]?.string ?? ""
        let repetition = element[3]?.int ?? 0
        let logical = element[10]
        let converted = element[6]?.int
        func unsupported(_ type: String) -> CairnError {
            CairnError(.invalidData, "\(file): column '\(name)' is \(type), which Cairn does not read",
                       hint: "Cairn's tables hold float64, int64, bool and text; cast the column to one of those")
        }
        guard repetition != 2 else { throw CairnError(.invalidData, "\(file): column '\(name)' is repeated (a list), which Cairn's tables cannot hold") }
        let kind: ParquetColumnChunk.Kind
        switch element[1]?.int {
        case 0: kind = .bool
        case 1:
            if logical?[6] != nil || converted == 6 { kind = .date }
            else if logical?[7] != nil || converted == 7 { throw unsupported("a time of day") }
            else if logical?[5] != nil || converted == 5 { throw unsupported("a decimal") }
            else if logical?[10]?[2]?.bool == false || (11...14).contains(converted ?? -1) { kind = .uint32 }
            else { kind = .int32 }
        case 2:
            if let timestamp = logical?[8] {
                let unit = timestamp[2]
                kind = .timestamp(perSecond: unit?[1] != nil ? 1000 : unit?[2] != nil ? 1_000_000 : 1_000_000_000)
            } else if converted == 9 || converted == 10 {
                kind = .timestamp(perSecond: converted == 9 ? 1000 : 1_000_000)
            } else if logical?[7] != nil || converted == 8 {
                throw unsupported("a time of day")
            } else if logical?[5] != nil || converted == 5 {
                throw unsupported("a decimal")
            } else if logical?[10]?[2]?.bool == false || converted == 14 {
                throw unsupported("an unsigned 64-bit integer")
            } else {
                kind = .int64
            }
        case 3: throw unsupported("an INT96 timestamp (an old Spark and Impala format)")
        case 4: kind = .float
        case 5: kind = .double
        case 6:
            if logical?[5] != nil || converted == 5 { throw unsupported("a decimal") }
            kind = .text
        case 7: throw unsupported("a FIXED_LEN_BYTE_ARRAY (a decimal, UUID or float16)")
        default: throw CairnError(.invalidData, "\(file): column '\(name)' has no type")
        }
        return Field(name: name, kind: kind, optional: repetition == 1)
    }

    /// A column from its chunks' values: a placeholder at each missing row, dates and times as text.
    private static func column(_ field: Field, _ pieces: [(values: ParquetColumnChunk.Values, present: [Bool])]) throws -> Column {
        let present = pieces.flatMap(\.present)
        var values = pieces.first?.values ?? ParquetColumnChunk.Values.text([])
        for piece in pieces.dropFirst() { values.append(piece.values) }
        let validity = present.allSatisfy { $0 } ? nil : Validity(count: present.count, missing: present.indices.filter { !present[$0] })
        func spread<T>(_ stored: [T], _ placeholder: T) -> [T] {
            guard validity != nil else { return stored }
            var next = 0
            return present.map { has in
                guard has else { return placeholder }
                defer { next += 1 }
                return stored[next]
            }
        }
        let result: Column.Values
        switch (field.kind, values) {
        case (.bool, .bool(let v)): result = .bool(spread(v, false))
        case (.float, .double(let v)), (.double, .double(let v)): result = .float64(spread(v, 0))
        case (.text, .text(let v)): result = .string(spread(v, ""))
        case (.date, .int(let v)): result = .string(spread(v.map(ISODate.day), ""))
        case (.timestamp(let perSecond), .int(let v)): result = .string(spread(v.map { ISODate.instant($0, perSecond: perSecond) }, ""))
        case (.uint32, .int(let v)): result = .int64(spread(v.map { Int64(UInt32(truncatingIfNeeded: $0)) }, 0))
        case (_, .int(let v)): result = .int64(spread(v, 0))
        default: result = .string([String](repeating: "", count: present.count))
        }
        return Column(name: field.name, values: result, validity: validity)
    }
}
