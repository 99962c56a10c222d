/// The spellings of a missing value, packed for a fast test in the parsing loop: tokens of up to
/// eight bytes are compared as one integer each.
struct MissingTokens {
    private let packed: [UInt64]
    private let lengths: [Int]
    private let long: [[UInt8]]
    private let emptyIsMissing: Bool
    private let longest: Int

    init(_ tokens: [String]) {
        let bytes = tokens.map { Array($0.utf8) }
        emptyIsMissing = bytes.contains([])
        let short = bytes.filter { !$0.isEmpty && $0.count <= 8 }
        packed = short.map { $0.withUnsafeBufferPointer { MissingTokens.pack($0.baseAddress!, $0.count) } }
        lengths = short.map(\.count)
        long = bytes.filter { $0.count > 8 }
        longest = bytes.map(\.count).max() ?? 0
    }

    @inline(__always)
    func contains(_ start: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        if count == 0 { return emptyIsMissing }
        if count > longest { return false }
        if count <= 8 {
            let value = MissingTokens.pack(start, count)
            for index in packed.indices where packed[index] == value && lengths[index] == count { return true }
            return false
        }
        return long.contains { $0.elementsEqual(UnsafeBufferPointer(start: start, count: count)) }
    }

    @inline(__always)
    private static func pack(_ start: UnsafePointer<UInt8>, _ count: Int) -> UInt64 {
        var value: UInt64 = 0
        for index in 0..<count { value |= UInt64(start[index]) << UInt64(index * 8) }
        return value
    }
}
