import ArgumentParser
import CairnCore
import CairnEngine
import CairnGit

/// `cairn metrics diff` and `cairn params diff`: values at two points, side by side.
struct ValueDiff {
    /// "A name → value" table at a point: a recorded run, or the working tree.
    typealias Values = [String: String]

    struct Row {
        var key: String
        var old: String?
        var new: String?
        var delta: Double? {
            guard let old = old.flatMap(Double.init), let new = new.flatMap(Double.init) else { return nil }
            return new - old
        }
    }

    static func rows(_ old: Values, _ new: Values) -> [Row] {
        Set(old.keys).union(new.keys).sorted().map { Row(key: $0, old: old[$0], new: new[$0]) }
    }

    static func print(_ rows: [Row], json: Bool, labels: (String, String)) {
        if json {
            for row in rows {
                Output.jsonLine([("key", .string(row.key)), ("old", row.old.map { .string($0) } ?? .null),
                                 ("new", row.new.map { .string($0) } ?? .null), ("delta", row.delta.map { .number($0) } ?? .null)])
            }
            return
        }
        let width = max(3, rows.map(\.key.count).max() ?? 0) + 2
        Output.standardOutput("key".padding(width) + labels.0.padding(14) + labels.1.padding(14) + "delta")
        for row in rows {
            let delta = row.delta.map { ($0 >= 0 ? "+" : "") + String($0) } ?? (row.old == row.new ? "" : "changed")
            Output.standardOutput((row.key.padding(width) + (row.old ?? "–").padding(14) + (row.new ?? "–").padding(14) + delta)
                .trimmingTrailingSpaces)
        }
    }

    /// Revisions as given: none → HEAD's recorded run against the working tree.
    static func points(_ revisions: [String]) throws -> (old: String, new: String?) {
        guard revisions.count <= 2 else { throw CairnError(.usage, "give at most two revisions") }
        return (revisions.first ?? "HEAD", revisions.count == 2 ? revisions[1] : nil)
    }
}

struct MetricsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "metrics", abstract: "Compare metrics files.",
                                                    subcommands: [Diff.self])

    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Metrics (outputs named *metrics*.json) at REV_A against REV_B (default: HEAD's run against the working tree).")

        @Argument var revisions: [String] = []
        @Flag(help: "One JSON object per line.") var json = false

        func run() throws {
            let access = try LineageAccess()
            let store = try access.session.makeStore()
            let (old, new) = try ValueDiff.points(revisions)
            func recorded(_ revision: String) throws -> ValueDiff.Values {
                var values: ValueDiff.Values = [:]
                for lock in try access.lineage.locks(at: try access.lineageCommit(revision)).values {
                    for (path, hash) in lock.stages.values.flatMap(\.outputs) where MetricsFile.matches(path) {
                        guard let bytes = try? store.read(hash) else { continue }
                        for (key, value) in MetricsFile.values(bytes, file: path) { values["\(path):\(key)"] = value }
                    }
                }
                return values
            }
            var current: ValueDiff.Values = [:]
            if new == nil {
                for graph in try access.session.loadGraphs() {
                    for output in graph.nodes.flatMap(\.outputs) where MetricsFile.matches(output.path) {
                        for (key, value) in MetricsFile.values(atPath: access.session.workspace.absolute(output.path)) {
                            current["\(output.path):\(key)"] = value
                        }
                    }
                }
            }
            ValueDiff.print(ValueDiff.rows(try recorded(old), try new.map(recorded) ?? current), json: json,
                            labels: (old, new ?? "workspace"))
        }
    }
}

struct ParamsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "params", abstract: "Compare params.",
                                                    subcommands: [Diff.self])

    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Params the stages use at REV_A against REV_B (default: HEAD's run against the working tree).")

        @Argument var revisions: [String] = []
        @Flag(help: "One JSON object per line.") var json = false

        func run() throws {
            let access = try LineageAccess()
            let (old, new) = try ValueDiff.points(revisions)
            func recorded(_ revision: String) throws -> ValueDiff.Values {
                var values: ValueDiff.Values = [:]
                for (pipeline, lock) in try access.lineage.locks(at: try access.lineageCommit(revision)) {
                    for record in lock.stages.values { for (key, value) in record.params { values["\(pipeline):\(key)"] = value } }
                }
                return values
            }
            var current: ValueDiff.Values = [:]
            if new == nil {
                for graph in try access.session.loadGraphs() {
                    for node in graph.nodes { for (key, value) in node.params { current["\(graph.pipeline):\(key)"] = value.canonical } }
                }
            }
            ValueDiff.print(ValueDiff.rows(try recorded(old), try new.map(recorded) ?? current), json: json,
                            labels: (old, new ?? "workspace"))
        }
    }
}
