import CairnSupport
/// Decodes a stage's `Config` from its `with:` block.
///
/// Errors are `CairnError`s that point at the offending YAML node, and a key the config type
/// never asked for is reported as unknown, with the closest key it did ask for.
public struct ConfigDecoder {
    public init() {}

    public func decode<T: Decodable>(_ type: T.Type, from node: ConfigNode) throws -> T {
        let tracker = KeyTracker()
        let value = try NodeDecoder(node: node, codingPath: [], tracker: tracker).decodeValue(T.self)
        try tracker.rejectUnknownKeys()
        return value
    }
}

/// Remembers, per mapping, which keys the decoded type asked for.
private final class KeyTracker {
    private var asked: [SourceLocation: (node: ConfigNode, keys: Set<String>)] = [:]

    func note(_ key: String, in mapping: ConfigNode) {
        asked[mapping.location, default: (mapping, [])].keys.insert(key)
    }

    func rejectUnknownKeys() throws {
        for (_, record) in asked.sorted(by: { ($0.key.line, $0.key.column) < ($1.key.line, $1.key.column) }) {
            for entry in record.node.entries ?? [] where !record.keys.contains(entry.name) {
                throw CairnError(.unknownKey, "unknown key '\(entry.name)'", at: entry.key.location,
                                 hint: Suggestion.hint(for: entry.name, in: Array(record.keys), noun: "keys"))
            }
        }
    }
}

private struct NodeDecoder: Decoder {
    let node: ConfigNode
    let codingPath: [any CodingKey]
    let tracker: KeyTracker
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard let entries = node.entries else {
            if node.isNull { return KeyedDecodingContainer(KeyedContainer<Key>(decoder: self, entries: [])) }
            throw mismatch("a mapping")
        }
        return KeyedDecodingContainer(KeyedContainer<Key>(decoder: self, entries: entries))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard let items = node.items else { throw mismatch("a list") }
        return UnkeyedContainer(decoder: self, items: items)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { SingleValue(decoder: self) }

    func mismatch(_ expected: String) -> CairnError {
        let found: String
        switch node.value {
        case .scalar(let text, _): found = "'\(text)'"
        case .sequence: found = "a list"
        case .mapping: found = "a mapping"
        }
        let path = codingPath.map(\.stringValue).joined(separator: ".")
        return CairnError(.invalidValue, "expected \(expected)\(path.isEmpty ? "" : " for '\(path)'"), found \(found)",
                          at: node.location)
    }

    /// Decodes a value from this node; an error its type throws without a place is placed here.
    func decodeValue<T: Decodable>(_ type: T.Type) throws -> T {
        do {
            return try T(from: self)
        } catch var error as CairnError where error.location == nil {
            error.location = node.location
            throw error
        }
    }

    func child(_ node: ConfigNode, key: any CodingKey) -> NodeDecoder {
        NodeDecoder(node: node, codingPath: codingPath + [key], tracker: tracker)
    }
}

private struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue }
    init(intValue: Int) { self.stringValue = String(intValue); self.intValue = intValue }
}

private struct KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: NodeDecoder
    let entries: [ConfigNode.Entry]
    var codingPath: [any CodingKey] { decoder.codingPath }
    var allKeys: [Key] {
        entries.compactMap { entry in
            decoder.tracker.note(entry.name, in: decoder.node)
            return Key(stringValue: entry.name)
        }
    }

    func contains(_ key: Key) -> Bool { lookup(key) != nil }

    private func lookup(_ key: Key) -> ConfigNode? {
        decoder.tracker.note(key.stringValue, in: decoder.node)
        return entries.first { $0.name == key.stringValue }?.value
    }

    private func require(_ key: Key) throws -> NodeDecoder {
        guard let node = lookup(key) else {
            throw CairnError(.invalidValue, "missing key '\(key.stringValue)'", at: decoder.node.location)
        }
        return decoder.child(node, key: key)
    }

    func decodeNil(forKey key: Key) throws -> Bool { lookup(key)?.isNull ?? true }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try require(key).decodeValue(T.self)
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let node = lookup(key), !node.isNull else { return nil }
        return try decoder.child(node, key: key).decodeValue(T.self)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey> {
        try require(key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try require(key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder { decoder }
    func superDecoder(forKey key: Key) throws -> any Decoder { try require(key) }
}

private struct UnkeyedContainer: UnkeyedDecodingContainer {
    let decoder: NodeDecoder
    let items: [ConfigNode]
    var currentIndex = 0
    var codingPath: [any CodingKey] { decoder.codingPath }
    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    init(decoder: NodeDecoder, items: [ConfigNode]) {
        self.decoder = decoder
        self.items = items
    }

    private mutating func next() throws -> NodeDecoder {
        guard !isAtEnd else {
            throw CairnError(.invalidValue, "list has too few items", at: decoder.node.location)
        }
        defer { currentIndex += 1 }
        return decoder.child(items[currentIndex], key: AnyKey(intValue: currentIndex))
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, items[currentIndex].isNull else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next().decodeValue(T.self) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
        -> KeyedDecodingContainer<NestedKey> {
        try next().container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { try next().unkeyedContainer() }
    mutating func superDecoder() throws -> any Decoder { try next() }
}

private struct SingleValue: SingleValueDecodingContainer {
    let decoder: NodeDecoder
    var codingPath: [any CodingKey] { decoder.codingPath }

    private func text(_ expected: String) throws -> (String, quoted: Bool) {
        guard case .scalar(let text, let quoted) = decoder.node.value else { throw decoder.mismatch(expected) }
        return (text, quoted)
    }

    func decodeNil() -> Bool { decoder.node.isNull }

    func decode(_ type: Bool.Type) throws -> Bool {
        let (text, quoted) = try text("true or false")
        switch (text, quoted) {
        case ("true", false), ("True", false), ("TRUE", false): return true
        case ("false", false), ("False", false), ("FALSE", false): return false
        default: throw decoder.mismatch("true or false")
        }
    }

    func decode(_ type: String.Type) throws -> String { try text("text").0 }

    func decode(_ type: Double.Type) throws -> Double {
        let (text, quoted) = try text("a number")
        switch text {
        case ".inf", ".Inf", "+.inf": return .infinity
        case "-.inf", "-.Inf": return -.infinity
        case ".nan", ".NaN": return .nan
        default: break
        }
        guard !quoted, let value = Double(text) else { throw decoder.mismatch("a number") }
        return value
    }

    func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }

    func decode<I: FixedWidthInteger & Decodable>(integer type: I.Type) throws -> I {
        let (text, quoted) = try text("a whole number")
        guard !quoted, let value = I(text) else { throw decoder.mismatch("a whole number") }
        return value
    }

    func decode(_ type: Int.Type) throws -> Int { try decode(integer: type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try decode(integer: type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try decode(integer: type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try decode(integer: type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try decode(integer: type) }
    func decode(_ type: UInt.Type) throws -> UInt { try decode(integer: type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try decode(integer: type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try decode(integer: type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try decode(integer: type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try decode(integer: type) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        return try T(from: decoder)
    }
}

extension ConfigDecoder {
    /// Runs `body`, placing an error it throws without a place at the node `decoder` reads: for
    /// checks made after a value is decoded by hand.
    public static func placingErrors<T>(at decoder: any Decoder, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch var error as CairnError where error.location == nil {
            guard let node = decoder as? NodeDecoder else { throw error }
            error.location = node.node.location
            throw error
        }
    }
}
