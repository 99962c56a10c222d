import CairnSupport

/// One flat column of one row group of a Parquet file: its pages (a dictionary page, then data
/// pages v1 or v2) decoded into values and the rows that have none.
struct ParquetColumnChunk {
    /// How a column's stored values become a Cairn column's values.
    enum Kind: Equatable {
        case bool, int32, int64, float, double, text
        /// INT32 holding an unsigned 32-bit integer, read as int64.
        case uint32
        /// INT32 days since 1970-01-01, read as ISO text (`2024-01-31`).
        case date
        /// INT64 counts of `perSecond` since 1970-01-01 UTC, read as ISO text (`2024-01-31T12:00:00.5Z`).
        case timestamp(perSecond: Int64)
    }

    /// The decoded values of the rows that have one, in the type they are stored as.
    enum Values {
        case bool([Bool])
        case int([Int64])
        case double([Double])
        case text([String])

        var count: Int {
            switch self {
            case .bool(let v): v.count
            case .int(let v): v.count
            case .double(let v): v.count
            case .text(let v): v.count
            }
        }

        /// Appends in place: each case takes its array out first, so that it is not copied.
        mutating func append(_ other: Values) {
            switch (self, other) {
            case (.bool(var a), .bool(let b)): self = .bool([]); a += b; self = .bool(a)
            case (.int(var a), .int(let b)): self = .bool([]); a += b; self = .int(a)
            case (.double(var a), .double(let b)): self = .bool([]); a += b; self = .double(a)
            case (.text(var a), .text(let b)): self = .bool([]); a += b; self = .text(a)
            default: break
            }
        }

        /// These values at the positions `indices` give (a dictionary's values, by index).
        func gathering(_ indices: [Int], damaged: (String) -> CairnError) throws -> Values {
            guard indices.allSatisfy({ $0 >= 0 && $0 < count }) else { throw damaged("a dictionary index is out of range") }
            switch self {
            case .bool(let v): return .bool(indices.map { v[$0] })
            case .int(let v): return .int(indices.map { v[$0] })
            case .double(let v): return .double(indices.map { v[$0] })
            case .text(let v): return .text(indices.map { v[$0] })
            }
        }
    }

    let kind: Kind
    let optional: Bool
    let codec: ParquetCompression
    /// The file and the column, for messages.
    let file: String
    let column: String

    func damaged(_ why: String) -> CairnError { CairnError(.invalidData, "\(file): column '\(column)': \(why)") }

    /// The chunk's values for the rows that have one, and for every row whether it has one.
    func read(_ file: UnsafeRawBufferPointer, from start: Int, valueCount: Int) throws -> (values: Values, present: [Bool]) {
        var position = start
        var dictionary: Values?
        var values = empty
        var present: [Bool] = []
        while present.count < valueCount {
            let header = try ThriftValue.readStruct(file, at: &position, damaged: damaged)
            let type = header[1]?.int ?? -1
            let size = header[2]?.int ?? -1
            let stored = header[3]?.int ?? -1
            guard stored >= 0, stored <= file.count - position else { throw damaged("a page lies outside the file") }
            let page = UnsafeRawBufferPointer(rebasing: file[position..<(position + stored)])
            position += stored
            switch type {
            case 2:  // DICTIONARY_PAGE
                let count = header[7]?[1]?.int ?? 0
                let bytes = try codec.decompress(page, size: size, damaged: damaged)
                dictionary = try bytes.withUnsafeBytes { try plain($0, count: count).values }
            case 0:  // DATA_PAGE
                guard let data = header[5] else { throw damaged("a data page has no header") }
                let rows = data[1]?.int ?? 0
                let bytes = try codec.decompress(page, size: size, damaged: damaged)
                try bytes.withUnsafeBytes { raw in
                    var offset = 0
                    let levels = try definitionLevels(raw, at: &offset, rows: rows, prefixed: true, length: nil)
                    let valued = levels.filter { $0 }.count
                    values.append(try decode(UnsafeRawBufferPointer(rebasing: raw[offset...]), encoding: data[2]?.int ?? 0, count: valued, dictionary: dictionary))
                    present += levels
                }
            case 3:  // DATA_PAGE_V2
                guard let data = header[8] else { throw damaged("a data page has no header") }
                let rows = data[1]?.int ?? 0
                let levelBytes = data[5]?.int ?? 0
                guard data[6]?.int ?? 0 == 0 else { throw damaged("a flat column has repetition levels") }
                guard levelBytes >= 0, levelBytes <= page.count else { throw damaged("a page's levels lie outside it") }
                var offset = 0
                let levels = try definitionLevels(page, at: &offset, rows: rows, prefixed: false, length: levelBytes)
                let rest = UnsafeRawBufferPointer(rebasing: page[levelBytes...])
                let compressed = data[7]?.bool ?? true
                let bytes = compressed ? try codec.decompress(rest, size: size - levelBytes, damaged: damaged) : Array(rest)
                let valued = levels.filter { $0 }.count
                values.append(try bytes.withUnsafeBytes { try decode($0, encoding: data[4]?.int ?? 0, count: valued, dictionary: dictionary) })
                present += levels
            default:
                continue  // an index page: nothing to read
            }
        }
        guard present.count == valueCount else { throw damaged("a column chunk holds more values than its metadata says") }
        return (values, present)
    }

