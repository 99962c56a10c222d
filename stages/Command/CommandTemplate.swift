import CairnCore

/// A command line with `${inputs.X}`, `${outputs.X}` and `${params.KEY}` placeholders.
public struct CommandTemplate: Sendable, Equatable {
    public enum Namespace: String, Sendable {
        case inputs, outputs, params
        var singular: String { String(rawValue.dropLast()) }
    }

    public struct Reference: Sendable, Equatable {
        public var namespace: Namespace
        public var name: String
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

    public init(_ text: String) {
        var pieces: [Piece] = []
        var malformed: Malformed?
        var literal = ""
        var rest = Substring(text)
        while let dollar = rest.firstIndex(of: "$") {
            literal += rest[..<dollar]
            let after = rest[dollar...].dropFirst()
            if after.hasPrefix("${") {  // $${ is a literal ${
                literal += "${"
                rest = after.dropFirst(2)
                continue
            }
            guard after.hasPrefix("{"), let close = after.firstIndex(of: "}") else {
                literal += "$"
                rest = after
                continue
            }
            let body = after[after.index(after: after.startIndex)..<close]
            let parts = body.split(separator: ".", maxSplits: 1)
            if parts.count == 2, let namespace = Namespace(rawValue: String(parts[0])) {
                if !literal.isEmpty { pieces.append(.text(literal)) }
                literal = ""
                pieces.append(.reference(Reference(namespace: namespace, name: String(parts[1]))))
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
    }

    public var references: [Reference] {
        pieces.compactMap { if case .reference(let reference) = $0 { return reference } else { return nil } }
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
                return Self.shellQuoted(value)
            }
        }.joined()
    }

    private func relative(_ path: String, to root: String) -> String {
        path.hasPrefix(root + "/") ? String(path.dropFirst(root.count + 1)) : path
    }

    /// As is when it is only safe characters, else in single quotes.
    public static func shellQuoted(_ value: String) -> String {
        let safe = value.unicodeScalars.allSatisfy {
            ($0.properties.isAlphabetic && $0.isASCII) || ("0"..."9").contains($0) || "@%+=:,./_-".unicodeScalars.contains($0)
        }
        if safe && !value.isEmpty { return value }
        return "'" + value.replacingAll("'", with: "'\\''") + "'"
    }
}

extension String {
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for character in self { if character == target { out += replacement } else { out.append(character) } }
        return out
    }
}
