import CairnSupport
import Foundation
import Synchronization
import Tables
import Testing
import TestSupport

/// Data files built to hurt the reader: an error naming the place, in seconds, never a crash.
@Suite struct HostileTableTests {
    @Test func fortyThousandColumnsReadInLinearTime() throws {
        let columns = 40_000
        let header = (0..<columns).map { "c\($0)" }.joined(separator: ",")
        let row = (0..<columns).map { String($0 % 10) }.joined(separator: ",")
        let clock = ContinuousClock(), started = clock.now
        let table = try CSVReader().read(text: header + "\n" + row + "\n" + row + "\n")
        #expect(table.columns.count == columns && table.rowCount == 2)
        #expect(try table.column("c39999").doubles() == [9, 9])
        #expect(clock.now - started < .seconds(10), "\(clock.now - started)")
    }

    @Test func bareCarriageReturnsAreNamed() throws {
        let error = try #require(throws: CairnError.self) { try CSVReader().read(text: "a,b\r1,2\r3,4\r", source: "old.csv") }
        #expect(error.message.contains("bare carriage return") && error.location == SourceLocation(file: "old.csv", line: 1, column: 4))
        // CRLF is read as usual.
        #expect(try CSVReader().read(text: "a,b\r\n1,2\r\n").rowCount == 1)
    }

    @Test func minusNanIsANumberAsNanIs() throws {
        let table = try CSVReader().read(text: "x\n1.5\nnan\n-nan\nNaN\n")
        #expect(try table.column("x").type == .float64)
        let values = try table.column("x").doubles()!
        #expect(values[0] == 1.5 && values[1...].allSatisfy(\.isNaN))
    }

    /// An Arrow file whose record batch says a buffer lies somewhere it cannot.
    @Test(arguments: [Int.max, Int.max - 100, -1, 1 << 40])
    func absurdOffsetsAreRefused(_ offset: Int) throws {
        let path = TestData.temporaryDirectory() + "/t.table"
        try Table(columns: [Column(name: "x", values: .float64([1, 2, 3]))]).save(to: path)
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        // The batch's two buffers: no validity (offset 0, length 0), then 24 bytes of values at 0.
        let buffers = [UInt8](repeating: 0, count: 24) + [24, 0, 0, 0, 0, 0, 0, 0]
        let at = try #require((0...(bytes.count - buffers.count)).first { Array(bytes[$0..<($0 + buffers.count)]) == buffers })
        bytes.replaceSubrange((at + 16)..<(at + 24), with: withUnsafeBytes(of: Int64(offset).littleEndian, Array.init))
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let error = try #require(throws: CairnError.self) { try TableFile.read(path) }
        #expect(error.message.contains("a buffer lies outside its message"), "\(error)")
    }

    /// A whole number beyond 64 bits makes its column float64, and the reader says so.
    @Test func wholeNumbersBeyondSixtyFourBitsAreNoted() throws {
        let notes = Mutex<[String]>([])
        var options = CSVOptions()
        options.note = { text in notes.withLock { $0.append(text) } }
        let table = try CSVReader(options: options).read(text: "id,y\n1,2\n9223372036854775808,3\n", source: "ids.csv")
        #expect(try table.column("id").type == .float64 && table.column("y").type == .int64)
        #expect(notes.withLock { $0 } == ["ids.csv: column 'id' is read as float64: row 2 holds 9223372036854775808, a whole number beyond 64 bits; "
                                          + "whole numbers past 2^53 lose digits (declare the column string to keep them exactly)"])
        let quiet = try CSVReader(options: options).read(text: "x\n1.5\n2\n", source: "f.csv")
        #expect(try quiet.column("x").type == .float64 && notes.withLock { $0.count } == 1)
    }

    /// A file truncated and rewritten while it is read: every read succeeds or names the file,
    /// none dies of SIGBUS (what a memory-mapped read did).
    @Test func aFileCutShortWhileReadIsAnErrorNotACrash() throws {
        let path = TestData.temporaryDirectory() + "/moving.csv"
        let content = Data(("a,b\n" + String(repeating: "1,2\n", count: 4_000_000)).utf8)
        try content.write(to: URL(fileURLWithPath: path))
        let stop = Atomic<Bool>(false)
        let writer = Thread {
            while !stop.load(ordering: .relaxed) {
                truncate(path, 1000)
                try? content.write(to: URL(fileURLWithPath: path))
            }
        }
        writer.start()
        defer { stop.store(true, ordering: .relaxed) }
        // Until a read has met the writer (on a loaded machine that takes more tries), at most 300.
        var failures = 0, reads = 0
        while reads < 300 && (reads < 30 || failures == 0) {
            reads += 1
            do { _ = try CSVReader().read(path) } catch let error as CairnError {
                failures += 1
                #expect(error.message.contains("moving.csv") || error.description.contains("moving.csv"), "\(error)")
            }
        }
        stop.store(true, ordering: .relaxed)
        #expect(failures > 0, "no read met the writer, so nothing was tested")
    }
}
