import Glibc

/// Parses numbers straight from bytes, without making Strings. Decimal text whose digits fit in
/// 53 bits with a power of ten up to 22 converts exactly with one multiplication or division
/// (Clinger's fast path); anything longer goes to the C library's correctly rounded `strtod`.
enum NumberParser {
    /// Exact powers of ten as literals: a lookup the compiler turns into a table, with no lazy global.
    @inline(__always)
    private static func powerOfTen(_ exponent: Int) -> Double {
        switch exponent {
        case 0: 1e0
        case 1: 1e1
        case 2: 1e2
        case 3: 1e3
        case 4: 1e4
        case 5: 1e5
        case 6: 1e6
        case 7: 1e7
        case 8: 1e8
        case 9: 1e9
        case 10: 1e10
        case 11: 1e11
        case 12: 1e12
        case 13: 1e13
        case 14: 1e14
        case 15: 1e15
        case 16: 1e16
        case 17: 1e17
        case 18: 1e18
        case 19: 1e19
        case 20: 1e20
        case 21: 1e21
        default: 1e22
        }
    }

    static func int64(_ start: UnsafePointer<UInt8>, _ count: Int) -> Int64? {
        guard let (value, length) = int64Prefix(start, limit: count), length == count else { return nil }
        return value
    }

    /// Whether the text starts with `-`, and how many bytes its sign takes (`+` or `-`: 1).
    @inline(__always)
    private static func sign(_ start: UnsafePointer<UInt8>, limit: Int) -> (negative: Bool, length: Int) {
        guard limit > 0, start[0] == UInt8(ascii: "-") || start[0] == UInt8(ascii: "+") else { return (false, 0) }
        return (start[0] == UInt8(ascii: "-"), 1)
    }

    /// The integer that the text at `start` begins with, and how many bytes it takes; the caller
    /// checks what follows. Nil when it begins with no digit or overflows.
    @inline(__always)
    static func int64Prefix(_ start: UnsafePointer<UInt8>, limit: Int) -> (value: Int64, length: Int)? {
        let (negative, signLength) = sign(start, limit: limit)
        var index = signLength
        var magnitude: UInt64 = 0
        let digits = accumulateDigits(start + index, limit: limit &- index, into: &magnitude)
        index &+= digits
        guard digits > 0 else { return nil }
        let value = Int64(truncatingIfNeeded: magnitude)
        guard digits <= 18 else {
            // Nineteen digits and more may overflow; let Swift's checked parser decide.
            let text = String(decoding: UnsafeBufferPointer(start: start, count: index), as: UTF8.self)
            return Int64(text).map { ($0, index) }
        }
        return (negative ? -value : value, index)
    }

    static func double(_ start: UnsafePointer<UInt8>, _ count: Int) -> Double? {
        if let (value, length) = doublePrefix(start, limit: count), length == count { return value }
        return special(start, count)
    }

    /// The decimal number that the text at `start` begins with, and how many bytes it takes.
    @inline(__always)
    static func doublePrefix(_ start: UnsafePointer<UInt8>, limit: Int) -> (value: Double, length: Int)? {
        let (negative, signLength) = sign(start, limit: limit)
        var index = signLength
        if limit &- index >= 17, let parsed = shortDecimal(start + index) {
            return (negative ? -parsed.value : parsed.value, index &+ parsed.length)
        }
        // Up to 19 digits fit in the mantissa exactly; more go to strtod below.
        var mantissa: UInt64 = 0
        var digits = accumulateDigits(start + index, limit: limit &- index, into: &mantissa)
        index &+= digits
        var exponent = 0
        if index < limit, start[index] == UInt8(ascii: ".") {
            index &+= 1
            let fractionDigits = accumulateDigits(start + index, limit: limit &- index, into: &mantissa)
            index &+= fractionDigits
            exponent = -fractionDigits
            digits &+= fractionDigits
        }
        guard digits > 0 else { return nil }
        // Exponent: only when digits follow the `e`.
        if index &+ 1 < limit, start[index] | 0x20 == UInt8(ascii: "e") {
            var cursor = index &+ 1
            var exponentNegative = false
            if start[cursor] == UInt8(ascii: "-") || start[cursor] == UInt8(ascii: "+") {
                exponentNegative = start[cursor] == UInt8(ascii: "-")
                cursor &+= 1
            }
            var written = 0
            let digitsStart = cursor
            while cursor < limit {
                let digit = start[cursor] &- UInt8(ascii: "0")
                guard digit < 10 else { break }
                if written < 100_000 { written = written &* 10 &+ Int(digit) }
                cursor &+= 1
            }
            if cursor > digitsStart {
                exponent &+= exponentNegative ? -written : written
                index = cursor
            }
        }
        if digits <= 19, mantissa <= 1 << 53, exponent >= -22, exponent <= 22 {
            let value = Double(mantissa)
            let scaled = exponent < 0 ? value / powerOfTen(-exponent) : value * powerOfTen(exponent)
            return (negative ? -scaled : scaled, index)
        }
        return (correctlyRounded(start, index), index)
    }

