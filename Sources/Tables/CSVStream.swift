import CairnSupport
import Glibc

/// A CSV file read a piece at a time, for a stage that writes rows as it reads them: each piece
/// (about `pieceBytes`, cut after a record) is parsed on every core into a table of its rows,
/// and only one piece and its table are held. The first piece settles each column's type and
/// whether its text is categorical; later pieces are held to that, and each piece's categorical
/// columns have the categories met so far (later ones extend earlier ones). A file that does not
/// parse, or whose later rows would have a reading of the whole file decide otherwise (a number
/// column that turns to text, more categories than `maxCategories`), is not read on in pieces:
/// `forEachPiece` says so, and the caller reads it whole, which gives the table (or the error,
/// with its line) that a whole reading gives.
public struct CSVStream {
    public let options: CSVOptions
    public let pieceBytes: Int

    public init(options: CSVOptions = CSVOptions(), pieceBytes: Int = 32 << 20) {
        self.options = options
        self.pieceBytes = max(pieceBytes, 1)
    }

    /// Calls `body` with each piece's rows, in order. False when the file is to be read whole
    /// instead: nothing `body` was given counts then. Errors `body` throws are passed on.
    public func forEachPiece(_ path: String, displayName: String? = nil, _ body: (Table) throws -> Void) throws -> Bool {
        let file = try FilePieces(path)
        let source = displayName ?? path
        let buffer = Buffer(capacity: pieceBytes)
        var names: [String]?
        var soFar = CSVColumnsSoFar(maxCategories: options.maxCategories)
        var read = 0
        while true {
            let more = min(buffer.capacity - buffer.count, file.size - read)
            try file.read(read..<(read + more), into: buffer.start + buffer.count)
            buffer.count += more
            read += more
            let atEnd = read == file.size
            guard let cut = atEnd ? buffer.count : Self.endOfLastRecord(buffer.start, buffer.count) else {
                buffer.grow()
                continue
            }
            let parse = CSVParse(base: buffer.start.assumingMemoryBound(to: UInt8.self), size: cut, source: source, options: options)
            let piece: Table
            do {
                var bodyStart = 0
                if names == nil { (names, bodyStart) = try parse.header() }
                piece = try parse.table(from: bodyStart, names: names!, soFar: &soFar)
            } catch {
                return false
            }
            // The first piece settles the columns: it needs rows to settle them by.
            if piece.rowCount == 0, soFar.rows == 0, !atEnd {
                (names, soFar) = (nil, CSVColumnsSoFar(maxCategories: options.maxCategories))
                buffer.grow()
                continue
            }
            try body(piece)
            buffer.dropFirst(cut)
            if atEnd { break }
        }
        do {
            try soFar.requireSettled()
        } catch {
            return false
        }
        try file.requireUnchanged()
        for note in soFar.notes { options.note?(note) }
        return true
    }

    /// Where the last record that ends in the first `count` bytes ends (just after its newline),
    /// the bytes starting at a record; nil when none does. A newline inside quotes ends none.
    static func endOfLastRecord(_ start: UnsafeRawPointer, _ count: Int) -> Int? {
        let bytes = start.assumingMemoryBound(to: UInt8.self)
        if memchr(start, Int32(FieldScanner.quote), count) == nil {
            // The last newline is a record's length from the end: look back for it.
            return (0..<count).reversed().first { bytes[$0] == FieldScanner.newline }.map { $0 + 1 }
        }
        var quoted = false
        var end: Int?
        for index in 0..<count {
            if bytes[index] == FieldScanner.quote {
                quoted.toggle()
            } else if bytes[index] == FieldScanner.newline, !quoted {
                end = index + 1
            }
        }
        return end
    }

    /// The bytes of the piece being read and the start of the next, which move to the front.
    private final class Buffer {
        private(set) var start: UnsafeMutableRawPointer
        private(set) var capacity: Int
        var count = 0

        init(capacity: Int) {
            self.capacity = capacity
            start = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 64)
        }

        deinit { start.deallocate() }

        /// Room for twice as much: a record longer than a piece.
        func grow() {
            let larger = UnsafeMutableRawPointer.allocate(byteCount: capacity * 2, alignment: 64)
            larger.copyMemory(from: start, byteCount: count)
            start.deallocate()
            start = larger
            capacity *= 2
        }

        func dropFirst(_ bytes: Int) {
            memmove(start, start + bytes, count - bytes)
            count -= bytes
        }
    }
}
