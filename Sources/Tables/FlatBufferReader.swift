import CairnSupport

/// Reads a FlatBuffer that may be hostile (an Arrow file's metadata): every offset is checked
/// against the buffer before it is followed, so a damaged file is an error, never a crash.
struct FlatBufferReader {
    let bytes: UnsafeRawBufferPointer
    /// Makes the error for a structure that does not hold together.
    let damaged: (String) -> CairnError

    /// The root table.
    func root() throws -> Table { try Table(self, at: try offset(at: 0)) }

    func load<T: FixedWidthInteger>(_ type: T.Type, at position: Int) throws -> T {
        guard position >= 0, position <= bytes.count - MemoryLayout<T>.size else { throw damaged("metadata points outside itself") }
        return T(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: T.self))
    }

    /// Where the unsigned offset stored at `position` points.
    func offset(at position: Int) throws -> Int {
        let target = position + Int(try load(UInt32.self, at: position))
        guard target < bytes.count else { throw damaged("metadata points outside itself") }
        return target
    }

    /// A vector's element count and where its elements start; `width`: bytes per element.
    func vector(at position: Int, width: Int) throws -> (start: Int, count: Int) {
        let count = Int(try load(UInt32.self, at: position))
        guard count <= (bytes.count - position - 4) / width else { throw damaged("a metadata vector runs past its end") }
        return (position + 4, count)
    }

    struct Table {
        let reader: FlatBufferReader
        let position: Int
        private let vtable: Int
        private let vtableSize: Int

        init(_ reader: FlatBufferReader, at position: Int) throws {
            self.reader = reader
            self.position = position
            vtable = position - Int(try reader.load(Int32.self, at: position))
            vtableSize = Int(try reader.load(UInt16.self, at: vtable))
            guard vtableSize >= 4, vtableSize % 2 == 0, vtable <= reader.bytes.count - vtableSize else { throw reader.damaged("a metadata table is malformed") }
        }

        /// Where field `id` lies, or nil when it is absent.
        private func field(_ id: Int) throws -> Int? {
            let entry = 4 + 2 * id
            guard entry < vtableSize else { return nil }
            let offset = Int(try reader.load(UInt16.self, at: vtable + entry))
            return offset == 0 ? nil : position + offset
        }

        func scalar<T: FixedWidthInteger>(_ id: Int, default value: T) throws -> T {
            try field(id).map { try reader.load(T.self, at: $0) } ?? value
        }

        func bool(_ id: Int) throws -> Bool { try scalar(id, default: UInt8(0)) != 0 }

        func table(_ id: Int) throws -> Table? {
            try field(id).map { try Table(reader, at: try reader.offset(at: $0)) }
        }

        func string(_ id: Int) throws -> String? {
            guard let position = try field(id) else { return nil }
            let (start, count) = try reader.vector(at: try reader.offset(at: position), width: 1)
            return String(decoding: UnsafeRawBufferPointer(rebasing: reader.bytes[start..<(start + count)]), as: UTF8.self)
        }

        func tables(_ id: Int) throws -> [Table] {
            guard let position = try field(id) else { return [] }
            let (start, count) = try reader.vector(at: try reader.offset(at: position), width: 4)
            return try (0..<count).map { try Table(reader, at: try reader.offset(at: start + 4 * $0)) }
        }

        /// The element positions of a vector of inline structs of `size` bytes.
        func structs(_ id: Int, size: Int) throws -> [Int] {
            guard let position = try field(id) else { return [] }
            let (start, count) = try reader.vector(at: try reader.offset(at: position), width: size)
            return (0..<count).map { start + size * $0 }
        }
    }
}
