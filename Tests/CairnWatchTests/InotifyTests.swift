@testable import CairnWatch
import Foundation
import Testing

/// The kernel side of watching: finished writes are reported by path, and a queue overflow is
/// reported as such (the watcher then plans everything again).
@Suite struct InotifyTests {
    static func folder() throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-inotify-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root + "/data", withIntermediateDirectories: true)
        return root
    }

    @Test func finishedWritesAndNewFoldersAreReportedByPath() throws {
        let root = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let inotify = try Inotify(root: root)
        inotify.watch(["data"])
        try "x".write(toFile: root + "/data/a.csv", atomically: false, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: root + "/data/shards", withIntermediateDirectories: false)
        let events = try #require(inotify.read())
        #expect(events.map(\.path) == ["data/a.csv", "data/shards"])
        #expect(events.map(\.isNewDirectory) == [false, true])
    }

    @Test func aQueueOverflowIsReported() throws {
        let limit = Int(try String(contentsOfFile: "/proc/sys/fs/inotify/max_queued_events", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)) ?? 16384
        let root = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let inotify = try Inotify(root: root)
        inotify.watch(["data"])
        for index in 0...limit { FileManager.default.createFile(atPath: root + "/data/\(index)", contents: nil) }
        #expect(inotify.read() == nil)
    }
}
