/// The texts of named elements in one of S3's XML answers (a listing, an error). S3's answers
/// are flat and attribute-free where Cairn reads them, so finding `<Name>…</Name>` and decoding
/// the five predefined entities (and numeric ones) is all the XML they need.
struct XMLElements {
    let text: String

    init(_ bytes: [UInt8]) { text = String(decoding: bytes, as: UTF8.self) }

    /// The decoded text of every `<name>…</name>`, in order.
    func texts(_ name: String) -> [String] {
        var found: [String] = []
        var rest = text[...]
        while let open = rest.firstRange(of: "<\(name)>"), let close = rest[open.upperBound...].firstRange(of: "</\(name)>") {
            found.append(Self.decode(rest[open.upperBound..<close.lowerBound]))
            rest = rest[close.upperBound...]
        }
        return found
    }

    static func decode(_ text: Substring) -> String {
        guard text.contains("&") else { return String(text) }
        var decoded = ""
        var rest = text
        while let amp = rest.firstIndex(of: "&") {
            decoded += rest[..<amp]
            rest = rest[amp...]
            guard let semicolon = rest.firstIndex(of: ";") else { break }
            let entity = rest[rest.index(after: amp)..<semicolon]
            let named = ["amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'"]
            if let character = named[String(entity)] {
                decoded += character
            } else if entity.hasPrefix("#"), let scalar = (entity.hasPrefix("#x") ? UInt32(entity.dropFirst(2), radix: 16) : UInt32(entity.dropFirst()))
                .flatMap(Unicode.Scalar.init) {
                decoded.unicodeScalars.append(scalar)
            } else {
                decoded += rest[amp...semicolon]
            }
            rest = rest[rest.index(after: semicolon)...]
        }
        return decoded + rest
    }
}
