import CairnSupport
import Glibc

/// How a CSV body is cut into chunks that each start at a record, so that they parse in
/// parallel, and how many records each holds (so that every chunk writes its own rows).
extension CSVParse {
    /// One chunk per thread, each starting at a record: a guess at an even split is moved to just
    /// after the next newline that is outside quotes. Also says whether the body has no quote at all.
    func chunkRanges(from bodyStart: Int) -> (ranges: [Range<Int>], quoteFree: Bool) {
        let body = size - bodyStart
        let pieces = body < 1 << 20 ? 1 : options.threads
        let guesses = (0...pieces).map { bodyStart + body * $0 / pieces }
        // Counting cannot fail: the `try` is only Parallel.map's signature.
        let quoteCounts = try! Parallel.map(pieces) { countQuotes(guesses[$0]..<guesses[$0 + 1]) }
        var starts = [bodyStart]
        var quotesBefore = 0
        for piece in 1..<max(pieces, 1) {
            quotesBefore += quoteCounts[piece - 1]
            let start = recordStart(atOrAfter: guesses[piece], insideQuotes: quotesBefore % 2 == 1)
            if start > starts.last! { starts.append(start) }
        }
        starts.append(size)
        return ((0..<starts.count - 1).map { starts[$0]..<starts[$0 + 1] }.filter { !$0.isEmpty }, quoteCounts.allSatisfy { $0 == 0 })
    }

    func countQuotes(_ range: Range<Int>) -> Int {
        var count = 0
        var cursor = UnsafeRawPointer(base + range.lowerBound)
        let end = UnsafeRawPointer(base + range.upperBound)
        while cursor < end, let found = memchr(cursor, Int32(FieldScanner.quote), end - cursor) {
            count += 1
            cursor = UnsafeRawPointer(found) + 1
        }
        return count
    }

    func recordStart(atOrAfter guess: Int, insideQuotes: Bool) -> Int {
        if !insideQuotes, base[guess - 1] == FieldScanner.newline { return guess }
        var quoted = insideQuotes
        var index = guess
        while index < size {
            let byte = base[index]
            if byte == FieldScanner.quote {
                quoted.toggle()
            } else if byte == FieldScanner.newline, !quoted {
                return index + 1
            }
            index += 1
        }
        return size
    }

    /// The records in `range`, as `parse` will find them: lines ended by a newline outside quotes,
    /// blank lines not counted. Without quotes the lines are counted with memchr.
    func countRecords(in range: Range<Int>, quoteFree: Bool) -> Int {
        func isBlank(_ start: Int, _ end: Int) -> Bool {
            end == start || (end == start + 1 && base[start] == FieldScanner.carriageReturn)
        }
        var records = 0
        var lineStart = range.lowerBound
        if quoteFree {
            while lineStart < range.upperBound {
                let found = memchr(base + lineStart, Int32(FieldScanner.newline), range.upperBound - lineStart)
                let lineEnd = found.map { UnsafeRawPointer($0) - UnsafeRawPointer(base) } ?? range.upperBound
                if !isBlank(lineStart, lineEnd) { records += 1 }
                lineStart = lineEnd + 1
            }
            return records
        }
        var quoted = false
        for index in range {
            if base[index] == FieldScanner.quote {
                quoted.toggle()
            } else if base[index] == FieldScanner.newline, !quoted {
                if !isBlank(lineStart, index) { records += 1 }
                lineStart = index + 1
            }
        }
        if lineStart < range.upperBound, !isBlank(lineStart, range.upperBound) { records += 1 }
        return records
    }
}
