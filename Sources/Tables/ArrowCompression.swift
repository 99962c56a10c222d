import CLZ4
import CZstd
import CairnSupport

/// The buffers of a compressed record batch (Arrow's BodyCompression, codec per message, one
/// compressed frame per buffer, each after its uncompressed length as an int64; -1 meaning the
/// buffer was left uncompressed), decompressed into memory this owns.
final class ArrowCompression {
    let codec: ArrowFormat.Compression
    private var allocations: [UnsafeMutableRawBufferPointer] = []
    /// A claimed length past this is refused rather than allocated (16 GiB).
    private static let largestBuffer = 1 << 34

    init(codec: ArrowFormat.Compression) { self.codec = codec }

    deinit { for allocation in allocations { allocation.deallocate() } }

    /// The bytes of one buffer as it was before compression.
    func decompress(_ stored: UnsafeRawBufferPointer, damaged: (String) -> CairnError) throws -> UnsafeRawBufferPointer {
        guard !stored.isEmpty else { return stored }
        guard stored.count >= 8 else { throw damaged("a compressed buffer is shorter than its length") }
        let length = Int(Int64(littleEndian: stored.loadUnaligned(as: Int64.self)))
        let frame = UnsafeRawBufferPointer(rebasing: stored[8...])
        if length == -1 { return frame }
        guard length >= 0, length <= Self.largestBuffer else { throw damaged("a compressed buffer claims \(length) bytes") }
        let target = UnsafeMutableRawBufferPointer.allocate(byteCount: max(length, 1), alignment: 64)
        allocations.append(target)
        let produced: Int
        switch codec {
        case .zstd:
            let result = ZSTD_decompress(target.baseAddress, length, frame.baseAddress, frame.count)
            guard ZSTD_isError(result) == 0 else { throw damaged("a zstd buffer does not decompress (\(String(cString: ZSTD_getErrorName(result))))") }
            produced = result
        case .lz4Frame:
            produced = try Self.lz4(frame, into: UnsafeMutableRawBufferPointer(rebasing: target[0..<length]), damaged: damaged)
        }
        guard produced == length else { throw damaged("a compressed buffer holds \(produced) bytes, not the \(length) it claims") }
        return UnsafeRawBufferPointer(rebasing: target[0..<length])
    }

    private static func lz4(_ frame: UnsafeRawBufferPointer, into target: UnsafeMutableRawBufferPointer, damaged: (String) -> CairnError) throws -> Int {
        var context: OpaquePointer?
        guard LZ4F_isError(LZ4F_createDecompressionContext(&context, UInt32(LZ4F_VERSION))) == 0 else { throw damaged("LZ4 cannot start") }
        defer { LZ4F_freeDecompressionContext(context) }
        var read = 0, written = 0
        while read < frame.count {
            var sourceSize = frame.count - read
            var targetSize = target.count - written
            let hint = LZ4F_decompress(context, target.baseAddress.map { $0 + written }, &targetSize, frame.baseAddress! + read, &sourceSize, nil)
            guard LZ4F_isError(hint) == 0 else { throw damaged("an LZ4 buffer does not decompress (\(String(cString: LZ4F_getErrorName(hint))))") }
            read += sourceSize
            written += targetSize
            if hint == 0 { break }
            guard sourceSize > 0 || targetSize > 0 else { throw damaged("an LZ4 buffer holds more than it claims") }
        }
        return written
    }
}
