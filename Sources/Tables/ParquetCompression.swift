import CSnappy
import CZlib
import CZstd
import CairnSupport

/// Parquet's page codecs that Cairn reads: snappy, gzip and zstd (Debian's libsnappy, zlib and
/// libzstd); a page's header gives the size it must come out as, which is checked.
enum ParquetCompression: Int {
    case uncompressed = 0, snappy = 1, gzip = 2, zstd = 6

    static let names = [0: "uncompressed", 1: "snappy", 2: "gzip", 3: "LZO", 4: "brotli", 5: "LZ4 (Hadoop)", 6: "zstd", 7: "LZ4 raw"]

    /// `page` decompressed to exactly `size` bytes.
    func decompress(_ page: UnsafeRawBufferPointer, size: Int, damaged: (String) -> CairnError) throws -> [UInt8] {
        guard size >= 0, size <= 1 << 31 else { throw damaged("a page claims \(size) bytes") }
        if self == .uncompressed {
            guard page.count == size else { throw damaged("an uncompressed page's sizes differ") }
            return Array(page)
        }
        var produced = 0
        // Not zeroed first: the codec writes every byte, and `produced` is checked below.
        let output = try [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            let target = UnsafeMutableRawBufferPointer(buffer)
            produced = try decode(page, into: target, size: size, damaged: damaged)
            initialized = produced == size ? size : 0
        }
        guard produced == size else { throw damaged("a page holds \(produced) bytes, not the \(size) its header gives") }
        return output
    }

    private func decode(_ page: UnsafeRawBufferPointer, into target: UnsafeMutableRawBufferPointer, size: Int, damaged: (String) -> CairnError) throws -> Int {
        switch self {
        case .snappy:
            var length = size
            let status = snappy_uncompress(page.baseAddress?.assumingMemoryBound(to: CChar.self), page.count,
                                           target.baseAddress?.assumingMemoryBound(to: CChar.self), &length)
            guard status == SNAPPY_OK else { throw damaged("a snappy page does not decompress") }
            return length
        case .zstd:
            let result = ZSTD_decompress(target.baseAddress, size, page.baseAddress, page.count)
            guard ZSTD_isError(result) == 0 else { throw damaged("a zstd page does not decompress (\(String(cString: ZSTD_getErrorName(result))))") }
            return result
        case .gzip:
            var stream = z_stream()
            stream.next_in = UnsafeMutablePointer(mutating: page.baseAddress?.assumingMemoryBound(to: Bytef.self))
            stream.avail_in = uInt(page.count)
            stream.next_out = target.baseAddress?.assumingMemoryBound(to: Bytef.self)
            stream.avail_out = uInt(size)
            // 16 + 15: a gzip header and the largest window.
            guard cairn_inflate_init(&stream, 16 + 15) == Z_OK else { throw damaged("zlib cannot start") }
            defer { inflateEnd(&stream) }
            guard inflate(&stream, Z_FINISH) == Z_STREAM_END else { throw damaged("a gzip page does not decompress") }
            return size - Int(stream.avail_out)
        case .uncompressed:
            return size
        }
    }
}
