/// Writes Thrift's compact protocol, for Parquet's footer and page headers: each value says its
/// Thrift type, as readers of Parquet check.
enum ThriftField {
    case bool(Bool)
    case i32(Int32)
    case i64(Int64)
    case binary([UInt8])
    /// A list of values of one type, given by its compact type code (5 i32, 8 binary, 12 struct).
    case list(elementType: UInt8, [ThriftField])
    /// Fields by id, written in increasing order.
    case structure([(id: Int16, value: ThriftField)])

    static func string(_ text: String) -> ThriftField { .binary(Array(text.utf8)) }

    private var typeCode: UInt8 {
        switch self {
        case .bool(let value): value ? 1 : 2
        case .i32: 5
        case .i64: 6
        case .binary: 8
        case .list: 9
        case .structure: 12
        }
    }

    /// The bytes of this struct.
    var encoded: [UInt8] {
        var bytes: [UInt8] = []
        write(to: &bytes)
        return bytes
    }

    private func write(to bytes: inout [UInt8]) {
        switch self {
        case .bool(let value): bytes.append(value ? 1 : 2)  // inside a list; a field's bool is in its header
        case .i32(let value): VarInt.appendZigzag(Int64(value), to: &bytes)
        case .i64(let value): VarInt.appendZigzag(value, to: &bytes)
        case .binary(let data):
            VarInt.append(UInt64(data.count), to: &bytes)
            bytes += data
        case .list(let elementType, let values):
            if values.count < 15 {
                bytes.append(UInt8(values.count) << 4 | elementType)
            } else {
                bytes.append(0xF0 | elementType)
                VarInt.append(UInt64(values.count), to: &bytes)
            }
            for value in values { value.write(to: &bytes) }
        case .structure(let fields):
            var last: Int16 = 0
            for (id, value) in fields.sorted(by: { $0.id < $1.id }) {
                let delta = id - last
                if delta > 0 && delta <= 15 {
                    bytes.append(UInt8(delta) << 4 | value.typeCode)
                } else {
                    bytes.append(value.typeCode)
                    VarInt.appendZigzag(Int64(id), to: &bytes)
                }
                if case .bool = value {} else { value.write(to: &bytes) }
                last = id
            }
            bytes.append(0)
        }
    }
}
