import CairnSupport

extension ArrowFileReader {
    /// One record batch's columns: a field node (length, null count) per column and its buffers,
    /// read column by column as the schema orders them.
    struct RecordBatch {
        let reader: ArrowFileReader
        let body: UnsafeRawBufferPointer
        let length: Int
        let nodes: [(length: Int, nulls: Int)]
        let buffers: [(offset: Int, length: Int)]
        /// Set when the batch's buffers are compressed (LZ4 frame or zstd).
        let compression: ArrowCompression?

        /// Which node and buffer the next column starts at.
        struct Cursor {
            var node = 0
            var buffer = 0
        }

        init(_ table: FlatBufferReader.Table, body: UnsafeRawBufferPointer, reader: ArrowFileReader) throws {
            self.reader = reader
            self.body = body
            length = Int(try table.scalar(0, default: Int64(0)))
            let metadata = table.reader
            nodes = try table.structs(1, size: 16).map { (Int(try metadata.load(Int64.self, at: $0)), Int(try metadata.load(Int64.self, at: $0 + 8))) }
            buffers = try table.structs(2, size: 16).map { (Int(try metadata.load(Int64.self, at: $0)), Int(try metadata.load(Int64.self, at: $0 + 8))) }
            guard length >= 0, length <= Int(Int32.max) else { throw reader.damaged("a record batch's row count \(length) is not possible") }
            if let settings = try table.table(3) {
                let code = try settings.scalar(0, default: Int8(0))
                guard let codec = ArrowFormat.Compression(rawValue: code) else { throw reader.damaged("its buffers are compressed with codec \(code)") }
                guard try settings.scalar(1, default: Int8(0)) == 0 else { throw reader.damaged("its buffers are compressed other than one by one") }
                compression = ArrowCompression(codec: codec)
            } else {
                compression = nil
            }
        }

        /// Buffer `index`'s bytes, checked to lie in the body.
        private func buffer(_ index: Int) throws -> UnsafeRawBufferPointer {
            guard index < buffers.count else { throw reader.damaged("a record batch has too few buffers") }
            let (offset, length) = buffers[index]
            guard offset >= 0, length >= 0, offset <= body.count, length <= body.count - offset else {
                throw reader.damaged("a buffer lies outside its message")
            }
            let stored = UnsafeRawBufferPointer(rebasing: body[offset..<(offset + length)])
            return try compression?.decompress(stored, damaged: reader.damaged) ?? stored
        }

        /// `count` values of `width` bytes from a buffer, widened by `convert`.
        private func values<T>(_ raw: UnsafeRawBufferPointer, count: Int, width: Int, _ convert: (UnsafeRawBufferPointer, Int) -> T) throws -> [T] {
            guard raw.count / width >= count else { throw reader.damaged("a buffer is shorter than its column") }
            return (0..<count).map { convert(raw, $0 * width) }
        }

