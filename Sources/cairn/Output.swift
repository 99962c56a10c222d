import CairnCore
import Glibc

/// Writing lines to the terminal or a pipe, and JSON lines with keys in a fixed order.
enum Output {
    static func standardOutput(_ text: String, newline: Bool = true) { write(text, to: 1, newline: newline) }
    static func standardError(_ text: String) { write(text, to: 2, newline: true) }

    private static func write(_ text: String, to fd: Int32, newline: Bool) {
        var line = text
        if newline && !line.hasSuffix("\n") { line += "\n" }
        try? FileSystem.writeAll(fd, Array(line.utf8), path: fd == 1 ? "standard output" : "standard error")
    }

    static var isTerminal: Bool { isatty(1) == 1 }

    /// A JSON value, written without a serializer so that keys keep the order given.
    enum JSON {
        case string(String)
        case number(Double)
        case integer(Int)
        case bool(Bool)
        case null
        case array([JSON])
        case object([(String, JSON)])

        var text: String {
            switch self {
            case .string(let value): return ConfigNode.jsonQuoted(value)
            case .number(let value): return value.isFinite ? String((value * 1000).rounded() / 1000) : "null"
            case .integer(let value): return String(value)
            case .bool(let value): return value ? "true" : "false"
            case .null: return "null"
            case .array(let items): return "[" + items.map(\.text).joined(separator: ",") + "]"
            case .object(let pairs):
                return "{" + pairs.map { ConfigNode.jsonQuoted($0.0) + ":" + $0.1.text }.joined(separator: ",") + "}"
            }
        }
    }

    static func jsonLine(_ pairs: [(String, JSON)]) { standardOutput(JSON.object(pairs).text) }

    /// The error as a JSON event, for `--json` consumers that read only standard output.
    static func jsonError(_ error: CairnError) {
        jsonLine([
            ("event", .string("error")), ("code", .string(error.code.rawValue)), ("message", .string(error.message)),
            ("location", error.location.map { .string($0.description) } ?? .null),
            ("hint", error.hint.map { .string($0) } ?? .null),
        ])
    }
}
