import CairnSupport

extension Array where Element == Double {
    /// Nesting one initializer per array costs a stack frame each: past this many arrays, the
    /// memory is allocated plainly and copied into arrays at the end instead.
    static let nestedArraysLimit = 256

    /// `arrays` arrays of `count` elements each, whose memory `body` fills through pointers, all
    /// at once: each array is made inside the previous one's initializer, so that the pointers
    /// are valid together and the finished arrays need no copy. `body` must write every element.
    static func uninitializedArrays(_ arrays: Int, count: Int,
                                    _ body: ([UnsafeMutablePointer<Double>]) throws -> Void) throws -> [[Double]] {
        guard arrays <= nestedArraysLimit else {
            let buffers = (0..<arrays).map { _ in UnsafeMutablePointer<Double>.allocate(capacity: Swift.max(count, 1)) }
            defer { buffers.forEach { $0.deallocate() } }
            try body(buffers)
            return buffers.map { Array(UnsafeBufferPointer(start: $0, count: count)) }
        }
        var pointers: [UnsafeMutablePointer<Double>] = []
        // Zero rows still need pointers to hand out; nothing is written through them.
        let empty = UnsafeMutablePointer<Double>.allocate(capacity: 1)
        defer { empty.deallocate() }
        func nest(_ remaining: Int) throws -> [[Double]] {
            guard remaining > 0 else {
                try body(pointers)
                return []
            }
            var rest: [[Double]] = []
            let array = try [Double](unsafeUninitializedCapacity: count) { buffer, initialized in
                pointers.append(buffer.baseAddress ?? empty)
                rest = try nest(remaining - 1)
                initialized = count
            }
            return [array] + rest
        }
        return try nest(arrays)
    }
}
