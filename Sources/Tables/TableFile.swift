import CairnSupport
import Crypto
import FoundationEssentials
import Glibc

// Buffers are written and read as they lie in memory; the format is little-endian.
#if !_endian(little)
#error("Cairn's table files are little-endian; this platform is not")
#endif

/// Cairn's binary table format, for artifacts passed between stages: a JSON header describing
/// the columns, then each column's buffers, 64-byte aligned, then a SHA-256 of everything before
/// it. Laid out in the README ("Table files") so that other programs can read it.
public enum TableFile {
    public static let magic = Array("CAIRNTBL".utf8)
    public static let version: UInt32 = 1
    static let alignment = 64

    /// Where a buffer lies, counted from the start of the data section.
    struct Extent: Codable {
        var offset: Int
        var length: Int
    }

    struct ColumnHeader: Codable {
        var name: String
        var type: ColumnType
        /// One bit per row, least significant bit first, set when the row has a value; absent when none is missing.
        var validity: Extent?
        /// float64: IEEE doubles; int64: two's complement; bool: one byte per row; categorical:
        /// int32 codes (-1 where missing); string: UTF-8 bytes of all rows one after another.
        var values: Extent
        /// string only: rows + 1 int64 byte offsets into `values`.
        var offsets: Extent?
        /// categorical only.
        var categories: [String]?
    }

    struct Header: Codable {
        var rows: Int
        var columns: [ColumnHeader]
    }

