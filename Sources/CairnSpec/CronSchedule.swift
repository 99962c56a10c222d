import CairnSupport
import Glibc

/// A cron expression (`minute hour day-of-month month day-of-week`, local time): numbers, `*`,
/// ranges `a-b`, lists `a,b` and steps `*/n` or `a-b/n`; day of week 0–7 with 0 and 7 Sunday.
/// As in cron, when both day fields are restricted a day matching either one fires.
public struct CronSchedule: Sendable, Equatable, CustomStringConvertible {
    public let description: String
    private let minutes: Set<Int>
    private let hours: Set<Int>
    private let daysOfMonth: Set<Int>
    private let months: Set<Int>
    private let daysOfWeek: Set<Int>
    private let dayOfMonthRestricted: Bool
    private let dayOfWeekRestricted: Bool

    /// - Throws: a `CairnError` at `location` naming the field that is wrong.
    public init(_ text: String, at location: SourceLocation? = nil) throws {
        let fields = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard fields.count == 5 else {
            throw CairnError(.invalidValue, "schedule '\(text)' needs five fields: minute hour day-of-month month day-of-week",
                             at: location, hint: "e.g. \"0 3 * * *\" for 03:00 every day")
        }
        func parse(_ index: Int, _ name: String, _ range: ClosedRange<Int>) throws -> Set<Int> {
            guard let values = Self.values(fields[index], in: range) else {
                throw CairnError(.invalidValue, "schedule '\(text)': \(name) '\(fields[index])' is not valid",
                                 at: location, hint: "\(name) takes \(range.lowerBound)–\(range.upperBound), *, a-b, a,b or */n")
            }
            return values
        }
        description = text
        minutes = try parse(0, "minute", 0...59)
        hours = try parse(1, "hour", 0...23)
        daysOfMonth = try parse(2, "day of month", 1...31)
        months = try parse(3, "month", 1...12)
        daysOfWeek = Set(try parse(4, "day of week", 0...7).map { $0 % 7 })
        dayOfMonthRestricted = fields[2] != "*"
        dayOfWeekRestricted = fields[4] != "*"
    }

    /// The first whole minute strictly after `time` (seconds since the epoch) that matches, in
    /// local time; nil if none within eight years (e.g. 30 February).
    public func nextFire(after time: Int) -> Int? {
        var candidate = (time / 60 + 1) * 60
        let limit = time + 8 * 366 * 86_400
        while candidate < limit {
            var seconds = time_t(candidate)
            var parts = tm()
            localtime_r(&seconds, &parts)
            guard months.contains(Int(parts.tm_mon) + 1) else {
                candidate = startOfNext(day: false, parts)
                continue
            }
            guard dayMatches(parts) else {
                candidate = startOfNext(day: true, parts)
                continue
            }
            if hours.contains(Int(parts.tm_hour)) && minutes.contains(Int(parts.tm_min)) { return candidate }
            candidate += 60
        }
        return nil
    }

    private func dayMatches(_ parts: tm) -> Bool {
        let monthDay = daysOfMonth.contains(Int(parts.tm_mday))
        let weekDay = daysOfWeek.contains(Int(parts.tm_wday))
        switch (dayOfMonthRestricted, dayOfWeekRestricted) {
        case (true, true): return monthDay || weekDay
        case (true, false): return monthDay
        case (false, true): return weekDay
        case (false, false): return true
        }
    }

    /// Midnight at the start of the next day, or of the next month's first day.
    private func startOfNext(day: Bool, _ parts: tm) -> Int {
        var next = parts
        if day { next.tm_mday += 1 } else { next.tm_mon += 1; next.tm_mday = 1 }
        next.tm_hour = 0
        next.tm_min = 0
        next.tm_sec = 0
        next.tm_isdst = -1
        return Int(mktime(&next))
    }

    /// The values a field allows, or nil when it does not parse or leaves `range`.
    static func values(_ field: String, in range: ClosedRange<Int>) -> Set<Int>? {
        var result: Set<Int> = []
        for part in field.split(separator: ",", omittingEmptySubsequences: false) {
            let pieces = part.split(separator: "/", omittingEmptySubsequences: false)
            guard pieces.count <= 2 else { return nil }
            let step = pieces.count == 2 ? Int(pieces[1]) : 1
            guard let step, step > 0 else { return nil }
            let span: ClosedRange<Int>
            if pieces[0] == "*" {
                span = range
            } else if let dash = pieces[0].firstIndex(of: "-") {
                guard let low = Int(pieces[0][..<dash]), let high = Int(pieces[0][pieces[0].index(after: dash)...]),
                      low <= high else { return nil }
                span = low...high
            } else {
                guard let value = Int(pieces[0]) else { return nil }
                span = value...(pieces.count == 2 ? range.upperBound : value)
            }
            guard range.contains(span.lowerBound), range.contains(span.upperBound) else { return nil }
            result.formUnion(stride(from: span.lowerBound, through: span.upperBound, by: step))
        }
        return result
    }
}
