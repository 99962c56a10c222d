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

    public init(_ text: String) {
        var pieces: [Piece] = []
        var malformed: Malformed?
        var insideQuotes: Reference?
        var quoting = ShellQuoting()
        var literal = ""
        var rest = Substring(text)
        while let dollar = rest.firstIndex(of: "$") {
            quoting.read(rest[..<dollar])
            literal += rest[..<dollar]
            let after = rest[dollar...].dropFirst()
            if after.hasPrefix("${") {  // $${ is a literal ${
                literal += "${"
                rest = after.dropFirst(2)
                continue
            }
            guard after.hasPrefix("{"), let close = after.firstIndex(of: "}") else {
                literal += "$"
                quoting.read("$")
                rest = after
                continue
            }
            let body = after[after.index(after: after.startIndex)..<close]
            let parts = body.split(separator: ".", maxSplits: 1)
            if parts.count == 2, let namespace = Namespace(rawValue: String(parts[0])) {
                if !literal.isEmpty { pieces.append(.text(literal)) }
                literal = ""
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
                literal += rest[dollar...close]
            }
            rest = after[after.index(after: close)...]
        }
        literal += rest
        if !literal.isEmpty { pieces.append(.text(literal)) }
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

        mutating func read(_ text: Substring) {
            for scalar in text.unicodeScalars {
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
