import CairnCore
import CairnEngine
import CairnGit
import CairnOperations
import CairnSupport
import CairnWatch
import Glibc
import Synchronization

/// Shows a run as it happens: JSON lines, plain lines for a pipe, or plain lines plus a live
/// "running: …" line on a terminal, with how far long stages have got. Failures show the end of
/// the stage's log.
final class RunReporter: RunObserver {
    enum Style { case json, plain, terminal }

    static let logLinesOnFailure = 20

    private let style: Style
    private let verbose: Bool
    /// The stages running now, in the order they started, and the last progress each reported.
    private struct Running {
        var names: [String] = []
        var progress: [String: String] = [:]
        var lastDrawn: ContinuousClock.Instant?
    }

    /// Progress redraws the status line at most this often.
    static let redrawInterval = Duration.milliseconds(100)

    private let running = Mutex(Running())

    init(style: Style, verbose: Bool) {
        self.style = style
        self.verbose = verbose
    }

    func stageStarted(pipeline: String, stage: String, restoring: Bool) {
        guard style == .terminal else { return }
        running.withLock { running in
            running.names.append(StageID(pipeline: pipeline, stage: stage).description)
            drawStatus(running)
        }
    }

    func stageProgress(pipeline: String, stage: String, text: String) {
        guard style == .terminal else { return }
        running.withLock { running in
            running.progress[StageID(pipeline: pipeline, stage: stage).description] = text
            let now = ContinuousClock.now
            if let last = running.lastDrawn, now - last < Self.redrawInterval { return }
            running.lastDrawn = now
            drawStatus(running)
        }
    }

    func stageFinished(_ event: StageEvent) {
        if style == .json { return Self.printJSON(event) }
        // An up-to-date stage is counted in the pipeline's summary line; listed only with
        // --verbose, so that a no-op run of 100,000 stages is one line, as make's is.
        if event.status == .skipped && !verbose { return }
        running.withLock { running in
            let name = event.id.description
            running.names.removeAll { $0 == name }
            running.progress[name] = nil
            if style == .terminal { Output.standardOutput("\r\u{1b}[K", newline: false) }
            Output.standardOutput(Self.line(for: event))
            if !event.rerunRequested.isEmpty {
                Output.standardOutput("         \(event.stage) marked \(event.rerunRequested.joined(separator: ", ")) to rerun on the next run")
            }
            // Where the problem is (a file, line and column in the data) and how to fix it, as a compiler says it.
            if event.status == .failed, let error = event.error, error.location != nil || error.hint != nil {
                Output.standardError(error.description)
            }
            if let log = event.logPath, verbose || event.status == .failed {
                var lines = Self.tail(of: log, lines: verbose ? Int.max : Self.logLinesOnFailure)
                // The log ends with the diagnostic just printed: not twice.
                if let error = event.error, error.location != nil || error.hint != nil {
                    let diagnostic = error.description.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                    if lines.suffix(diagnostic.count) == diagnostic[...] { lines.removeLast(diagnostic.count) }
                }
                if !lines.isEmpty { Output.standardOutput(lines.map { "    │ " + $0 }.joined(separator: "\n")) }
            }
            if style == .terminal { drawStatus(running) }
        }
    }

    func stageWarning(pipeline: String, stage: String, text: String) { warn(text, stage: StageID(pipeline: pipeline, stage: stage)) }

    func runWarning(_ text: String) { warn(text, stage: nil) }

    private func warn(_ text: String, stage: StageID?) {
        if style == .json {
            Output.jsonLine([("event", .string("warning"))] + (stage?.jsonFields ?? []) + [("message", .string(text))])
            return
        }
        running.withLock { running in
            if style == .terminal { Output.standardOutput("\r\u{1b}[K", newline: false) }
            Output.standardOutput("warning: " + (stage.map { "\($0): " } ?? "") + text)
            if style == .terminal { drawStatus(running) }
        }
    }

    func pipelineFinished(_ pipeline: String, events: [StageEvent], seconds: Double) {
        let counts = Dictionary(grouping: events, by: \.status).mapValues(\.count)
        if style == .json {
            Output.jsonLine([("event", .string("summary")), ("pipeline", .string(pipeline))]
                + StageStatus.allCases.map { ($0.rawValue, .integer(counts[$0] ?? 0)) }
                + [("seconds", .number(seconds))])
            return
        }
        let parts = StageStatus.allCases.compactMap { status in counts[status].map { "\($0) \(status.displayName)" } }
        let text = parts.isEmpty ? "nothing to do" : parts.joined(separator: ", ")
        Output.standardOutput("\(pipeline): \(text) in \(seconds.secondsText)")
    }

