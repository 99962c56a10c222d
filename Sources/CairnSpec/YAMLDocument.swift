import CairnCore
import CairnSupport
internal import CYAML

/// Reads YAML with libyaml's event parser into a `ConfigNode` tree that remembers where every
/// node was written. Anchors and aliases are resolved; a syntax error names line and column.
public enum YAMLDocument {
    /// Parses one document; an empty file is an empty mapping.
    /// - Parameter file: the path to show in diagnostics.
    public static func parse(_ bytes: [UInt8], file: String) throws -> ConfigNode {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            throw CairnError(.io, "libyaml could not start a parser for \(file)")
        }
        defer { yaml_parser_delete(&parser) }
        return try bytes.withUnsafeBufferPointer { buffer in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var builder = TreeBuilder(file: file)
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else { throw syntaxError(parser, file: file) }
                defer { yaml_event_delete(&event) }
                if event.type == YAML_STREAM_END_EVENT { break }
                try builder.consume(event)
            }
            return builder.root ?? ConfigNode(.mapping([]), at: SourceLocation(file: file, line: 1, column: 1))
        }
    }

    private static func syntaxError(_ parser: yaml_parser_t, file: String) -> CairnError {
        let mark = parser.problem_mark
        let problem = parser.problem.map { String(cString: $0) } ?? "invalid YAML"
        let context = parser.context.map { " " + String(cString: $0) } ?? ""
        return CairnError(.yamlSyntax, "YAML syntax: \(problem)\(context)",
                          at: SourceLocation(file: file, line: mark.line + 1, column: mark.column + 1),
                          hint: "check the indentation and quoting on this line and the one above")
    }
}

/// Turns the event stream into nested nodes with a stack of open collections, appending in
/// place so that a mapping of n entries costs O(n). Two limits keep a hostile file from costing
/// more than a config can need: collections nest at most `maxDepth` deep, and the aliases inside
/// no node stand for more than `maxNodes` nodes (a "billion laughs" file would otherwise be
/// expanded by every reader of the tree). Nodes written out are not limited: the file's size
/// bounds them, and a generated pipeline of 100,000 stages has millions.
private struct TreeBuilder {
    static let maxDepth = 200
    static let maxNodes = 1_000_000

    struct Frame {
        var isMapping: Bool
        var location: SourceLocation
        var anchor: String?
        /// Nodes it holds, itself included, aliases expanded.
        var weight = 1
        /// Of those, the nodes that aliases stand for.
        var aliased = 0
        var items: [ConfigNode] = []
        var entries: [ConfigNode.Entry] = []
        var pendingKey: ConfigNode?
        /// The keys so far, once the mapping is too large to scan for a duplicate: most are a
        /// few keys, and a generated pipeline has hundreds of thousands of them.
        var keys: Set<String>?

        /// Whether `name` is not yet a key of this mapping.
        mutating func isNewKey(_ name: String) -> Bool {
            if keys == nil, entries.count < 16 { return !entries.contains { $0.key.scalarText == name } }
            if keys == nil { keys = Set(entries.compactMap(\.key.scalarText)) }
            return keys!.insert(name).inserted
        }
    }

    /// The file's number for `SourceLocation`, looked up once.
    let fileNumber: Int
    var stack: [Frame] = []
    var anchors: [String: (node: ConfigNode, weight: Int)] = [:]
    var root: ConfigNode?

    init(file: String) { fileNumber = FileNames.number(of: file) }

    mutating func consume(_ event: yaml_event_t) throws {
        let location = SourceLocation(fileNumber: fileNumber, line: event.start_mark.line + 1, column: event.start_mark.column + 1)
        switch event.type {
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            let text = String(decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
            let quoted = scalar.style != YAML_PLAIN_SCALAR_STYLE || scalar.tag != nil
            try add(ConfigNode(.scalar(text, quoted: quoted), at: location), weight: 1, aliased: 0, anchor: string(scalar.anchor))
        case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
            guard stack.count < Self.maxDepth else {
                throw CairnError(.yamlSyntax, "lists and mappings nest more than \(Self.maxDepth) levels deep here", at: location,
                                 hint: "no pipeline, params or config file needs that many")
            }
            let mapping = event.type == YAML_MAPPING_START_EVENT
            stack.append(Frame(isMapping: mapping, location: location,
                               anchor: string(mapping ? event.data.mapping_start.anchor : event.data.sequence_start.anchor)))
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            let frame = stack.removeLast()
            let node = ConfigNode(frame.isMapping ? .mapping(frame.entries) : .sequence(frame.items), at: frame.location)
            try add(node, weight: frame.weight, aliased: frame.aliased, anchor: frame.anchor)
        case YAML_ALIAS_EVENT:
            let name = string(event.data.alias.anchor) ?? ""
            guard let anchored = anchors[name] else {
                throw CairnError(.yamlSyntax, "unknown alias '*\(name)'", at: location)
            }
            try add(anchored.node, weight: anchored.weight, aliased: anchored.weight, anchor: nil, at: location)
        default:
            break
        }
    }

    private mutating func add(_ node: ConfigNode, weight: Int, aliased: Int, anchor: String?, at location: SourceLocation? = nil) throws {
        if let anchor { anchors[anchor] = (node, weight) }
        guard !stack.isEmpty else {
            if root == nil { root = node }
            return
        }
        let top = stack.count - 1
        stack[top].weight += weight
        stack[top].aliased += aliased
        guard stack[top].aliased <= Self.maxNodes else {
            throw CairnError(.yamlSyntax, "aliases here expand to more than \(Self.maxNodes) nodes", at: location ?? node.location,
                             hint: "refer to large anchors fewer times")
        }
        guard stack[top].isMapping else {
            stack[top].items.append(node)
            return
        }
        guard let key = stack[top].pendingKey else {
            stack[top].pendingKey = node
            return
        }
        if let name = key.scalarText, !stack[top].isNewKey(name) {
            throw CairnError(.yamlSyntax, "duplicate key '\(name)'", at: key.location,
                             hint: "a key may appear once in a mapping; the second would silently replace the first")
        }
        stack[top].entries.append(ConfigNode.Entry(key: key, value: node))
        stack[top].pendingKey = nil
    }

    private func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
    }
}
