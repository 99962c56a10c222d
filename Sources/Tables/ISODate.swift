/// Dates and instants as ISO 8601 text, which is how Cairn reads Parquet's DATE and TIMESTAMP
/// columns: `2024-01-31`, `2024-01-31T12:00:00Z`, with as many fraction digits as they need.
enum ISODate {
    /// Days since 1970-01-01 as a proleptic Gregorian date (Howard Hinnant's civil_from_days).
    static func day(_ days: Int64) -> String {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let dayOfMonth = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return "\(padded(year, 4))-\(padded(month, 2))-\(padded(dayOfMonth, 2))"
    }

    /// `count` units of 1/`perSecond` s since 1970-01-01T00:00:00Z.
    static func instant(_ count: Int64, perSecond: Int64) -> String {
        let (seconds, fraction) = (count.floorDivided(by: perSecond), count.floorModulo(perSecond))
        let days = seconds.floorDivided(by: 86_400)
        let time = seconds - days * 86_400
        var text = day(days) + "T\(padded(time / 3600, 2)):\(padded(time / 60 % 60, 2)):\(padded(time % 60, 2))"
        if fraction != 0 {
            var digits = String(padded(fraction, String(perSecond).count - 1))
            while digits.hasSuffix("0") { digits.removeLast() }
            text += "." + digits
        }
        return text + "Z"
    }

    private static func padded(_ value: Int64, _ width: Int) -> String {
        let digits = String(abs(value))
        return (value < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

private extension Int64 {
    func floorDivided(by divisor: Int64) -> Int64 { (self - floorModulo(divisor)) / divisor }
    func floorModulo(_ divisor: Int64) -> Int64 { ((self % divisor) + divisor) % divisor }
}