    /// What started a `cairn watch` run.
    func trigger(_ trigger: Trigger) {
        let kind: String
        let text: String
        switch trigger {
        case .start: (kind, text) = ("start", "bringing everything up to date")
        case .changes(let paths):
            kind = "change"
            text = paths.prefix(3).joined(separator: ", ") + (paths.count > 3 ? " and \(paths.count - 3) more" : "") + " changed"
        case .overflow: (kind, text) = ("overflow", "too many changes to follow one by one: planning everything again")
        case .schedule(let pipelines): (kind, text) = ("schedule", "scheduled run of " + pipelines.joined(separator: ", "))
        case .rerunRequested(let stages): (kind, text) = ("rerun", "rerunning what drift marked: " + stages.joined(separator: ", "))
        }
        if style == .json {
            Output.jsonLine([("event", .string("trigger")), ("trigger", .string(kind)),
                             ("paths", .array(trigger.paths.map { .string($0) }))])
        } else {
            Output.standardOutput("==> " + text)
        }
    }

    func metricsChanged(_ changes: [MetricsTracker.Change]) {
        for change in changes {
            if style == .json {
                Output.jsonLine([("event", .string("metric")), ("path", .string(change.path)), ("key", .string(change.key)),
                                 ("old", change.old.map { .string($0) } ?? .null), ("new", change.new.map { .string($0) } ?? .null)])
            } else {
                Output.standardOutput("    \(change.path): \(change.key) \(change.old ?? "–") → \(change.new ?? "–")")
            }
        }
    }

    /// A recorder that tells this reporter when lineage is off.
    func lineageRecorder(_ workspace: Workspace) -> LineageRecorder {
        LineageRecorder(workspace: workspace, tool: "cairn \(Cairn.configuration.version)") { [self] text in note(text) }
    }

    func lineageRecorded(_ recorded: LineageRecorder.Recorded?) {
        guard let recorded else { return }
        let (commit, source, seconds) = (recorded.commit, recorded.source, recorded.seconds)
        if style == .json {
            Output.jsonLine([("event", .string("lineage")), ("commit", .string(commit)),
                             ("source_commit", source.commit.map { .string($0) } ?? .null),
                             ("dirty", .bool(source.dirty)), ("seconds", .number(seconds))])
        } else {
            Output.standardOutput("lineage: recorded run \(commit.prefix(8)) from "
                                  + (source.commit.map { String($0.prefix(8)) } ?? "no commit") + (source.dirty ? " (dirty)" : ""))
        }
    }

    /// A problem that does not end the command (a spec error while watching).
    func error(_ error: CairnError) {
        if style == .json { Output.jsonError(error) } else { Output.standardOutput(error.description) }
    }

    /// A line for people, on standard error: not part of the results or the JSON stream.
    func note(_ text: String) {
        if style != .json { Output.standardError(text) }
    }

    /// A stage's event as one JSON line (`extra` first: the experiment it belongs to), and its error.
    static func printJSON(_ event: StageEvent, extra: [(String, JSONValue)] = []) {
        Output.jsonLine([("event", .string("stage"))] + extra + event.id.jsonFields + [
            ("status", .string(event.status.rawValue)), ("reason", .string(reasonText(event))),
            ("seconds", .number(event.seconds)),
            ("rerun_requested", .array(event.rerunRequested.map { .string($0) })),
        ])
        if let error = event.error { Output.jsonError(error, stage: event.id) }
    }

    static func line(for event: StageEvent) -> String {
        let name = event.id.description
        let status = event.status.displayName.padding(9)
        let time = [.skipped, .blocked, .notRun].contains(event.status) ? "      " : event.seconds.secondsText.padding(6)
        return "\(status)\(name.padding(24)) \(time)  \(reasonText(event))".trimmingTrailingSpaces
    }

    static func reasonText(_ event: StageEvent) -> String {
        switch event.status {
        case .skipped: return "up to date"
        case .blocked: return "not started: an upstream stage failed"
        case .notRun: return "not started: the run stopped first (--keep-going runs what a failure does not block)"
        case .failed:
            let error = event.error.map { $0.message + ($0.cause.map { " (\($0))" } ?? "") } ?? "failed"
            return error + (event.logPath.map { " — log: \($0)" } ?? "")
        case .ran, .restored: return event.reasons.map(\.description).joined(separator: "; ")
        }
    }

    private func drawStatus(_ running: Running) {
        guard !running.names.isEmpty else { return }
        let text = "running: " + running.names.map { name in running.progress[name].map { "\(name) (\($0))" } ?? name }.joined(separator: ", ")
        Output.standardOutput("\r\u{1b}[K" + String(text.prefix(Int(Self.terminalWidth) - 1)), newline: false)
    }

    private static var terminalWidth: UInt16 {
        var size = winsize()
        return ioctl(1, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0 ? size.ws_col : 80
    }

    static func tail(of path: String, lines count: Int) -> [String] {
        guard let text = try? FileSystem.readText(path) else { return [] }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let trimmed = lines.last == "" ? Array(lines.dropLast()) : lines
        return Array(trimmed.suffix(count))
    }
}

extension String {
    func padding(_ width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }

    var trimmingTrailingSpaces: String {
        var end = utf8.endIndex
        while end > utf8.startIndex, utf8[utf8.index(before: end)] == UInt8(ascii: " ") { end = utf8.index(before: end) }
        return String(self[..<end])
    }
}