    private var empty: Values {
        switch kind {
        case .bool: .bool([])
        case .int32, .uint32, .int64, .date, .timestamp: .int([])
        case .float, .double: .double([])
        case .text: .text([])
        }
    }

    /// Whether each of `rows` rows has a value: all, for a required column; else the
    /// definition levels (RLE/bit-packed, bit width 1), after a 4-byte length in a v1 page.
    private func definitionLevels(_ raw: UnsafeRawBufferPointer, at offset: inout Int, rows: Int, prefixed: Bool, length: Int?) throws -> [Bool] {
        guard rows >= 0, rows <= 1 << 31 else { throw damaged("a page claims \(rows) rows") }
        guard optional else { return [Bool](repeating: true, count: rows) }
        var byteCount = length ?? 0
        if prefixed {
            guard raw.count >= 4 else { throw damaged("a page ends before its levels") }
            byteCount = Int(UInt32(littleEndian: raw.loadUnaligned(as: UInt32.self)))
            offset = 4
        }
        guard byteCount <= raw.count - offset else { throw damaged("a page's levels lie outside it") }
        let levels = try Self.hybrid(UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + byteCount)]), bitWidth: 1, count: rows, damaged: damaged)
        offset += byteCount
        return levels.map { $0 == 1 }
    }

    /// A page's `count` values, PLAIN or dictionary indices (RLE_DICTIONARY, PLAIN_DICTIONARY).
    private func decode(_ raw: UnsafeRawBufferPointer, encoding: Int, count: Int, dictionary: Values?) throws -> Values {
        switch encoding {
        case 0:
            return try plain(raw, count: count).values
        case 3 where kind == .bool:
            // RLE booleans (data pages v2): a 4-byte length, then runs and groups of bit width 1.
            guard raw.count >= 4 else { throw damaged("a page ends before its values") }
            let length = Int(UInt32(littleEndian: raw.loadUnaligned(as: UInt32.self)))
            guard length <= raw.count - 4 else { throw damaged("a page's values lie outside it") }
            return .bool(try Self.hybrid(UnsafeRawBufferPointer(rebasing: raw[4..<(4 + length)]), bitWidth: 1, count: count, damaged: damaged).map { $0 == 1 })
        case 2, 8:
            guard let dictionary else { throw damaged("a page uses a dictionary the column does not have") }
            guard count > 0 else { return empty }
            guard let width = raw.first, width <= 32 else { throw damaged("a page's dictionary indices have a wrong bit width") }
            let indices = try Self.hybrid(UnsafeRawBufferPointer(rebasing: raw[1...]), bitWidth: Int(width), count: count, damaged: damaged)
            return try dictionary.gathering(indices.map(Int.init), damaged: damaged)
        default:
            let names = [3: "RLE", 4: "BIT_PACKED", 5: "DELTA_BINARY_PACKED", 6: "DELTA_LENGTH_BYTE_ARRAY", 7: "DELTA_BYTE_ARRAY", 9: "BYTE_STREAM_SPLIT"]
            throw CairnError(.invalidData, "\(file): column '\(column)': a page is encoded \(names[encoding] ?? "with encoding \(encoding)"), which Cairn does not read",
                             hint: "Cairn reads PLAIN and dictionary-encoded pages, what pyarrow, polars and DuckDB write by default")
        }
    }

    /// `count` PLAIN values, and how many bytes they took.
    private func plain(_ raw: UnsafeRawBufferPointer, count: Int) throws -> (values: Values, length: Int) {
        guard count >= 0 else { throw damaged("a page claims a negative count") }
        func fixed<T>(_ width: Int, _ load: (Int) -> T) throws -> [T] {
            guard raw.count / width >= count else { throw damaged("a page is shorter than its values") }
            return (0..<count).map { load($0 * width) }
        }
        switch kind {
        case .bool:
            guard raw.count >= (count + 7) / 8 else { throw damaged("a page is shorter than its values") }
            return (.bool((0..<count).map { raw[$0 >> 3] & (1 << UInt8($0 & 7)) != 0 }), (count + 7) / 8)
        case .int32, .uint32, .date:
            return (.int(try fixed(4) { Int64(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: $0, as: Int32.self))) }), count * 4)
        case .int64, .timestamp:
            return (.int(try fixed(8) { Int64(littleEndian: raw.loadUnaligned(fromByteOffset: $0, as: Int64.self)) }), count * 8)
        case .float:
            return (.double(try fixed(4) { Double(Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0, as: UInt32.self)))) }), count * 4)
        case .double:
            return (.double(try fixed(8) { Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: $0, as: UInt64.self))) }), count * 8)
        case .text:
            var texts: [String] = []
            texts.reserveCapacity(min(count, raw.count / 4))
            var offset = 0
            for _ in 0..<count {
                guard raw.count - offset >= 4 else { throw damaged("a page is shorter than its values") }
                let length = Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
                offset += 4
                guard length <= raw.count - offset else { throw damaged("a text value runs past its page") }
                texts.append(String(decoding: UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + length)]), as: UTF8.self))
                offset += length
            }
            return (.text(texts), offset)
        }
    }

    /// Parquet's RLE/bit-packed hybrid: runs of one value, and groups of eight bit-packed values.
    static func hybrid(_ raw: UnsafeRawBufferPointer, bitWidth: Int, count: Int, damaged: (String) -> CairnError) throws -> [UInt32] {
        var output: [UInt32] = []
        output.reserveCapacity(count)
        var offset = 0
        let valueBytes = (bitWidth + 7) / 8
        while output.count < count {
            let header = try VarInt.read(raw, at: &offset, damaged: damaged)
            if header & 1 == 0 {
                let run = min(Int(clamping: header >> 1), count - output.count)
                guard valueBytes <= raw.count - offset else { throw damaged("a page's levels or indices end early") }
                var value: UInt32 = 0
                for index in 0..<valueBytes { value |= UInt32(raw[offset + index]) << UInt32(8 * index) }
                offset += valueBytes
                output.append(contentsOf: repeatElement(value, count: run))
            } else {
                let groups = Int(clamping: header >> 1)
                guard groups <= (raw.count - offset) / max(bitWidth, 1) || bitWidth == 0 else { throw damaged("a page's levels or indices end early") }
                let values = min(groups * 8, count - output.count)
                // Bits are taken least significant first, through a 64-bit buffer filled a byte at a time.
                let mask: UInt64 = (1 << UInt64(bitWidth)) - 1
                var buffer: UInt64 = 0, buffered = 0, next = offset
                for _ in 0..<values {
                    while buffered < bitWidth {
                        buffer |= UInt64(raw[next]) << UInt64(buffered)
                        next += 1
                        buffered += 8
                    }
                    output.append(UInt32(buffer & mask))
                    buffer >>= UInt64(bitWidth)
                    buffered -= bitWidth
                }
                offset += groups * bitWidth
            }
        }
        return output
    }
}
