import CairnSupport

/// Reading Cairn's own JSON files (lock files, run-cache entries, stage history) strictly as
/// JSON: a file in any other syntax is unreadable, never half-understood.
extension JSONValue {
    /// `bytes` as JSON; `file` names them in the error.
    public static func parse(_ bytes: [UInt8], file: String) throws -> JSONValue {
        do {
            return try JSONReader.read(bytes)
        } catch {
            throw CairnError(.invalidValue, "\(file) is not readable JSON", cause: error.description)
        }
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
