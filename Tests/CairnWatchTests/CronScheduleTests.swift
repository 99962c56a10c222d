import CairnSpec
import CairnSupport
import Glibc
import Testing

@Suite struct CronScheduleTests {
    /// Seconds since the epoch of a local time.
    static func local(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int) -> Int {
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_isdst = -1
        return Int(mktime(&parts))
    }

    @Test func dailyAtThree() throws {
        let cron = try CronSchedule("0 3 * * *")
        #expect(cron.nextFire(after: Self.local(2026, 11, 25, 2, 59)) == Self.local(2026, 11, 25, 3, 0))
        #expect(cron.nextFire(after: Self.local(2026, 11, 25, 3, 0)) == Self.local(2026, 11, 26, 3, 0))
    }

    @Test func stepsRangesListsAndWeekdays() throws {
        #expect(try CronSchedule("*/15 * * * *").nextFire(after: Self.local(2026, 1, 1, 10, 7)) == Self.local(2026, 1, 1, 10, 15))
        // Weekdays at 09:30: 2026-11-28 is a Saturday, so the next is Monday the 30th.
        #expect(try CronSchedule("30 9 * * 1-5").nextFire(after: Self.local(2026, 11, 27, 10, 0)) == Self.local(2026, 11, 30, 9, 30))
        // Day of month or Sunday (7 is Sunday too), as in cron.
        #expect(try CronSchedule("0 0 1 * 7").nextFire(after: Self.local(2026, 11, 25, 0, 0)) == Self.local(2026, 11, 29, 0, 0))
        #expect(try CronSchedule("0 12 29 2 *").nextFire(after: Self.local(2026, 3, 1, 0, 0)) == Self.local(2028, 2, 29, 12, 0))
        #expect(try CronSchedule("0 0 30 2 *").nextFire(after: Self.local(2026, 3, 1, 0, 0)) == nil)
    }

    @Test(arguments: ["0 3 * *", "60 * * * *", "* 24 * * *", "* * 0 * *", "*/0 * * * *", "a * * * *", "5-1 * * * *"])
    func invalidExpressionsNameTheField(_ text: String) {
        #expect(throws: CairnError.self) { try CronSchedule(text) }
    }
}
