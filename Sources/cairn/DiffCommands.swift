import ArgumentParser
import CairnCore
import CairnEngine
import CairnGit
import CairnOperations
import CairnSupport

/// How `cairn metrics diff` and `cairn params diff` print values at two points, side by side.
enum ValueDiff {
    typealias Values = ValueComparison.Values

    /// `overridden`: the keys whose value on each side came from `cairn run -S`, marked so.
    static func print(_ rows: [ValueComparison.Row], json: Bool, labels: (String, String),
                      overridden: (Set<String>, Set<String>) = ([], [])) {
        if json {
            for row in rows {
                Output.jsonLine([("key", .string(row.key)), ("old", jsonValue(row.old)), ("new", jsonValue(row.new)),
                                 ("delta", row.delta.map { .number($0) } ?? .null)]
                                + (overridden.0.contains(row.key) ? [("old_override", .bool(true))] : [])
                                + (overridden.1.contains(row.key) ? [("new_override", .bool(true))] : []))
            }
            return
        }
        func shown(_ value: String?, _ marked: Bool) -> String { (value ?? "–") + (marked ? " (-S)" : "") }
        let width = max(3, rows.map(\.key.count).max() ?? 0) + 2
        Output.standardOutput("key".padding(width) + labels.0.padding(14) + labels.1.padding(14) + "delta")
        for row in rows {
            let delta = row.delta.map { ($0 >= 0 ? "+" : "") + Output.short($0) } ?? (row.old == row.new ? "" : "changed")
            Output.standardOutput((row.key.padding(width) + shown(row.old, overridden.0.contains(row.key)).padding(14)
                                   + shown(row.new, overridden.1.contains(row.key)).padding(14) + delta).trimmingTrailingSpaces)
        }
    }

    /// A value as a JSON number when it reads as one, else as text.
    private static func jsonValue(_ value: String?) -> JSONValue {
        guard let value else { return .null }
        return Double(value).map(JSONValue.number) ?? .string(value)
    }

    /// Compares the values at REV_A with those at REV_B, or with the working tree when only
    /// one revision (or none: HEAD) is given, and prints the table.
    /// `overridden`: the keys a side's lock files mark as `-S` values (nil: none are).
    static func compare(_ revisions: [String], json: Bool, access: LineageAccess,
                        recorded: (Lineage.Pin) throws -> Values, current: () throws -> Values,
                        overridden: (([String: LockFile]) -> Set<String>)? = nil) throws {
        guard revisions.count <= 2 else { throw CairnError(.usage, "give at most two revisions") }
        let old = try access.lineage.pin(revisions.first ?? "HEAD")
        let new = try revisions.count == 2 ? access.lineage.pin(revisions[1]) : nil
        let marks = try overridden.map { marks in (marks(old.locks), marks(try new?.locks ?? access.session.lockFiles())) } ?? ([], [])
        print(ValueComparison.rows(try recorded(old), try new.map(recorded) ?? current()), json: json,
              labels: (old.revision, new?.revision ?? "workspace"), overridden: marks)
    }
}

struct MetricsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "metrics", abstract: "Compare metrics files.",
                                                    subcommands: [Diff.self])

    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Metrics (outputs whose role is metrics) at REV_A against REV_B (default: HEAD's committed lock files against the working tree).")

        @Argument var revisions: [String] = []
        @Flag(help: "One JSON object per line.") var json = false

        func run() throws {
            let access = try LineageAccess()
            let comparison = ValueComparison(session: access.session)
            try ValueDiff.compare(revisions, json: json, access: access, recorded: { try comparison.metrics(recorded: $0.locks, label: $0.label) },
                                  current: comparison.currentMetrics)
        }
    }
}

struct ParamsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "params", abstract: "Compare params.",
                                                    subcommands: [Diff.self])

    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Params and `with:` values the stages use at REV_A against REV_B (default: HEAD's committed lock files against the working tree).")

        @Argument var revisions: [String] = []
        @Flag(help: "One JSON object per line.") var json = false

        func run() throws {
            let access = try LineageAccess()
            try ValueDiff.compare(revisions, json: json, access: access, recorded: { ValueComparison.params(recorded: $0.locks) },
                                  current: ValueComparison(session: access.session).currentParams,
                                  overridden: ValueComparison.overridden(recorded:))
        }
    }
}
