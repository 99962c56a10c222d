import CairnCore
import CairnSupport
internal import CYAML

/// Changes values of a YAML file in its text, so that its comments, order and layout stay as
/// they were: how an experiment's params go into a params file. A value is found by dotted key
/// as `ConfigNode.lookup` finds it, through libyaml's event marks (byte offsets).
public enum YAMLEdit {
    /// `bytes` with the value at each key replaced by the given YAML text (a scalar or a flow
    /// collection). A missing key, or a value written as a block collection, is an error.
    public static func replacing(_ replacements: [String: String], in bytes: [UInt8], file: String) throws -> [UInt8] {
        let spans = try valueSpans(in: bytes, file: file, wanted: Set(replacements.keys))
        for key in replacements.keys where spans[key] == nil {
            throw CairnError(.unknownParam, "\(file) has no key '\(key)' to set")
        }
        var result = bytes
        for (key, span) in spans.sorted(by: { $0.value.lowerBound > $1.value.lowerBound }) {
            result.replaceSubrange(span, with: Array(replacements[key]!.utf8))
        }
        return result
    }

    /// YAML text for `node` that reads back as the same value: plain scalars as written,
    /// others as their canonical JSON, which is YAML's flow style.
    public static func text(of node: ConfigNode) -> String {
        if case .scalar(let text, false) = node.value, !text.isEmpty { return text }
        return node.canonical
    }

    private struct Frame {
        var path: String
        var isMapping: Bool
        /// In a mapping: the key read and waiting for its value.
        var key: String?
        var index = 0
    }

    /// Byte range of the value at each wanted key.
    private static func valueSpans(in bytes: [UInt8], file: String, wanted: Set<String>) throws -> [String: Range<Int>] {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { throw CairnError(.io, "libyaml could not start a parser for \(file)") }
        defer { yaml_parser_delete(&parser) }
        return try bytes.withUnsafeBufferPointer { buffer in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var stack: [Frame] = []
            var open: [(key: String, start: Int)] = []
            var spans: [String: Range<Int>] = [:]
            /// The path of the node an event starts, or nil for a mapping key.
            func place(_ stack: inout [Frame], keyText: String?) -> String? {
                guard let top = stack.indices.last else { return "" }
                if stack[top].isMapping {
                    guard let key = stack[top].key else {
                        stack[top].key = keyText ?? ""
                        return nil
                    }
                    stack[top].key = nil
                    return stack[top].path.isEmpty ? key : stack[top].path + "." + key
                }
                defer { stack[top].index += 1 }
                return "\(stack[top].path)[\(stack[top].index)]"
            }
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else {
                    throw CairnError(.yamlSyntax, "YAML syntax: " + (parser.problem.map { String(cString: $0) } ?? "invalid YAML"),
                                     at: SourceLocation(file: file, line: parser.problem_mark.line + 1, column: parser.problem_mark.column + 1))
                }
                defer { yaml_event_delete(&event) }
                let range = Int(event.start_mark.index)..<Int(event.end_mark.index)
                switch event.type {
                case YAML_STREAM_END_EVENT:
                    return spans
                case YAML_SCALAR_EVENT, YAML_ALIAS_EVENT:
                    let text = event.type == YAML_SCALAR_EVENT
                        ? String(decoding: UnsafeBufferPointer(start: event.data.scalar.value, count: event.data.scalar.length), as: UTF8.self)
                        : nil
                    if let path = place(&stack, keyText: text), wanted.contains(path) { spans[path] = range }
                case YAML_MAPPING_START_EVENT, YAML_SEQUENCE_START_EVENT:
                    let mapping = event.type == YAML_MAPPING_START_EVENT
                    let path = place(&stack, keyText: nil) ?? ""
                    if wanted.contains(path) {
                        let flow = mapping ? event.data.mapping_start.style == YAML_FLOW_MAPPING_STYLE
                                           : event.data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE
                        guard flow else {
                            throw CairnError(.invalidValue, "'\(path)' is written as a block \(mapping ? "mapping" : "list"), which cannot be set in place",
                                             at: SourceLocation(file: file, line: event.start_mark.line + 1, column: event.start_mark.column + 1),
                                             hint: "write it in flow style, as [a, b] or {k: v}")
                        }
                        open.append((path, range.lowerBound))
                    }
                    stack.append(Frame(path: path, isMapping: mapping))
                case YAML_MAPPING_END_EVENT, YAML_SEQUENCE_END_EVENT:
                    let frame = stack.removeLast()
                    if let last = open.last, last.key == frame.path {
                        spans[frame.path] = last.start..<range.upperBound
                        open.removeLast()
                    }
                default:
                    break
                }
            }
        }
    }
}
