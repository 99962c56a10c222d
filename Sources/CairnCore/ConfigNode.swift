import CairnSupport
/// A value read from a YAML file, with the position of every part of it.
///
/// Stages receive their `with:` block as a `ConfigNode` so that a bad value can be reported
/// at the line and column where the user wrote it.
public struct ConfigNode: Sendable, Hashable {
    public enum Value: Sendable, Hashable {
        /// `quoted` scalars are always strings; plain ones may resolve to numbers, booleans or null.
        case scalar(String, quoted: Bool)
        case sequence([ConfigNode])
        case mapping([Entry])
    }

    public struct Entry: Sendable, Hashable {
        public var key: ConfigNode
        public var value: ConfigNode
        public init(key: ConfigNode, value: ConfigNode) {
            self.key = key
            self.value = value
        }
        /// The key's text (mapping keys are scalars in every file Cairn reads).
        public var name: String { key.scalarText ?? "" }
    }

    public var value: Value
    public var location: SourceLocation

    public init(_ value: Value, at location: SourceLocation) {
        self.value = value
        self.location = location
    }

    public var scalarText: String? {
        if case .scalar(let text, _) = value { return text }
        return nil
    }

    public var entries: [Entry]? {
        if case .mapping(let entries) = value { return entries }
        return nil
    }

    public var items: [ConfigNode]? {
        if case .sequence(let items) = value { return items }
        return nil
    }

    /// A plain scalar that YAML would read as null (`~`, `null`, or nothing).
    public var isNull: Bool {
        if case .scalar(let text, false) = value { return ["", "~", "null", "Null", "NULL"].contains(text) }
        return false
    }

    public subscript(key: String) -> ConfigNode? {
        entries?.first { $0.name == key }?.value
    }

    /// Looks up a dotted path (`train.C`) through nested mappings, or a key written with the
    /// dots in it (`train.C: 0.1` at the top level).
    public func lookup(dottedKey: String) -> ConfigNode? {
        if let literal = self[dottedKey] { return literal }
        var node: ConfigNode? = self
        for part in dottedKey.split(separator: ".", omittingEmptySubsequences: false) {
            node = node?[String(part)]
        }
        return node
    }

    /// Every dotted key path down to the leaves, for "did you mean" on params.
    public var dottedKeys: [String] {
        guard let entries else { return [] }
        return entries.flatMap { entry -> [String] in
            let nested = entry.value.dottedKeys
            return [entry.name] + nested.map { "\(entry.name).\($0)" }
        }
    }

    /// Every leaf by its path (`steps[0].impute.strategy`), as canonical text: two configs'
    /// leaves say which keys differ between them.
    public var leaves: [String: String] {
        func walk(_ node: ConfigNode, _ path: String, into leaves: inout [String: String]) {
            switch node.value {
            case .scalar: leaves[path] = node.canonical
            case .sequence(let items) where !items.isEmpty:
                for (index, item) in items.enumerated() { walk(item, "\(path)[\(index)]", into: &leaves) }
            case .mapping(let entries) where !entries.isEmpty:
                for entry in entries { walk(entry.value, path.isEmpty ? entry.name : "\(path).\(entry.name)", into: &leaves) }
            default: leaves[path] = node.canonical
            }
        }
        var leaves: [String: String] = [:]
        walk(self, "", into: &leaves)
        return leaves
    }

    /// A deterministic text of the value: mapping keys sorted, plain scalars resolved
    /// (`1.0` and `1.00` agree, `True` is `true`), quoted scalars as JSON strings.
    /// Two configs that mean the same thing have the same canonical text, so reformatting a
    /// file never makes a stage stale.
    public var canonical: String {
        var text = ""
        writeCanonical(into: &text)
        return text
    }

    /// Appends `canonical` to `text`: one string grows, rather than one per node joined
    /// (every stage's fingerprint holds its config's text, every no-op run).
    public func writeCanonical(into text: inout String) {
        switch value {
        case .scalar(let scalar, let quoted):
            if quoted { Self.appendJSONQuoted(scalar, to: &text) } else { Self.appendCanonicalPlain(scalar, to: &text) }
        case .sequence(let items):
            text += "["
            for (index, item) in items.enumerated() {
                if index > 0 { text += "," }
                item.writeCanonical(into: &text)
            }
            text += "]"
        case .mapping(let entries):
            text += "{"
            for (index, entry) in (entries.count < 2 ? entries : entries.sorted { $0.name < $1.name }).enumerated() {
                if index > 0 { text += "," }
                Self.appendJSONQuoted(entry.name, to: &text)
                text += ":"
                entry.value.writeCanonical(into: &text)
            }
            text += "}"
        }
    }

    /// The value as a person reads it in a reason ("param train.C 0.1 → 1").
    public var displayText: String {
        if let scalarText { return scalarText }
        return canonical
    }

    private static func appendCanonicalPlain(_ text: String, to out: inout String) {
        switch text {
        case "", "~", "null", "Null", "NULL": out += "null"
        case "true", "True", "TRUE": out += "true"
        case "false", "False", "FALSE": out += "false"
        default:
            if let integer = Int(text) { out += String(integer) }
            else if let number = Double(text), text.contains(where: \.isNumber) { out += String(number) }
            else { appendJSONQuoted(text, to: &out) }
        }
    }

    public static func jsonQuoted(_ text: String) -> String {
        var out = ""
        appendJSONQuoted(text, to: &out)
        return out
    }

    private static func appendJSONQuoted(_ text: String, to out: inout String) {
        out += "\""
        // Most text (names, paths, hashes) has nothing to escape: then it is copied whole.
        guard text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else {
            out += text
            out += "\""
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                    + String(scalar.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}

extension ConfigNode {
    /// The same value with every part of it placed at `location`: a value put in for another
    /// (a param standing for `${params.KEY}`) is reported where it was put.
    public func relocated(to location: SourceLocation) -> ConfigNode {
        switch value {
        case .scalar: return ConfigNode(value, at: location)
        case .sequence(let items): return ConfigNode(.sequence(items.map { $0.relocated(to: location) }), at: location)
        case .mapping(let entries):
            return ConfigNode(.mapping(entries.map { Entry(key: $0.key.relocated(to: location), value: $0.value.relocated(to: location)) }),
                              at: location)
        }
    }

    /// This mapping with the value at `dottedKey` (found as `lookup` finds it) replaced; nil
    /// when there is no such key.
    public func replacing(dottedKey: String, with replacement: ConfigNode) -> ConfigNode? {
        guard let entries else { return nil }
        if let index = entries.firstIndex(where: { $0.name == dottedKey }) {
            return replacingEntry(index, with: replacement)
        }
        let parts = dottedKey.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, let index = entries.firstIndex(where: { $0.name == parts[0] }),
              let inner = entries[index].value.replacing(dottedKey: parts[1], with: replacement) else { return nil }
        return replacingEntry(index, with: inner)
    }

    private func replacingEntry(_ index: Int, with value: ConfigNode) -> ConfigNode {
        var entries = self.entries!
        entries[index].value = value
        return ConfigNode(.mapping(entries), at: location)
    }
}
