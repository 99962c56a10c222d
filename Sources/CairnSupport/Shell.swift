/// Text for `/bin/sh`: command stages' placeholders, cluster job scripts.
public enum Shell {
    /// As is when it is only safe characters, else in single quotes. Quotes are found by Unicode
    /// scalar, not by `Character`: a `'` followed by a combining mark or a zero-width joiner is one
    /// Character, and must still be escaped, since the shell sees the byte.
    public static func quoted(_ value: String) -> String {
        let safe = value.unicodeScalars.allSatisfy {
            ($0.properties.isAlphabetic && $0.isASCII) || ("0"..."9").contains($0) || "@%+=:,./_-".unicodeScalars.contains($0)
        }
        if safe && !value.isEmpty { return value }
        var quoted = String.UnicodeScalarView()
        quoted.append("'")
        for scalar in value.unicodeScalars {
            if scalar == "'" { quoted.append(contentsOf: "'\\''".unicodeScalars) } else { quoted.append(scalar) }
        }
        quoted.append("'")
        return String(quoted)
    }
}
