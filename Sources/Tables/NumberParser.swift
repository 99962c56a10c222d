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

    /// The integer that the text at `start` begins with, and how many bytes it takes; the caller
    /// checks what follows. Nil when it begins with no digit or overflows.
    @inline(__always)
    static func int64Prefix(_ start: UnsafePointer<UInt8>, limit: Int) -> (value: Int64, length: Int)? {
        var index = 0
        var negative = false
        if limit > 0, start[0] == UInt8(ascii: "-") || start[0] == UInt8(ascii: "+") {
            negative = start[0] == UInt8(ascii: "-")
            index = 1
        }
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
        var index = 0
        var negative = false
        if limit > 0, start[0] == UInt8(ascii: "-") || start[0] == UInt8(ascii: "+") {
            negative = start[0] == UInt8(ascii: "-")
            index = 1
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

    private static func correctlyRounded(_ start: UnsafePointer<UInt8>, _ count: Int) -> Double {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: count + 1) { buffer in
            UnsafeMutableRawPointer(buffer.baseAddress!).copyMemory(from: start, byteCount: count)
            buffer[count] = 0
            return strtod(buffer.baseAddress!, nil)
        }
    }

    /// `inf`, `infinity` and `nan`, in any case, with an optional sign before `inf`.
    private static func special(_ start: UnsafePointer<UInt8>, _ count: Int) -> Double? {
        let word = String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self).lowercased()
        switch word {
        case "inf", "+inf", "infinity", "+infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        case "nan": return .nan
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
