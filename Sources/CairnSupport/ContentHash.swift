/// A SHA-256 of some content, as 64 lowercase hex digits: the identity of a file, a directory
/// or a stage definition everywhere in Cairn (lock files, store, run cache).
public struct ContentHash: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let hex: String

    public init(hex: String) { self.hex = hex }

    /// Hex of raw digest bytes.
    public init(digest: some Sequence<UInt8>) {
        let bytes = Array(digest)
        hex = String(unsafeUninitializedCapacity: bytes.count * 2) { text in
            for (index, byte) in bytes.enumerated() {
                text[2 * index] = Self.hexDigit(byte >> 4)
                text[2 * index + 1] = Self.hexDigit(byte & 0x0f)
            }
            return bytes.count * 2
        }
    }

    private static func hexDigit(_ value: UInt8) -> UInt8 { value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10 }

    /// True for text that is a well-formed hash (guards paths built from hashes read from disk).
    public static func isValid(_ text: Substring) -> Bool {
        var text = text
        return text.withUTF8(isValid)
    }

    public static func isValid(_ text: String) -> Bool {
        var text = text
        return text.withUTF8(isValid)
    }

    /// 64 of `0-9a-f`: every hash of a lock file is checked when it is read.
    private static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count == 64 else { return false }
        return bytes.allSatisfy { $0 &- 48 <= 9 || $0 &- 97 <= 5 }
    }

    /// The first 8 digits, for people.
    public var short: String { String(hex.prefix(8)) }
    public var description: String { hex }
    public static func < (lhs: ContentHash, rhs: ContentHash) -> Bool { lhs.hex < rhs.hex }
}
