import CairnSupport

/// Unsigned LEB128 varints, which Thrift's compact protocol and Parquet's RLE/bit-packed
/// hybrid both use: seven bits a byte, least significant first.
enum VarInt {
    /// The varint at `offset`, moving `offset` past it.
    static func read(_ bytes: UnsafeRawBufferPointer, at offset: inout Int, damaged: (String) -> CairnError) throws -> UInt64 {
        var result: UInt64 = 0
        for shift in stride(from: 0, to: 64, by: 7) {
            guard offset < bytes.count else { throw damaged("it ends inside a number") }
            let byte = bytes[offset]
            offset += 1
            result |= UInt64(byte & 0x7F) << UInt64(shift)
            if byte & 0x80 == 0 { return result }
        }
        throw damaged("it holds a number longer than 64 bits")
    }

    static func append(_ value: UInt64, to bytes: inout [UInt8]) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(rest & 0x7F) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    /// A signed number, zigzag-mapped first (0, -1, 1, -2 … become 0, 1, 2, 3 …).
    static func appendZigzag(_ value: Int64, to bytes: inout [UInt8]) { append(UInt64(bitPattern: value << 1 ^ (value >> 63)), to: &bytes) }
}
