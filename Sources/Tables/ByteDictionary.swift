import Glibc

/// Distinct byte strings, each given a code in order of first appearance: text columns are
/// dictionary-encoded while parsing, so a repeated value is hashed and compared, never copied.
struct ByteDictionary {
    private(set) var storage: [UInt8] = []
    /// Entry `i` is `storage[offsets[i]..<offsets[i + 1]]`.
    private(set) var offsets: [Int] = [0]
    /// The chunk-local row where each entry was first seen, for error messages.
    private(set) var firstRows: [Int] = []
    private var slots = [Int32](repeating: -1, count: 64)

    var count: Int { firstRows.count }

    func bytes(_ code: Int) -> ArraySlice<UInt8> { storage[offsets[code]..<offsets[code + 1]] }

    mutating func code(for start: UnsafePointer<UInt8>, count length: Int, row: Int) -> Int32 {
        let mask = slots.count - 1
        var slot = ByteDictionary.slot(start, length, mask: mask)
        while true {
            let code = slots[slot]
            if code < 0 { break }
            let from = offsets[Int(code)], to = offsets[Int(code) + 1]
            if to - from == length, length == 0 || storage.withUnsafeBufferPointer({ memcmp($0.baseAddress! + from, start, length) == 0 }) {
                return code
            }
            slot = (slot + 1) & mask
        }
        let code = Int32(firstRows.count)
        storage.append(contentsOf: UnsafeBufferPointer(start: start, count: length))
        offsets.append(storage.count)
        firstRows.append(row)
        slots[slot] = code
        if firstRows.count * 2 > slots.count { rehash(capacity: slots.count * 2) }
        return code
    }

    /// FNV-1a, folded: short category names hash in a few cycles.
    private static func slot(_ start: UnsafePointer<UInt8>, _ length: Int, mask: Int) -> Int {
        var hash = seed
        for index in 0..<length { hash = (hash ^ UInt64(start[index])) &* 0x100_0000_01b3 }
        return Int(truncatingIfNeeded: hash ^ (hash >> 29)) & mask
    }

    private static let seed: UInt64 = 0xcbf2_9ce4_8422_2325
    private static func emptySlot(mask: Int) -> Int { Int(truncatingIfNeeded: seed ^ (seed >> 29)) & mask }

    private mutating func rehash(capacity: Int) {
        slots = [Int32](repeating: -1, count: capacity)
        let mask = capacity - 1
        storage.withUnsafeBufferPointer { buffer in
            for code in 0..<firstRows.count {
                let length = offsets[code + 1] - offsets[code]
                var slot = length == 0 ? ByteDictionary.emptySlot(mask: mask)
                    : ByteDictionary.slot(buffer.baseAddress! + offsets[code], length, mask: mask)
                while slots[slot] >= 0 { slot = (slot + 1) & mask }
                slots[slot] = Int32(code)
            }
        }
    }
}
