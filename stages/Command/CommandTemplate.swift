import CairnCore
import CairnSupport

/// A command line with `${inputs.X}`, `${outputs.X}` and `${params.KEY}` placeholders.
public struct CommandTemplate: Sendable, Equatable {
    public enum Namespace: String, Sendable {
        case inputs, outputs, params
        var singular: String { String(rawValue.dropLast()) }
    }

    public struct Reference: Sendable, Equatable {
        public var namespace: Namespace
        public var name: String

        public init(namespace: Namespace, name: String) {
            self.namespace = namespace
            self.name = name
        }
    }

    enum Piece: Sendable, Equatable {
        case text(String)
        case reference(Reference)
    }

    /// A `${…}` that looks meant for Cairn but is not a substitution it knows.
    public struct Malformed: Sendable, Equatable {
        public var text: String
        /// What it most likely means (`${outputs.table}` for `${output.table}`).
        public var correction: String?

        public init(text: String, correction: String?) {
            self.text = text
            self.correction = correction
        }
    }

    let pieces: [Piece]
    /// The first malformed `${…}`, if any.
    public let malformed: Malformed?
    /// The first placeholder written inside shell quotes, if any: its value is quoted already,
    /// and quotes around it would undo that (`echo "${params.x}"` runs a `$(…)` in the value).
    public let insideQuotes: Reference?

    /// Scans the UTF-8 bytes: `$`, `{`, `}`, `.` and the shell's quotes are ASCII, and no byte
    /// of a multi-byte character is, so cutting at them never splits a character. (Read as
    /// `Character`s, a 10,000-stage pipeline spent a fifth of its graph building here.)
    public init(_ text: String) {
        let bytes = Array(text.utf8)
        func string(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }
        func first(_ byte: UInt8, from start: Int) -> Int? { bytes[start...].firstIndex(of: byte) }
        let dollar = UInt8(ascii: "$"), open = UInt8(ascii: "{"), close = UInt8(ascii: "}")
        var pieces: [Piece] = []
        var malformed: Malformed?
        var insideQuotes: Reference?
        var quoting = ShellQuoting()
        var literal: [UInt8] = []
        var rest = 0
        while let at = first(dollar, from: rest) {
            quoting.read(bytes[rest..<at])
            literal += bytes[rest..<at]
            let after = at + 1
            if bytes[after...].starts(with: [dollar, open]) {  // $${ is a literal ${
                literal += [dollar, open]
                rest = after + 2
                continue
            }
            guard after < bytes.count, bytes[after] == open, let end = first(close, from: after) else {
                literal.append(dollar)
                quoting.read([dollar])
                rest = after
                continue
            }
            let body = string(after + 1..<end)
            let parts = body.split(separator: ".", maxSplits: 1)
            if parts.count == 2, let namespace = Namespace(rawValue: String(parts[0])) {
                if !literal.isEmpty { pieces.append(.text(String(decoding: literal, as: UTF8.self))) }
                literal = []
                let reference = Reference(namespace: namespace, name: String(parts[1]))
                if quoting.isQuoted { insideQuotes = insideQuotes ?? reference }
                pieces.append(.reference(reference))
            } else {
                // Not ours (e.g. ${HOME}): left for the shell, unless it is a near miss of ours.
                let spaces = ["inputs", "outputs", "params"]
                let head = parts.first.map(String.init) ?? ""
                if let namespace = spaces.first(where: { body.hasPrefix($0) }) ?? (parts.count == 2 ? Suggestion.closest(to: head, in: spaces) : nil) {
                    let correction = parts.count == 2 && namespace != head ? "${\(namespace).\(parts[1])}" : nil
                    malformed = malformed ?? Malformed(text: "${\(body)}", correction: correction)
                }
                literal += bytes[at...end]
            }
            rest = end + 1
        }
        literal += bytes[rest...]
        if !literal.isEmpty { pieces.append(.text(String(decoding: literal, as: UTF8.self))) }
        self.pieces = pieces
        self.malformed = malformed
        self.insideQuotes = insideQuotes
    }

    public var references: [Reference] {
        pieces.compactMap { if case .reference(let reference) = $0 { return reference } else { return nil } }
    }

    /// Whether the shell is inside single or double quotes after the text read so far. A
    /// command substitution (`$(…)` or backquotes) starts afresh, even inside double quotes.
    struct ShellQuoting {
        private enum Context { case plain, substitution, backquoted, single, double }
        private var contexts: [Context] = [.plain]
        private var escaped = false, afterDollar = false
        var isQuoted: Bool { contexts.last == .single || contexts.last == .double }

        /// Reads UTF-8 bytes: every character that matters here is ASCII.
        mutating func read(_ text: some Collection<UInt8>) {
            for byte in text {
                let scalar = Unicode.Scalar(byte)
                defer { afterDollar = scalar == "$" && !escaped }
                if escaped { escaped = false; continue }
                switch (contexts.last!, scalar) {
                case (.single, "'"), (.double, "\""), (.substitution, ")"), (.backquoted, "`"): contexts.removeLast()
                case (.single, _): break
                case (_, "\\"): escaped = true
                case (.double, "`"), (.plain, "`"), (.substitution, "`"): contexts.append(.backquoted)
                case (.substitution, "("): contexts.append(.substitution)  // a subshell inside: its `)` is not ours
                case (.double, "("), (.plain, "("), (.backquoted, "("):
                    if afterDollar { contexts.append(.substitution) }
                case (.double, _): break
                case (_, "'"): contexts.append(.single)
                case (_, "\""): contexts.append(.double)
                default: break
                }
            }
        }
    }

    /// The command line with every placeholder replaced by its shell-quoted value; paths
    /// inside the workspace are written relative to it (commands run in the workspace root).
    public func render(_ context: StageContext) -> String {
        pieces.map { piece -> String in
            switch piece {
            case .text(let text): return text
            case .reference(let reference):
                let value: String
                switch reference.namespace {
                case .inputs: value = relative(context.inputs[reference.name] ?? "", to: context.workspace)
                case .outputs: value = relative(context.outputs[reference.name] ?? "", to: context.workspace)
                case .params: value = context.params[reference.name]?.displayText ?? ""
                }
                return Shell.quoted(value)
            }
        }.joined()
    }

    private func relative(_ path: String, to root: String) -> String {
        path.hasPrefix(root + "/") ? String(path.dropFirst(root.count + 1)) : path
    }
}
