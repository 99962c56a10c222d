import CairnCore
import CairnEngine
import CairnSupport
import Glibc

/// Writing lines to the terminal or a pipe, and JSON lines.
enum Output {
    static func standardOutput(_ text: String, newline: Bool = true) { write(text, to: 1, newline: newline) }
    static func standardError(_ text: String, newline: Bool = true) { write(text, to: 2, newline: newline) }

    private static func write(_ text: String, to fd: Int32, newline: Bool) {
        var line = text
        if newline && !line.hasSuffix("\n") { line += "\n" }
        try? FileSystem.writeAll(fd, Array(line.utf8), path: fd == 1 ? "standard output" : "standard error")
    }

    static var isTerminal: Bool { isatty(1) == 1 }
    static var errorIsTerminal: Bool { isatty(2) == 1 }

    /// A number for people: three decimals, or all its digits when that would hide it. JSON output
    /// keeps every digit.
    static func short(_ value: Double) -> String {
        let magnitude = abs(value)
        if magnitude != 0, magnitude < 1e-3 || magnitude >= 1e7 { return String(value) }
        return String((value * 1000).rounded() / 1000)
    }

    static func jsonLine(_ pairs: [(String, JSONValue)]) { standardOutput(JSONValue.object(pairs).compact) }

    /// The error as a JSON event, for `--json` consumers that read only standard output.
    /// `stage`: the pipeline and stage that failed with it, if a stage did.
    static func jsonError(_ error: CairnError, stage: StageID? = nil) {
        jsonLine([("event", .string("error"))] + (stage?.jsonFields ?? [])
            + [("code", .string(error.code.rawValue)), ("message", .string(error.message)),
               ("location", error.location.map { .string($0.description) } ?? .null),
               ("row", error.row.map { .integer($0 + 1) } ?? .null),
               ("hint", error.hint.map { .string($0) } ?? .null)])
    }
}
