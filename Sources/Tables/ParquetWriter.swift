import CSnappy
import CairnSupport

/// Writes a table as a Parquet file: one row group, each column one snappy-compressed data page
/// (v1) — PLAIN values after RLE/bit-packed definition levels, or, for a categorical column, a
/// dictionary page of its categories (unused ones too) and the rows' indices into it.
/// float64 → DOUBLE, int64 → INT64, bool → BOOLEAN, string and categorical → BYTE_ARRAY (UTF8).
enum ParquetWriter {
    /// Parquet's enums, the values written here.
    private enum PhysicalType: Int32 { case boolean = 0, int64 = 2, double = 5, byteArray = 6 }
    private static let plain: Int32 = 0, rle: Int32 = 3, rleDictionary: Int32 = 8
    private static let snappy: Int32 = 1

    static func write(_ table: Table, to path: String) throws {
        let file = try OutputFile(path)
        var position = 0
        func emit(_ bytes: [UInt8]) throws {
            try file.write(bytes)
            position += bytes.count
        }
        try emit(ParquetFile.magic)
        var chunks: [ThriftField] = []
        var schema: [ThriftField] = [.structure([(4, .string("schema")), (5, .i32(Int32(table.columns.count)))])]
        for column in table.columns {
            let start = position
            var dictionaryOffset: Int?
            var encoding = plain
            var values: [UInt8]
            let type: PhysicalType
            let present = (0..<column.count).filter { column.validity?[$0] ?? true }
            switch column.values {
            case .float64(let v):
                type = .double
                values = present.flatMap { withUnsafeBytes(of: v[$0].bitPattern.littleEndian, Array.init) }
            case .int64(let v):
                type = .int64
                values = present.flatMap { withUnsafeBytes(of: v[$0].littleEndian, Array.init) }
            case .bool(let v):
                type = .boolean
                values = packBits(present.map { v[$0] })
            case .string(let v):
                type = .byteArray
                values = present.flatMap { byteArray(v[$0]) }
            case .categorical(let codes, let categories):
                type = .byteArray
                dictionaryOffset = position
                let dictionary = categories.flatMap(byteArray)
                try emit(try page(dictionary, header: [(1, .i32(2)), (7, .structure([(1, .i32(Int32(categories.count))), (2, .i32(plain))]))]))
                let width = max(1, Int.bitWidth - max(0, categories.count - 1).leadingZeroBitCount)
                values = [UInt8(width)] + bitPacked(present.map { UInt32(codes[$0]) }, width: width)
                encoding = rleDictionary
            }
            let dataOffset = position
            // Definition levels, for every column: bit-packed, 1 where a row has a value.
            let levels = bitPacked((0..<column.count).map { column.validity?[$0] ?? true ? 1 : 0 }, width: 1)
            let body = withUnsafeBytes(of: UInt32(levels.count).littleEndian, Array.init) + levels + values
            let dataHeader: ThriftField = .structure([(1, .i32(Int32(column.count))), (2, .i32(encoding)), (3, .i32(rle)), (4, .i32(rle))])
            try emit(try page(body, header: [(1, .i32(0)), (5, dataHeader)]))
            var metadata: [(id: Int16, value: ThriftField)] = [
                (1, .i32(type.rawValue)), (2, .list(elementType: 5, [.i32(encoding), .i32(rle)] + (dictionaryOffset == nil ? [] : [.i32(plain)]))),
                (3, .list(elementType: 8, [.string(column.name)])), (4, .i32(snappy)), (5, .i64(Int64(column.count))),
                (6, .i64(Int64(position - start))), (7, .i64(Int64(position - start))), (9, .i64(Int64(dataOffset))),
            ]
            if let dictionaryOffset { metadata.append((11, .i64(Int64(dictionaryOffset)))) }
            chunks.append(.structure([(2, .i64(Int64(start))), (3, .structure(metadata))]))
            var element: [(id: Int16, value: ThriftField)] = [(1, .i32(type.rawValue)), (3, .i32(1)), (4, .string(column.name))]
            if type == .byteArray { element += [(6, .i32(0)), (10, .structure([(1, .structure([]))]))] }  // UTF8; logical STRING
            schema.append(.structure(element))
        }
        let rowGroup: ThriftField = .structure([(1, .list(elementType: 12, chunks)), (2, .i64(Int64(position - 4))), (3, .i64(Int64(table.rowCount)))])
        let footer = ThriftField.structure([
            (1, .i32(1)), (2, .list(elementType: 12, schema)), (3, .i64(Int64(table.rowCount))),
            (4, .list(elementType: 12, [rowGroup])), (6, .string("cairn")),
        ]).encoded
        try emit(footer + withUnsafeBytes(of: UInt32(footer.count).littleEndian, Array.init) + ParquetFile.magic)
        try file.finish()
    }

    /// A page: its header (`fields` and the sizes) and its snappy-compressed body.
    private static func page(_ body: [UInt8], header fields: [(id: Int16, value: ThriftField)]) throws -> [UInt8] {
        guard body.count <= Int(Int32.max) else { throw CairnError(.invalidData, "a column is larger than one Parquet page holds (2 GiB)") }
        var compressed = [UInt8](repeating: 0, count: snappy_max_compressed_length(body.count))
        var length = compressed.count
        let status = body.withUnsafeBytes { input in
            compressed.withUnsafeMutableBytes { output in
                snappy_compress(input.baseAddress?.assumingMemoryBound(to: CChar.self), input.count, output.baseAddress?.assumingMemoryBound(to: CChar.self), &length)
            }
        }
        guard status == SNAPPY_OK else { throw CairnError(.io, "snappy could not compress a page") }
        let header = ThriftField.structure(fields + [(2, .i32(Int32(body.count))), (3, .i32(Int32(length)))]).encoded
        return header + compressed.prefix(length)
    }

    private static func byteArray(_ text: String) -> [UInt8] { withUnsafeBytes(of: UInt32(text.utf8.count).littleEndian, Array.init) + text.utf8 }

    private static func packBits(_ values: [Bool]) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: (values.count + 7) / 8)
        for (index, value) in values.enumerated() where value { bytes[index >> 3] |= 1 << UInt8(index & 7) }
        return bytes
    }

    /// `values` as one bit-packed run of Parquet's RLE/bit-packed hybrid (padded to a multiple of eight).
    private static func bitPacked(_ values: [UInt32], width: Int) -> [UInt8] {
        let groups = (values.count + 7) / 8
        var header: [UInt8] = []
        VarInt.append(UInt64(groups) << 1 | 1, to: &header)
        var packed = [UInt8](repeating: 0, count: groups * width)
        for (index, value) in values.enumerated() {
            for bit in 0..<width where value & (1 << UInt32(bit)) != 0 {
                let position = index * width + bit
                packed[position >> 3] |= 1 << UInt8(position & 7)
            }
        }
        return header + packed
    }
}