    /// Appends the run of decimal digits at `start` (at most `limit` bytes) to `value` and returns
    /// its length. `value` wraps past 19 digits; callers check the count.
    @inline(__always)
    static func accumulateDigits(_ start: UnsafePointer<UInt8>, limit: Int, into value: inout UInt64) -> Int {
        var index = 0
        while index < limit {
            let digit = start[index] &- UInt8(ascii: "0")
            guard digit < 10 else { break }
            value = value &* 10 &+ UInt64(digit)
            index &+= 1
        }
        return index
    }

    /// The common shape `ddd` or `ddd.dddd` (1 to 7 digits, then up to 7 after the point, no
    /// exponent) read eight bytes at a time: which bytes are digits, and their value, come from a
    /// few word operations instead of a branch per character. Needs 17 readable bytes at `start`;
    /// nil for any other shape, which the byte-by-byte path then reads.
    @inline(__always)
    private static func shortDecimal(_ start: UnsafePointer<UInt8>) -> (value: Double, length: Int)? {
        let word = UInt64(littleEndian: UnsafeRawPointer(start).loadUnaligned(as: UInt64.self))
        let integerDigits = leadingDigits(word)
        guard integerDigits > 0, integerDigits < 8 else { return nil }
        // Move the digits to the top, so that the bytes below read as leading zeros.
        let integer = eightDigits((word & 0x0F0F_0F0F_0F0F_0F0F) << UInt64((8 &- integerDigits) &* 8))
        let next = start[integerDigits]
        guard next == UInt8(ascii: ".") else {
            guard next | 0x20 != UInt8(ascii: "e") else { return nil }
            return (Double(integer), integerDigits)
        }
        let fractionWord = UInt64(littleEndian: UnsafeRawPointer(start + integerDigits + 1).loadUnaligned(as: UInt64.self))
        let fractionDigits = leadingDigits(fractionWord)
        guard fractionDigits > 0, fractionDigits < 8 else { return nil }
        let length = integerDigits &+ 1 &+ fractionDigits
        guard start[length] | 0x20 != UInt8(ascii: "e") else { return nil }
        // The fraction's digits stay at the bottom with zeros after them: its value times 10^(8 − digits).
        let fraction = eightDigits(fractionWord & 0x0F0F_0F0F_0F0F_0F0F & ((1 << UInt64(fractionDigits &* 8)) &- 1))
        // Below 10^15 < 2^53 and divided by the exact 10^8: one correctly rounded division.
        return (Double(integer &* 100_000_000 &+ fraction) / 1e8, length)
    }

    /// How many of the word's bytes, from the lowest, are ASCII digits (8 when all are).
    @inline(__always)
    private static func leadingDigits(_ word: UInt64) -> Int {
        // A byte's high bit is set here when it is below '0' or above '9'; carries and borrows only
        // reach bytes above the first non-digit.
        let nonDigits = ((word &+ 0x4646_4646_4646_4646) | (word &- 0x3030_3030_3030_3030)) & 0x8080_8080_8080_8080
        return nonDigits.trailingZeroBitCount >> 3
    }

    /// The number written by eight digit values, one per byte, the first in the lowest byte.
    @inline(__always)
    private static func eightDigits(_ word: UInt64) -> UInt64 {
        let pairs = (word &* 2561) >> 8
        let quads = ((pairs & 0x00FF_00FF_00FF_00FF) &* 6_553_601) >> 16
        return ((quads & 0x0000_FFFF_0000_FFFF) &* 42_949_672_960_001) >> 32
    }

    private static func correctlyRounded(_ start: UnsafePointer<UInt8>, _ count: Int) -> Double {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: count + 1) { buffer in
            UnsafeMutableRawPointer(buffer.baseAddress!).copyMemory(from: start, byteCount: count)
            buffer[count] = 0
            return strtod(buffer.baseAddress!, nil)
        }
    }

    /// `inf`, `infinity` and `nan`, in any case, with an optional sign (`-nan` is what C's printf
    /// writes for some NaNs, and reads as one here as `nan` does).
    private static func special(_ start: UnsafePointer<UInt8>, _ count: Int) -> Double? {
        let word = String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self).lowercased()
        switch word {
        case "inf", "+inf", "infinity", "+infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        case "nan", "-nan", "+nan": return .nan
        default: return nil
        }
    }

    static func bool(_ start: UnsafePointer<UInt8>, _ count: Int, acceptDigits: Bool) -> Bool? {
        switch count {
        case 1 where acceptDigits:
            return start[0] == UInt8(ascii: "1") ? true : start[0] == UInt8(ascii: "0") ? false : nil
        case 4, 5:
            let word = String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self)
            switch word {
            case "true", "True", "TRUE": return true
            case "false", "False", "FALSE": return false
            default: return nil
            }
        default:
            return nil
        }
    }
}
