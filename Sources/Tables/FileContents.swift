import CairnSupport

/// A whole file read into memory. Not memory-mapped: a mapped file that another process
/// truncates kills its reader with SIGBUS, while a copy cannot change under the parser. Large
/// files are read by every core at once, in fixed pieces, so the copy costs little beside the
/// parsing; a file that shrinks or changes while it is read is an error, not a crash.
final class FileContents: @unchecked Sendable {
    let bytes: UnsafeRawBufferPointer
    let path: String

    static let piece = 8 << 20

    init(_ path: String) throws {
        self.path = path
        let file = try FilePieces(path)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(file.size, 1), alignment: 4096)
        do {
            _ = try Parallel.map(0..<file.size, chunk: Self.piece) { range in
                try file.read(range, into: buffer.baseAddress! + range.lowerBound)
            }
            try file.requireUnchanged()
        } catch {
            buffer.deallocate()
            throw error
        }
        bytes = UnsafeRawBufferPointer(start: buffer.baseAddress, count: file.size)
    }

    deinit { UnsafeMutableRawPointer(mutating: bytes.baseAddress)?.deallocate() }
}
