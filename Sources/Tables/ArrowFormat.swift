/// The numbers of the Arrow columnar format's IPC metadata (Schema.fbs, Message.fbs, File.fbs)
/// that Cairn's table files use, and the metadata tables it writes.
enum ArrowFormat {
    static let magic = Array("ARROW1".utf8)
    /// MetadataVersion V5.
    static let metadataVersion: Int16 = 4
    /// Messages start with this, then the metadata's length.
    static let continuation: UInt32 = 0xFFFF_FFFF
    /// Arrow asks for 8-byte alignment and recommends 64, which lets any SIMD width load a buffer.
    static let alignment = 64

    /// `MessageHeader`'s union.
    enum MessageKind: UInt8 { case schema = 1, dictionaryBatch = 2, recordBatch = 3 }

    /// `Type`'s union, the members Cairn reads or writes.
    enum TypeID: UInt8 {
        case null = 1, int = 2, floatingPoint = 3, binary = 4, utf8 = 5, bool = 6, decimal = 7, date = 8, time = 9, timestamp = 10
        case interval = 11, list = 12, structType = 13, union = 14, fixedSizeBinary = 15, fixedSizeList = 16, map = 17
        case duration = 18, largeBinary = 19, largeUtf8 = 20, largeList = 21
    }

    /// `Precision` of FloatingPoint.
    enum Precision: Int16 { case half = 0, single = 1, double = 2 }

    /// `CompressionType` of BodyCompression.
    enum Compression: Int8 { case lz4Frame = 0, zstd = 1 }

    typealias Builder = FlatBufferBuilder

    /// `Field { name, nullable, type_type, type, dictionary, children, custom_metadata }`.
    static func field(name: String, type: TypeID, _ typeTable: Builder.Table, dictionary: Builder.Table? = nil) -> Builder.Table {
        Builder.Table([.string(name), .bool(true), .uint8(type.rawValue), .table(typeTable), dictionary.map { .table($0) }, .tables([])])
    }

    /// `Int { bitWidth, is_signed }`.
    static func int(bits: Int32) -> Builder.Table { Builder.Table([.int32(bits), .bool(true)]) }

    /// `FloatingPoint { precision }`.
    static let double = Builder.Table([.int16(Precision.double.rawValue)])

    /// Bool, Utf8, LargeUtf8: tables without fields.
    static let empty = Builder.Table([])

    /// `DictionaryEncoding { id, indexType, isOrdered, dictionaryKind }`.
    static func dictionary(id: Int64) -> Builder.Table { Builder.Table([.int64(id), .table(int(bits: 32)), .bool(false)]) }

    /// `KeyValue { key, value }`.
    static func keyValue(_ key: String, _ value: String) -> Builder.Table { Builder.Table([.string(key), .string(value)]) }

    /// `Schema { endianness, fields, custom_metadata, features }`, little-endian.
    static func schema(_ fields: [Builder.Table], metadata: [(String, String)]) -> Builder.Table {
        Builder.Table([.int16(0), .tables(fields), .tables(metadata.map { keyValue($0.0, $0.1) })])
    }

    /// `RecordBatch { length, nodes: [FieldNode], buffers: [Buffer] }`, uncompressed.
    static func recordBatch(length: Int, nodes: [(length: Int, nulls: Int)], buffers: [(offset: Int, length: Int)]) -> Builder.Table {
        Builder.Table([.int64(Int64(length)), .structs(bytes: int64s(nodes.flatMap { [$0.length, $0.nulls] }), size: 16),
                       .structs(bytes: int64s(buffers.flatMap { [$0.offset, $0.length] }), size: 16)])
    }

    /// `DictionaryBatch { id, data, isDelta }`.
    static func dictionaryBatch(id: Int64, _ data: Builder.Table) -> Builder.Table { Builder.Table([.int64(id), .table(data)]) }

    /// `Message { version, header_type, header, bodyLength, custom_metadata }`.
    static func message(_ kind: MessageKind, _ header: Builder.Table, bodyLength: Int) -> Builder.Table {
        Builder.Table([.int16(metadataVersion), .uint8(kind.rawValue), .table(header), .int64(Int64(bodyLength))])
    }

    /// `Footer { version, schema, dictionaries: [Block], recordBatches: [Block] }`.
    static func footer(schema: Builder.Table, dictionaries: [Block], recordBatches: [Block]) -> Builder.Table {
        func blocks(_ blocks: [Block]) -> Builder.Field {
            .structs(bytes: blocks.flatMap { int64s([$0.offset]) + int32s([$0.metadataLength, 0]) + int64s([$0.bodyLength]) }, size: 24)
        }
        return Builder.Table([.int16(metadataVersion), .table(schema), blocks(dictionaries), blocks(recordBatches)])
    }

    /// Where a message lies in the file: `Block { offset: long, metaDataLength: int, bodyLength: long }`.
    struct Block {
        var offset: Int
        var metadataLength: Int32
        var bodyLength: Int
    }

    /// Bools packed eight to a byte, least significant bit first.
    static func bitmap(_ values: some Collection<Bool>) -> [UInt64] {
        var words = [UInt64](repeating: 0, count: (values.count + 63) / 64)
        for (row, value) in values.enumerated() where value { words[row >> 6] |= 1 << UInt64(row & 63) }
        return words
    }

    static func int64s(_ values: [Int]) -> [UInt8] { values.flatMap { withUnsafeBytes(of: Int64($0).littleEndian, Array.init) } }
    static func int32s(_ values: [Int32]) -> [UInt8] { values.flatMap { withUnsafeBytes(of: $0.littleEndian, Array.init) } }

    static func padded(_ count: Int, to alignment: Int = alignment) -> Int { (count + alignment - 1) / alignment * alignment }
}
