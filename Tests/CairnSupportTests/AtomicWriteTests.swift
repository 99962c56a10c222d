import CairnSupport
import Dispatch
import Glibc
import Synchronization
import Testing

@Suite struct AtomicWriteTests {
    /// The variants of a sweep store the same object at once, from threads of one process:
    /// every write must land whole, none may fail on another's temporary file.
    @Test func threadsWritingOnePathEachReplaceItWhole() throws {
        var template = Array("/tmp/cairn-atomic-XXXXXX".utf8CString)
        let directory = String(cString: mkdtemp(&template)!)
        defer { try? FileSystem.remove(directory) }
        let path = directory + "/object"
        let failures = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 400) { index in
            do {
                try FileSystem.writeAtomically(Array(repeating: UInt8(index % 2 == 0 ? 97 : 98), count: 4096), to: path)
            } catch {
                failures.withLock { $0 += 1 }
            }
        }
        #expect(failures.withLock { $0 } == 0)
        let bytes = try FileSystem.readAll(path)
        #expect(bytes.count == 4096 && Set(bytes).count == 1)
        #expect(try FileSystem.list(directory) == ["object"])
    }
}
