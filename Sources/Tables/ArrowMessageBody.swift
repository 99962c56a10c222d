/// One Arrow message's body as it is written: its buffers in order, each handed over straight
/// from a column's memory where it can be, with the offset and length each has in the body.
struct ArrowMessageBody {
    var buffers: [(length: Int, bytes: ((UnsafeRawBufferPointer) throws -> Void) throws -> Void)] = []
    var extents: [(offset: Int, length: Int)] = []
    var length = 0

    /// `values[range]` as they lie in memory; `byteCount` cuts the last element short (bitmaps).
    mutating func add<T>(_ values: [T], range: Range<Int>, byteCount: Int? = nil) {
        let stride = MemoryLayout<T>.stride
        let count = byteCount ?? range.count * stride
        buffers.append((count, { emit in
            try values.withUnsafeBytes { try emit(UnsafeRawBufferPointer(rebasing: $0[(range.lowerBound * stride)..<(range.lowerBound * stride + count)])) }
        }))
        extents.append((length, count))
        length += ArrowFormat.padded(count)
    }

    mutating func add<T>(_ values: [T], byteCount: Int) { add(values, range: 0..<values.count, byteCount: byteCount) }

    mutating func addNone() { extents.append((length, 0)) }

    /// The validity bits of `rows` (which start at a multiple of 8), bits past them cleared.
    mutating func add(validity: Validity?, rows: Range<Int>) {
        guard let validity else { return addNone() }
        precondition(rows.lowerBound % 8 == 0)
        var bytes = [UInt8](repeating: 0, count: (rows.count + 7) / 8)
        validity.words.withUnsafeBytes { words in
            for index in bytes.indices { bytes[index] = words[rows.lowerBound / 8 + index] }
        }
        if rows.count % 8 != 0 { bytes[bytes.count - 1] &= UInt8((1 << (rows.count % 8)) - 1) }
        add(bytes, byteCount: bytes.count)
    }

    /// `strings[range]` as utf8 (int32 offsets) or, past 2 GiB, large_utf8 (int64 offsets); returns which.
    mutating func add(strings: [String], range: Range<Int>) -> ArrowFormat.TypeID {
        var bytes: [UInt8] = []
        var offsets: [Int] = [0]
        offsets.reserveCapacity(range.count + 1)
        for value in strings[range] {
            bytes += value.utf8
            offsets.append(bytes.count)
        }
        if bytes.count <= Int(Int32.max) {
            let narrow = offsets.map { Int32($0) }
            add(narrow, range: 0..<narrow.count)
            add(bytes, range: 0..<bytes.count)
            return .utf8
        }
        let wide = offsets.map { Int64($0) }
        add(wide, range: 0..<wide.count)
        add(bytes, range: 0..<bytes.count)
        return .largeUtf8
    }
}
