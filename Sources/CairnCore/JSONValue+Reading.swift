import CairnSupport
import FoundationEssentials

/// Reading Cairn's own JSON files (lock files, run-cache entries, stage history) strictly as
/// JSON: a file in any other syntax is unreadable, never half-understood.
extension JSONValue: Decodable {
    /// `bytes` as JSON; `file` names them in the error.
    public static func parse(_ bytes: [UInt8], file: String) throws -> JSONValue {
        do {
            return try JSONDecoder().decode(JSONValue.self, from: Data(bytes))
        } catch {
            throw CairnError(.invalidValue, "\(file) is not readable JSON", cause: "\(error)")
        }
    }

    // Strings first: they are most of what Cairn's files hold, and each failed guess costs a thrown error.
    public init(from decoder: any Decoder) throws {
        let value = try decoder.singleValueContainer()
        if let text = try? value.decode(String.self) { self = .string(text) }
        else if value.decodeNil() { self = .null }
        else if let flag = try? value.decode(Bool.self) { self = .bool(flag) }
        else if let integer = try? value.decode(Int.self) { self = .integer(integer) }
        else if let number = try? value.decode(Double.self) { self = .number(number) }
        else if let object = try? decoder.container(keyedBy: MemberKey.self) {
            self = .object(try object.allKeys.sorted { $0.stringValue < $1.stringValue }.map {
                ($0.stringValue, try object.decode(JSONValue.self, forKey: $0))
            })
        } else {
            var array = try decoder.unkeyedContainer()
            var items: [JSONValue] = []
            while !array.isAtEnd { items.append(try array.decode(JSONValue.self)) }
            self = .array(items)
        }
    }

    private struct MemberKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// The member `key` of an object.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let pairs) = self else { return nil }
        return pairs.first { $0.0 == key }?.1
    }

    /// An object's members, by key.
    public var members: [(key: String, value: JSONValue)]? {
        guard case .object(let pairs) = self else { return nil }
        return pairs.map { ($0.0, $0.1) }
    }

    public var string: String? {
        guard case .string(let text) = self else { return nil }
        return text
    }

    public var integer: Int? {
        guard case .integer(let value) = self else { return nil }
        return value
    }

    /// A number, whole or not.
    public var double: Double? {
        switch self {
        case .number(let value): value
        case .integer(let value): Double(value)
        default: nil
        }
    }

    public var bool: Bool? {
        guard case .bool(let flag) = self else { return nil }
        return flag
    }

    public var array: [JSONValue]? {
        guard case .array(let items) = self else { return nil }
        return items
    }
}
