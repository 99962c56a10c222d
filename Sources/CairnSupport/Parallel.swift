import Dispatch
import Glibc

/// Data-parallel loops over the machine's cores, for work split into independent pieces.
public enum Parallel {
    /// The online cores: the default width of thread pools, parsers and BLAS.
    public static var cores: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    /// `body(0) … body(count - 1)` on all cores, results in index order. Rethrows the error of the
    /// lowest index that failed.
    public static func map<T>(_ count: Int, _ body: (Int) throws -> T) throws -> [T] {
        // One piece runs here: waking the thread pool costs more than it saves.
        if count == 1 { return [try body(0)] }
        let results = UnsafeMutableBufferPointer<Result<T, any Error>?>.allocate(capacity: count)
        results.initialize(repeating: nil)
        defer {
            results.deinitialize()
            results.deallocate()
        }
        withoutActuallyEscaping(body) { body in
            let shared = UncheckedBox((body, results))
            DispatchQueue.concurrentPerform(iterations: count) { index in
                let (body, results) = shared.value
                results[index] = Result { try body(index) }
            }
        }
        return try results.map { try $0!.get() }
    }

    /// `body` on consecutive pieces of `range`, `chunk` elements each (the last may be shorter),
    /// on all cores; results in order. Fixed pieces make the results independent of the core count.
    public static func map<T>(_ range: Range<Int>, chunk: Int, _ body: (Range<Int>) throws -> T) throws -> [T] {
        try map((range.count + chunk - 1) / chunk) { piece in
            try body(range.lowerBound + piece * chunk..<min(range.upperBound, range.lowerBound + (piece + 1) * chunk))
        }
    }
}

/// Hands a value to threads that each touch a disjoint part of it.
private struct UncheckedBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
