import CairnCore
import CairnSupport

/// `-S KEY=VALUE` from the command line: values that stand in for the params file's for one
/// run, without editing it. A value is read as YAML (`0.5` is a number, `[1, 2]` a list,
/// `"3"` a string), and remembers the assignment as where it came from.
public struct ParamOverrides: Sendable {
    /// Param key → value, in the order given.
    public private(set) var values: [(key: String, value: ConfigNode)] = []

    public static let none = ParamOverrides()

    private init() {}

    public init(_ assignments: [String]) throws {
        for assignment in assignments {
            let (key, text) = try Self.split(assignment)
            values.removeAll { $0.key == key }
            values.append((key, try Self.value(text, origin: "-S \(assignment)")))
        }
    }

    public var keys: [String] { values.map(\.key) }

    /// `KEY=VALUE` again, as `-S` takes them: for a process that loads the pipeline elsewhere.
    public var assignments: [String] { values.map { "\($0.key)=\(YAMLEdit.text(of: $0.value))" } }

    public subscript(key: String) -> ConfigNode? { values.first { $0.key == key }?.value }

    /// `train.C=0.5` → (`train.C`, `0.5`); a missing `=` or key is a usage error.
    public static func split(_ assignment: String) throws -> (key: String, value: String) {
        guard let equals = assignment.firstIndex(of: "="), equals != assignment.startIndex else {
            throw CairnError(.usage, "'-S \(assignment)' is not KEY=VALUE", hint: "for example -S train.C=0.5")
        }
        let key = String(assignment[..<equals])
        return (key, String(assignment[assignment.index(after: equals)...]))
    }

    /// A value as YAML reads it; `origin` is what a message about it shows as its place.
    public static func value(_ text: String, origin: String) throws -> ConfigNode {
        let location = SourceLocation(file: origin, line: 1, column: 1)
        if text.allSatisfy({ $0 == " " }) { return ConfigNode(.scalar("", quoted: false), at: location) }
        return try YAMLDocument.parse(Array(text.utf8), file: origin).relocated(to: location)
    }
}
