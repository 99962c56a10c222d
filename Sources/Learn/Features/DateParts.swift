import CairnCore
import CairnSupport
import Tables

/// `date_parts: {columns, parts: [year, month, day, weekday, dayofyear, hour]}`
public struct DatePartsConfig: FeatureStepConfig {
    public var columns: ColumnSelection
    public var parts: [DateParts.Part] = [.year, .month, .day, .weekday]

    enum CodingKeys: String, CodingKey { case columns, parts }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        columns = try container.decode(ColumnSelection.self, forKey: .columns)
        parts = try container.decodeIfPresent([DateParts.Part].self, forKey: .parts) ?? parts
    }

    public func fit(_ table: Table, target: String?) throws -> DateParts {
        let names = try columns.resolve(in: table, target: target)
        for name in names where !(try table.column(name).type.isTextual) {
            throw CairnError(.invalidData, "date_parts needs text columns holding dates; '\(name)' is \(try table.column(name).type.rawValue)")
        }
        return DateParts(columns: names, parts: parts)
    }
}

/// Replaces a column of ISO 8601 dates (`2024-03-01`, `2024-03-01T12:30:00`, `2024-03-01 12:30`)
/// by numeric columns `column_year`, `column_month`, …; weekday counts from Monday = 0, as pandas does.
public struct DateParts: FittedFeatureStep {
    public enum Part: String, ConfigEnum { case year, month, day, weekday, dayofyear, hour }

    public var columns: [String]
    public var parts: [Part]

    public func apply(to table: consuming Table) throws -> Table {
        var result = copy table  // the step reads the input while it builds the output
        for name in columns {
            let column = try table.column(name)
            var values = [[Double]](repeating: [Double](repeating: 0, count: table.rowCount), count: parts.count)
            for row in 0..<table.rowCount {
                guard let text = column.text(at: row) else { continue }
                guard let date = CivilDate(iso: text) else {
                    throw CairnError(.invalidData, "'\(name)' holds '\(text)', not a date like 2024-03-01", row: row)
                }
                for (index, part) in parts.enumerated() { values[index][row] = Double(date.value(of: part)) }
            }
            result = try result.replacing(name, with: zip(parts, values).map {
                Column(name: "\(name)_\($0.rawValue)", values: .float64($1), validity: column.validity)
            })
        }
        return result
    }
}

/// A date and hour of the proleptic Gregorian calendar, read from ISO 8601 text.
struct CivilDate {
    var year: Int, month: Int, day: Int, hour: Int

    init?(iso text: String) {
        let characters = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= characters.count else { return nil }
            var value = 0
            for byte in characters[range] {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard characters.count >= 10, characters[4] == UInt8(ascii: "-"), characters[7] == UInt8(ascii: "-"),
              let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              (1...12).contains(month), day >= 1, day <= CivilDate.daysIn(month, of: year) else { return nil }
        self.year = year
        self.month = month
        self.day = day
        hour = 0
        if characters.count > 10 {
            guard characters[10] == UInt8(ascii: "T") || characters[10] == UInt8(ascii: " "),
                  let hour = number(11..<13), hour < 24 else { return nil }
            self.hour = hour
        }
    }

    static func isLeap(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    static func daysIn(_ month: Int, of year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    var dayOfYear: Int { (1..<month).reduce(day) { $0 + CivilDate.daysIn($1, of: year) } }

    /// Days since 1970-01-01 (Howard Hinnant's days_from_civil).
    var daysSinceEpoch: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYearFromMarch = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYearFromMarch
        return era * 146_097 + dayOfEra - 719_468
    }

    func value(of part: DateParts.Part) -> Int {
        switch part {
        case .year: return year
        case .month: return month
        case .day: return day
        case .hour: return hour
        case .dayofyear: return dayOfYear
        // 1970-01-01 was a Thursday (3 when Monday is 0).
        case .weekday: return ((daysSinceEpoch % 7) + 7 + 3) % 7
        }
    }
}
