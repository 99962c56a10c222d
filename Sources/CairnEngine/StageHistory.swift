import CairnCore
import CairnSpec
import CairnSupport
import Glibc

/// `.cairn/runs/PIPELINE.json`: when each stage last did something (ran, was restored, or
/// failed), how long it took and why, kept across runs that skip it — what `cairn report`
/// shows for each stage of the DAG. Written after every run, read back as JSON.
public struct StageHistory: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var status: StageStatus
        public var seconds: Double
        /// Seconds since the epoch.
        public var finished: Int
        public var reasons: [String]
    }

    public var stages: [String: Entry] = [:]

    public init() {}

    public static func path(in workspace: Workspace, pipeline: String) -> String {
        workspace.stateDirectory + "/runs/\(pipeline).json"
    }

    /// A missing or unreadable file is an empty history: it only informs a report.
    public static func load(_ path: String) -> StageHistory {
        var history = StageHistory()
        guard let bytes = try? FileSystem.readAll(path), let root = try? JSONValue.parse(bytes, file: path) else { return history }
        for member in root["stages"]?.members ?? [] {
            let node = member.value
            guard let status = node["status"]?.string.flatMap(StageStatus.init(rawValue:)) else { continue }
            history.stages[member.key] = Entry(
                status: status, seconds: node["seconds"]?.double ?? 0, finished: node["finished"]?.integer ?? 0,
                reasons: (node["reasons"]?.array ?? []).compactMap(\.string))
        }
        return history
    }

    /// Whether the history keeps `event`: a stage the run skipped (or never reached) keeps its
    /// last entry, so a run of only such events leaves the file as it is, unread.
    public static func records(_ event: StageEvent) -> Bool { ![.skipped, .blocked, .notRun].contains(event.status) }

    /// This history with the run's events in: stages the run skipped keep their last entry.
    public func updated(with events: [StageEvent], at time: Int) -> StageHistory {
        var copy = self
        for event in events where Self.records(event) {
            copy.stages[event.stage] = Entry(status: event.status, seconds: event.seconds, finished: time,
                                             reasons: event.status == .failed ? [event.error?.message ?? "failed"]
                                                                              : event.reasons.map(\.description))
        }
        return copy
    }

    public func write(to path: String) throws {
        let stages = self.stages.sorted { $0.key < $1.key }.map { name, entry -> (String, JSONValue) in
            (name, .object([("finished", .integer(entry.finished)), ("reasons", .array(entry.reasons.map { .string($0) })),
                            ("seconds", .number(entry.seconds)), ("status", .string(entry.status.rawValue))]))
        }
        try FileSystem.makeDirectories(FileSystem.parent(of: path))
        try FileSystem.writeAtomically(Array((JSONValue.object([("stages", .object(stages))]).pretty() + "\n").utf8), to: path)
    }
}
