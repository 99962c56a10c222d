/// Writes a FlatBuffer (the encoding of Arrow's metadata) front to back: a table is laid out
/// behind its vtable, and what it points to (strings, vectors, other tables) after it, so
/// every offset points forward as the format requires. Only what Arrow's schema and message
/// tables use is here: scalars, strings, tables, vectors of tables and of inline structs.
struct FlatBufferBuilder {
    /// One field of a table, by field id; nil where the field is absent (its default).
    enum Field: Sendable {
        case bool(Bool)
        case uint8(UInt8)
        case int16(Int16)
        case int32(Int32)
        case int64(Int64)
        case string(String)
        case table(Table)
        case tables([Table])
        /// Inline structs of `size` bytes each (8-aligned), laid end to end in `bytes`.
        case structs(bytes: [UInt8], size: Int)
    }

    struct Table: Sendable {
        var fields: [Field?]
        init(_ fields: [Field?]) { self.fields = fields }
    }

    private var bytes: [UInt8] = []

    /// The finished buffer whose root is `root`.
    static func build(_ root: Table) -> [UInt8] {
        var builder = FlatBufferBuilder()
        builder.bytes = [0, 0, 0, 0]
        let position = builder.write(root)
        builder.patch(at: 0, pointingTo: position)
        builder.pad(to: 8)
        return builder.bytes
    }

    private mutating func pad(to alignment: Int) {
        while bytes.count % alignment != 0 { bytes.append(0) }
    }

    private mutating func append<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    private mutating func store<T: FixedWidthInteger>(_ value: T, at position: Int) {
        withUnsafeBytes(of: value.littleEndian) { raw in
            for (index, byte) in raw.enumerated() { bytes[position + index] = byte }
        }
    }

    /// Sets the offset at `position` to reach `target` (an unsigned offset counts from where it is stored).
    private mutating func patch(at position: Int, pointingTo target: Int) { store(UInt32(target - position), at: position) }

    private static func inlineSize(_ field: Field) -> Int {
        switch field {
        case .bool, .uint8: return 1
        case .int16: return 2
        case .int32, .string, .table, .tables, .structs: return 4
        case .int64: return 8
        }
    }

    /// Writes the table's vtable and the table, then what it points to; returns the table's position.
    private mutating func write(_ table: Table) -> Int {
        // Inline layout: the vtable offset, then the fields from widest to narrowest, each aligned.
        let present = table.fields.enumerated().compactMap { id, field in field.map { (id: id, field: $0) } }
            .sorted { Self.inlineSize($0.field) > Self.inlineSize($1.field) }
        var fieldOffsets = [Int](repeating: 0, count: table.fields.count)
        var size = 4
        for (id, field) in present {
            let width = Self.inlineSize(field)
            size = (size + width - 1) / width * width
            fieldOffsets[id] = size
            size += width
        }
        let alignment = present.contains { Self.inlineSize($0.field) == 8 } ? 8 : 4
        size = (size + alignment - 1) / alignment * alignment
        let vtableSize = 4 + 2 * table.fields.count
        // The vtable sits right before the table, which must start aligned.
        let vtableStart = (bytes.count + vtableSize + alignment - 1) / alignment * alignment - vtableSize
        bytes.append(contentsOf: repeatElement(0, count: vtableStart - bytes.count))
        append(UInt16(vtableSize))
        append(UInt16(size))
        for offset in fieldOffsets { append(UInt16(offset)) }
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: size))
        store(Int32(start - vtableStart), at: start)
        var pointers: [(position: Int, field: Field)] = []
        for (id, field) in present {
            let position = start + fieldOffsets[id]
            switch field {
            case .bool(let value): store(UInt8(value ? 1 : 0), at: position)
            case .uint8(let value): store(value, at: position)
            case .int16(let value): store(value, at: position)
            case .int32(let value): store(value, at: position)
            case .int64(let value): store(value, at: position)
            case .string, .table, .tables, .structs: pointers.append((position, field))
            }
        }
        for (position, field) in pointers.sorted(by: { $0.position < $1.position }) {
            patch(at: position, pointingTo: writeReferenced(field))
        }
        return start
    }

    /// Writes a string, a table or a vector; returns where its offset must point.
    private mutating func writeReferenced(_ field: Field) -> Int {
        switch field {
        case .string(let text):
            pad(to: 4)
            let start = bytes.count
            append(UInt32(text.utf8.count))
            bytes.append(contentsOf: text.utf8)
            bytes.append(0)
            return start
        case .table(let table):
            return write(table)
        case .tables(let tables):
            pad(to: 4)
            let start = bytes.count
            append(UInt32(tables.count))
            let slots = bytes.count
            bytes.append(contentsOf: repeatElement(0, count: 4 * tables.count))
            for (index, table) in tables.enumerated() {
                patch(at: slots + 4 * index, pointingTo: write(table))
            }
            return start
        case .structs(let data, let size):
            // The elements start 8-aligned, so the length before them sits 4 bytes earlier.
            while bytes.count % 8 != 4 { bytes.append(0) }
            let start = bytes.count
            append(UInt32(data.count / size))
            bytes.append(contentsOf: data)
            return start
        case .bool, .uint8, .int16, .int32, .int64:
            preconditionFailure("a scalar is stored inline")
        }
    }
}
