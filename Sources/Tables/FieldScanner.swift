/// Steps through the fields of RFC 4180 CSV text: fields separated by a delimiter, records by
/// LF or CRLF; a quoted field may hold delimiters, newlines and doubled quotes. A quote inside
/// an unquoted field is an error, which is what makes splitting a file for parallel parsing exact.
struct FieldScanner {
    struct Field {
        var start: UnsafePointer<UInt8>
        var count: Int
        var quoted: Bool
    }

    static let quote = UInt8(ascii: "\"")
    static let newline = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")

    let base: UnsafePointer<UInt8>
    let end: Int
    let delimiter: UInt8
    /// Offset of the next byte to read.
    var position: Int
    /// Why the last `nextField` returned nil.
    private(set) var failure: String?
    private let unescaped = UnescapeBuffer()

    init(base: UnsafePointer<UInt8>, end: Int, delimiter: UInt8, position: Int) {
        self.base = base
        self.end = end
        self.delimiter = delimiter
        self.position = position
    }

    var atEnd: Bool { position >= end }

    /// Steps over empty lines between records.
    mutating func skipBlankLines() {
        while position < end {
            if base[position] == Self.newline {
                position += 1
            } else if base[position] == Self.carriageReturn, position + 1 < end, base[position + 1] == Self.newline {
                position += 2
            } else {
                return
            }
        }
    }

    /// The next field and whether it ended its record; nil with `failure` set on malformed text.
    /// A quoted field with doubled quotes is returned unescaped from a buffer valid until the next call.
    @inline(__always)
    mutating func nextField() -> (field: Field, endsRecord: Bool)? {
        var index = position
        if index < end, base[index] == Self.quote {
            index += 1
            let contentStart = index
            var escaped = false
            while true {
                guard index < end else {
                    failure = "a quoted field is not closed before the end of the file"
                    return nil
                }
                if base[index] == Self.quote {
                    guard index + 1 < end, base[index + 1] == Self.quote else { break }
                    escaped = true
                    index += 2
                } else {
                    index += 1
                }
            }
            let field = escaped ? unescape(contentStart..<index)
                : Field(start: base + contentStart, count: index - contentStart, quoted: true)
            index += 1
            guard index < end else {
                position = index
                return (field, true)
            }
            let next = base[index]
            if next == delimiter {
                position = index + 1
                return (field, false)
            }
            if next == Self.newline {
                position = index + 1
                return (field, true)
            }
            if next == Self.carriageReturn, index + 1 < end, base[index + 1] == Self.newline {
                position = index + 2
                return (field, true)
            }
            failure = "text after the closing quote of a field"
            return nil
        }
        let start = index
        while index < end {
            let byte = base[index]
            if byte == delimiter || byte == Self.newline { break }
            if byte == Self.quote {
                failure = "a quote inside an unquoted field (quote the whole field and double the quote)"
                return nil
            }
            index += 1
        }
        var stop = index
        if stop > start, base[stop - 1] == Self.carriageReturn, index >= end || base[index] == Self.newline { stop -= 1 }
        let field = Field(start: base + start, count: stop - start, quoted: false)
        guard index < end else {
            position = index
            return (field, true)
        }
        position = index + 1
        return (field, base[index] == Self.newline)
    }

    private func unescape(_ range: Range<Int>) -> Field {
        let target = unescaped.reserve(range.count)
        var count = 0
        var index = range.lowerBound
        while index < range.upperBound {
            target[count] = base[index]
            count += 1
            index += base[index] == Self.quote ? 2 : 1
        }
        return Field(start: target, count: count, quoted: true)
    }
}

/// Memory for quoted fields with doubled quotes, reused from field to field.
private final class UnescapeBuffer {
    private var storage = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
    private var capacity = 256

    func reserve(_ count: Int) -> UnsafeMutablePointer<UInt8> {
        if count > capacity {
            storage.deallocate()
            capacity = max(count, capacity * 2)
            storage = .allocate(capacity: capacity)
        }
        return storage
    }

    deinit { storage.deallocate() }
}
