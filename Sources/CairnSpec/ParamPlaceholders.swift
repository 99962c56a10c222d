import CairnCore
import CairnSupport

/// `${params.KEY}` in a built-in stage's `with:` and in any stage's input and output paths,
/// replaced by the param's value when the pipeline loads. A value that is only a placeholder
/// takes the param's type (a number stays a number, a list a list); inside longer text it
/// becomes text. `$${` writes a literal `${`. Each use is recorded: the param is then a
/// dependency of the stage and its value goes into the lock file.
struct ParamPlaceholders {
    static let prefix = "${params."

    let params: ParamsFile?
    let stage: String
    /// Every key replaced, where it was used.
    private(set) var uses: [StageSpec.ParamUse] = []

    init(params: ParamsFile?, stage: String) {
        self.params = params
        self.stage = stage
    }

    /// `node` with every placeholder in its scalars replaced.
    mutating func resolve(_ node: ConfigNode) throws -> ConfigNode {
        switch node.value {
        case .scalar(let text, _):
            guard text.contains("${") else { return node }
            if let key = Self.wholeKey(text) { return try value(key, at: node.location).relocated(to: node.location) }
            return ConfigNode(.scalar(try resolve(text: text, at: node.location), quoted: true), at: node.location)
        case .sequence(let items):
            return ConfigNode(.sequence(try items.map { try resolve($0) }), at: node.location)
        case .mapping(let entries):
            return ConfigNode(.mapping(try entries.map { ConfigNode.Entry(key: $0.key, value: try resolve($0.value)) }), at: node.location)
        }
    }

    /// `text` with each placeholder replaced by its param's value as text.
    mutating func resolve(text: String, at location: SourceLocation) throws -> String {
        guard text.utf8.contains(UInt8(ascii: "$")) else { return text }
        var out = ""
        var rest = Substring(text)
        while let start = rest.firstRange(of: "${") {
            if start.lowerBound > rest.startIndex, rest[rest.index(before: start.lowerBound)] == "$" {
                out += rest[..<rest.index(before: start.lowerBound)] + "${"
                rest = rest[start.upperBound...]
                continue
            }
            out += rest[..<start.lowerBound]
            let candidate = rest[start.lowerBound...]
            guard candidate.hasPrefix(Self.prefix), let close = candidate.firstIndex(of: "}") else {
                out += "${"
                rest = rest[start.upperBound...]
                continue
            }
            let key = String(candidate[candidate.index(candidate.startIndex, offsetBy: Self.prefix.count)..<close])
            let value = try value(key, at: location)
            guard let scalar = value.scalarText else {
                throw CairnError(.invalidValue, "param '\(key)' is \(value.canonical) (\(params!.origin(of: key))), which cannot be put inside text",
                                 at: location, hint: "write \"${params.\(key)}\" alone as the value to pass it whole")
            }
            out += scalar
            rest = candidate[candidate.index(after: close)...]
        }
        return out + rest
    }

    /// The key when `text` is one placeholder and nothing else.
    static func wholeKey(_ text: String) -> String? {
        guard text.hasPrefix(prefix), text.hasSuffix("}"), text.firstIndex(of: "}") == text.index(before: text.endIndex) else { return nil }
        return String(text.dropFirst(prefix.count).dropLast())
    }

    private mutating func value(_ key: String, at location: SourceLocation) throws -> ConfigNode {
        guard let params else {
            throw CairnError(.unknownParam, "stage '\(stage)' uses param '\(key)' but the pipeline has no params file",
                             at: location, hint: "add 'params: params.yaml' at the top of the pipeline file")
        }
        guard let value = params.value(key) else {
            throw CairnError(.unknownParam, "param '\(key)' is not in \(params.path)", at: location,
                             hint: Suggestion.hint(for: key, in: params.keys, noun: "params"))
        }
        uses.append(StageSpec.ParamUse(key: key, location: location))
        return value
    }
}
