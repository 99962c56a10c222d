import CairnSupport

/// A value in Thrift's compact protocol, the encoding of Parquet's footer and page headers,
/// read without a schema (fields by id), with every length and the nesting depth checked:
/// a damaged or hostile footer is an error, never a crash.
enum ThriftValue {
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case binary([UInt8])
    case list([ThriftValue])
    case structure([Int16: ThriftValue])

    /// Field `id` of a struct.
    subscript(_ id: Int16) -> ThriftValue? {
        if case .structure(let fields) = self { return fields[id] }
        return nil
    }

    var int: Int? { if case .int(let value) = self { Int(exactly: value) } else { nil } }
    var bool: Bool? { if case .bool(let value) = self { value } else { nil } }
    var string: String? { if case .binary(let bytes) = self { String(decoding: bytes, as: UTF8.self) } else { nil } }
    var list: [ThriftValue] { if case .list(let values) = self { values } else { [] } }

    /// Reads one struct from `bytes` at `position`, moving `position` past it.
    static func readStruct(_ bytes: UnsafeRawBufferPointer, at position: inout Int, damaged: (String) -> CairnError) throws -> ThriftValue {
        try withoutActuallyEscaping(damaged) { damaged in
            var reader = Reader(bytes: bytes, position: position, damaged: damaged)
            let value = try reader.structure(depth: 0)
            position = reader.position
            return value
        }
    }

    private struct Reader {
        let bytes: UnsafeRawBufferPointer
        var position: Int
        let damaged: (String) -> CairnError

        mutating func byte() throws -> UInt8 {
            guard position < bytes.count else { throw damaged("its metadata ends early") }
            defer { position += 1 }
            return bytes[position]
        }

        mutating func varint() throws -> UInt64 { try VarInt.read(bytes, at: &position, damaged: damaged) }

        mutating func zigzag() throws -> Int64 {
            let raw = try varint()
            return Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
        }

        mutating func structure(depth: Int) throws -> ThriftValue {
            guard depth < 32 else { throw damaged("its metadata nests deeper than Parquet's does") }
            var fields: [Int16: ThriftValue] = [:]
            var id: Int16 = 0
            while true {
                let header = try byte()
                let type = header & 0x0F
                if type == 0 { return .structure(fields) }
                let delta = Int16(header >> 4)
                if delta == 0 {
                    guard let explicit = Int16(exactly: try zigzag()) else { throw damaged("its metadata has a field id out of range") }
                    id = explicit
                } else {
                    id &+= delta
                }
                fields[id] = try value(type: type, depth: depth)
            }
        }

        mutating func value(type: UInt8, depth: Int) throws -> ThriftValue {
            switch type {
            case 1: return .bool(true)
            case 2: return .bool(false)
            case 3: return .int(Int64(Int8(bitPattern: try byte())))
            case 4, 5, 6: return .int(try zigzag())
            case 7:
                guard position <= bytes.count - 8 else { throw damaged("its metadata ends early") }
                defer { position += 8 }
                return .double(Double(bitPattern: (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[position + $1]) << UInt64(8 * $1) }))
            case 8:
                let length = try varint()
                guard length <= UInt64(bytes.count - position) else { throw damaged("its metadata holds a string past its end") }
                defer { position += Int(length) }
                return .binary(Array(bytes[position..<(position + Int(length))]))
            case 9, 10:
                let header = try byte()
                var count = UInt64(header >> 4)
                if count == 15 { count = try varint() }
                guard count <= UInt64(bytes.count - position) else { throw damaged("its metadata holds a list longer than itself") }
                let element = header & 0x0F
                return .list(try (0..<Int(count)).map { _ in
                    // In a list a bool is a byte of its own: 1 true, anything else false.
                    element == 1 || element == 2 ? .bool(try byte() == 1) : try value(type: element, depth: depth + 1)
                })
            case 11:
                let count = try varint()
                guard count == 0 else { throw damaged("its metadata holds a map, which Parquet's footer does not") }
                return .list([])
            case 12:
                return try structure(depth: depth + 1)
            default:
                throw damaged("its metadata holds a value of unknown type \(type)")
            }
        }
    }
}