        private func integers(_ raw: UnsafeRawBufferPointer, count: Int, bits: Int, signed: Bool, column: String) throws -> [Int64] {
            switch (bits, signed) {
            case (8, true): return try values(raw, count: count, width: 1) { Int64($0.load(fromByteOffset: $1, as: Int8.self)) }
            case (8, false): return try values(raw, count: count, width: 1) { Int64($0.load(fromByteOffset: $1, as: UInt8.self)) }
            case (16, true): return try values(raw, count: count, width: 2) { Int64(Int16(littleEndian: $0.loadUnaligned(fromByteOffset: $1, as: Int16.self))) }
            case (16, false): return try values(raw, count: count, width: 2) { Int64(UInt16(littleEndian: $0.loadUnaligned(fromByteOffset: $1, as: UInt16.self))) }
            case (32, true): return try values(raw, count: count, width: 4) { Int64(Int32(littleEndian: $0.loadUnaligned(fromByteOffset: $1, as: Int32.self))) }
            case (32, false): return try values(raw, count: count, width: 4) { Int64(UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: $1, as: UInt32.self))) }
            case (64, true):
                guard raw.count / 8 >= count else { throw reader.damaged("a buffer is shorter than its column") }
                return [Int64](unsafeUninitializedCapacity: count) { target, initialized in
                    UnsafeMutableRawBufferPointer(target).copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[0..<(count * 8)]))
                    initialized = count
                }
            default:
                let unsigned = try values(raw, count: count, width: 8) { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: $1, as: UInt64.self)) }
                guard let tooLarge = unsigned.firstIndex(where: { $0 > UInt64(Int64.max) }) else { return unsigned.map { Int64($0) } }
                throw CairnError(.invalidData, "\(reader.name): row \(tooLarge + 1) of column '\(column)' is \(unsigned[tooLarge]), more than an int64 holds")
            }
        }

        /// A bit-packed column as bools, eight at a time: each byte of the bitmap becomes the
        /// eight bytes `spread` holds for it.
        private func bits(_ raw: UnsafeRawBufferPointer, count: Int) throws -> [Bool] {
            guard raw.count >= (count + 7) / 8 else { throw reader.damaged("a bitmap is shorter than its column") }
            return [Bool](unsafeUninitializedCapacity: count) { target, initialized in
                let bytes = UnsafeMutableRawPointer(target.baseAddress!)
                for index in 0..<(count / 8) {
                    bytes.storeBytes(of: Self.spread[Int(raw[index])], toByteOffset: index * 8, as: UInt64.self)
                }
                for row in (count / 8 * 8)..<count {
                    bytes.storeBytes(of: raw[row >> 3] & (1 << UInt8(row & 7)) != 0, toByteOffset: row, as: Bool.self)
                }
                initialized = count
            }
        }

        /// For each byte, eight bytes of 0 or 1: bit `i` of the byte is byte `i` (little-endian).
        private static let spread: [UInt64] = (0..<256).map { (byte: Int) -> UInt64 in
            var word: UInt64 = 0
            for bit in 0..<8 where byte & (1 << bit) != 0 { word |= 1 << UInt64(bit * 8) }
            return word
        }

        /// A validity bitmap as it lies in the file: on a little-endian machine its bytes are the words' bytes.
        private func validity(_ raw: UnsafeRawBufferPointer, count: Int) throws -> Validity {
            let byteCount = (count + 7) / 8
            guard raw.count >= byteCount else { throw reader.damaged("a bitmap is shorter than its column") }
            var words = [UInt64](repeating: 0, count: (count + 63) / 64)
            words.withUnsafeMutableBytes { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[0..<byteCount])) }
            return Validity(words: words, count: count)
        }

        /// Passes over the next column without reading it.
        func skip(_ field: Field, at cursor: inout Cursor) {
            cursor.node += 1
            cursor.buffer += field.kind.bufferCount
        }

        /// The next column of the batch, as `field` describes it.
        func column(_ field: Field, at cursor: inout Cursor, dictionaries: [Int64: [String]]) throws -> Column {
            guard cursor.node < nodes.count else { throw reader.damaged("a record batch has too few columns") }
            let (rows, nulls) = nodes[cursor.node]
            guard rows == length, nulls >= 0, nulls <= rows else { throw reader.damaged("column '\(field.name)' has \(rows) rows in a batch of \(length)") }
            let first = cursor.buffer
            cursor.node += 1
            cursor.buffer += field.kind.bufferCount
            let bitmap = try buffer(first)
            var validity: Validity?
            if nulls > 0 {
                validity = try self.validity(bitmap, count: rows)
            }
            let values: Column.Values
            switch field.kind {
            case .int(let bits, let signed):
                values = .int64(try integers(try buffer(first + 1), count: rows, bits: bits, signed: signed, column: field.name))
            case .float(64):
                values = .float64(try self.values(try buffer(first + 1), count: rows, width: 8) { Double(bitPattern: UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: $1, as: UInt64.self))) })
            case .float:
                values = .float64(try self.values(try buffer(first + 1), count: rows, width: 4) { Double(Float(bitPattern: UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: $1, as: UInt32.self)))) })
            case .bool:
                values = .bool(try bits(try buffer(first + 1), count: rows))
            case .utf8(let large):
                let offsets = try integers(try buffer(first + 1), count: rows + 1, bits: large ? 64 : 32, signed: true, column: field.name)
                let text = try buffer(first + 2)
                guard offsets.first! >= 0, zip(offsets, offsets.dropFirst()).allSatisfy({ $0 <= $1 }), offsets.last! <= text.count else {
                    throw reader.damaged("the text offsets of column '\(field.name)' are out of order or past its end")
                }
                values = .string((0..<rows).map { String(decoding: text[Int(offsets[$0])..<Int(offsets[$0 + 1])], as: UTF8.self) })
            case .dictionary(let id, let bits, let signed):
                let categories = dictionaries[id] ?? []
                let indices = try integers(try buffer(first + 1), count: rows, bits: bits, signed: signed, column: field.name)
                var codes = [Int32](repeating: -1, count: rows)
                for row in 0..<rows where validity?[row] ?? true {
                    guard indices[row] >= 0, indices[row] < categories.count else {
                        throw reader.damaged("row \(row + 1) of column '\(field.name)' names category \(indices[row]) of \(categories.count)")
                    }
                    codes[row] = Int32(indices[row])
                }
                values = .categorical(codes: codes, categories: categories)
            }
            return Column(name: field.name, values: values, validity: validity)
        }
    }
}