    /// True when the file starts with the table magic.
    public static func isTableFile(_ path: String) -> Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var start = [UInt8](repeating: 0, count: magic.count)
        return Glibc.read(fd, &start, magic.count) == magic.count && start == magic
    }

    // MARK: Writing

    /// A buffer to write: its length, and how to hand its bytes over (straight from the column's memory).
    private struct PendingBuffer {
        var length: Int
        var bytes: ((UnsafeRawBufferPointer) throws -> Void) throws -> Void
    }

    public static func write(_ table: Table, to path: String) throws {
        var buffers: [PendingBuffer] = []
        var extentEnd = 0
        func add<T>(_ values: [T]) -> Extent {
            let length = values.count * MemoryLayout<T>.stride
            let extent = Extent(offset: extentEnd, length: length)
            buffers.append(PendingBuffer(length: length) { emit in try values.withUnsafeBytes(emit) })
            extentEnd += padded(length)
            return extent
        }
        var columns: [ColumnHeader] = []
        for column in table.columns {
            let validity = column.validity.map { add($0.words) }
            var header = ColumnHeader(name: column.name, type: column.type, validity: validity, values: Extent(offset: 0, length: 0))
            switch column.values {
            case .float64(let values): header.values = add(values)
            case .int64(let values): header.values = add(values)
            case .bool(let values): header.values = add(values.map { $0 ? UInt8(1) : 0 })
            case .categorical(let codes, let categories):
                header.values = add(codes)
                header.categories = categories
            case .string(let values):
                var bytes: [UInt8] = []
                var offsets: [Int64] = [0]
                for value in values {
                    bytes += value.utf8
                    offsets.append(Int64(bytes.count))
                }
                header.values = add(bytes)
                header.offsets = add(offsets)
            }
            columns.append(header)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = Array(try encoder.encode(Header(rows: table.rowCount, columns: columns)))

        let file = try OutputFile(path)
        var hash = SHA256()
        func emit(_ bytes: UnsafeRawBufferPointer) throws {
            hash.update(bufferPointer: bytes)
            try file.write(raw: bytes)
        }
        func pad(_ length: Int) throws {
            try [UInt8](repeating: 0, count: padded(length) - length).withUnsafeBytes(emit)
        }
        try (magic + [version, UInt32(json.count)].withUnsafeBytes { Array($0) } + json).withUnsafeBytes(emit)
        try pad(16 + json.count)
        for buffer in buffers {
            try buffer.bytes(emit)
            try pad(buffer.length)
        }
        try Array(hash.finalize()).withUnsafeBytes(emit)
        try file.flush()
    }

    private static func padded(_ count: Int) -> Int { (count + alignment - 1) / alignment * alignment }

    // MARK: Reading

    /// Reads and checks a table file; `displayName` is the path shown in errors.
    public static func read(_ path: String, displayName: String? = nil) throws -> Table {
        let name = displayName ?? path
        let file = try FileContents(path)
        return try withExtendedLifetime(file) {
            let bytes = file.bytes
            func damaged(_ why: String) -> CairnError {
                CairnError(.invalidData, "\(name) is not a readable table file: \(why)")
            }
            guard bytes.count >= 16 + 32, Array(bytes.prefix(8)) == magic else { throw damaged("it does not start with CAIRNTBL") }
            let fileVersion = bytes.loadUnaligned(fromByteOffset: 8, as: UInt32.self).littleEndian
            guard fileVersion == version else { throw damaged("format version \(fileVersion); this cairn reads version \(version)") }
            let digest = Array(SHA256.hash(data: UnsafeRawBufferPointer(rebasing: bytes[..<(bytes.count - 32)])))
            guard digest == Array(bytes.suffix(32)) else { throw damaged("the checksum does not match (the file is damaged or truncated)") }
            let headerLength = Int(bytes.loadUnaligned(fromByteOffset: 12, as: UInt32.self).littleEndian)
            guard 16 + headerLength <= bytes.count - 32 else { throw damaged("the header runs past the end") }
            let header: Header
            do {
                header = try JSONDecoder().decode(Header.self, from: Data(bytes[16..<(16 + headerLength)]))
            } catch {
                throw damaged("the header is not valid (\(error))")
            }
            let data = padded(16 + headerLength)
            let dataEnd = bytes.count - 32
            // Every number in the header is checked without arithmetic that could overflow.
            guard header.rows >= 0, header.rows <= Int(Int32.max) else { throw damaged("the row count \(header.rows) is not possible") }
            func buffer(_ extent: Extent) throws -> UnsafeRawBufferPointer {
                guard extent.offset >= 0, extent.length >= 0, data <= dataEnd, extent.offset <= dataEnd - data,
                      extent.length <= dataEnd - data - extent.offset else {
                    throw damaged("a buffer lies outside the file")
                }
                return UnsafeRawBufferPointer(rebasing: bytes[(data + extent.offset)..<(data + extent.offset + extent.length)])
            }
            func array<T: BitwiseCopyable>(_ extent: Extent, _ type: T.Type, count: Int) throws -> [T] {
                let raw = try buffer(extent)
                guard raw.count == count * MemoryLayout<T>.stride else { throw damaged("a buffer has the wrong length") }
                return [T](unsafeUninitializedCapacity: count) { target, initialized in
                    UnsafeMutableRawBufferPointer(target).copyMemory(from: raw)
                    initialized = count
                }
            }
            let rows = header.rows
            let columns = try header.columns.map { column -> Column in
                let validity = try column.validity.map { Validity(words: try array($0, UInt64.self, count: (rows + 63) / 64), count: rows) }
                let values: Column.Values
                switch column.type {
                case .float64: values = .float64(try array(column.values, Double.self, count: rows))
                case .int64: values = .int64(try array(column.values, Int64.self, count: rows))
                case .bool: values = .bool(try array(column.values, UInt8.self, count: rows).map { $0 != 0 })
                case .categorical:
                    let categories = column.categories ?? []
                    let codes = try array(column.values, Int32.self, count: rows)
                    guard codes.allSatisfy({ $0 >= -1 && $0 < categories.count }) else { throw damaged("a category code is out of range") }
                    values = .categorical(codes: codes, categories: categories)
                case .string:
                    guard let offsetsExtent = column.offsets else { throw damaged("string column '\(column.name)' has no offsets") }
                    let text = try buffer(column.values)
                    let offsets = try array(offsetsExtent, Int64.self, count: rows + 1).map(Int.init)
                    guard offsets.first! >= 0, zip(offsets, offsets.dropFirst()).allSatisfy({ $0 <= $1 }), offsets.last! <= text.count else {
                        throw damaged("string offsets are out of order")
                    }
                    values = .string((0..<rows).map { String(decoding: text[offsets[$0]..<offsets[$0 + 1]], as: UTF8.self) })
                }
                return Column(name: column.name, values: values, validity: validity)
            }
            return try Table(columns: columns)
        }
    }
}
