import CairnSupport
/// A config value that is one of a few words (`strategy: median`). Decoding a word it does not
/// know gives an error listing the words it does, with the closest one as a suggestion.
public protocol ConfigEnum: CaseIterable, RawRepresentable, Codable, Sendable where RawValue == String {}

extension ConfigEnum {
    public init(from decoder: any Decoder) throws {
        let word = try decoder.singleValueContainer().decode(String.self)
        guard let value = Self(rawValue: word) else {
            let words = Self.allCases.map(\.rawValue)
            throw CairnError(.invalidValue, "'\(word)' is not one of: \(words.joined(separator: ", "))",
                             hint: Suggestion.hint(for: word, in: words, noun: "values"))
        }
        self = value
    }
}
