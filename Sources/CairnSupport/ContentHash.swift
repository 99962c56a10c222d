/// A SHA-256 of some content, as 64 lowercase hex digits: the identity of a file, a directory
/// or a stage definition everywhere in Cairn (lock files, store, run cache).
public struct ContentHash: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let hex: String

    public init(hex: String) { self.hex = hex }

    /// Hex of raw digest bytes.
    public init(digest: some Sequence<UInt8>) {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(64)
        for byte in digest {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        hex = String(decoding: text, as: UTF8.self)
    }

    /// True for text that is a well-formed hash (guards paths built from hashes read from disk).
    public static func isValid(_ text: Substring) -> Bool {
        var count = 0
        for byte in text.utf8 {
            guard (48...57).contains(byte) || (97...102).contains(byte) else { return false }
            count += 1
        }
        return count == 64
    }

    public static func isValid(_ text: String) -> Bool { isValid(text[...]) }

    /// The first 8 digits, for people.
    public var short: String { String(hex.prefix(8)) }
    public var description: String { hex }
    public static func < (lhs: ContentHash, rhs: ContentHash) -> Bool { lhs.hex < rhs.hex }
}
