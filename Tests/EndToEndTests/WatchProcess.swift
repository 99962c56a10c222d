import Foundation
import Testing

/// A running `cairn watch --json` whose output lines are collected as they come.
final class WatchProcess: @unchecked Sendable {
    let process = Process()
    private let lock = NSLock()
    private var lines: [String] = []
    private var buffer = Data()

    init(_ workspace: TestWorkspace, arguments: [String] = []) throws {
        process.executableURL = URL(fileURLWithPath: TestWorkspace.binary)
        process.arguments = ["watch", "--json", "--debounce", "100", "-j", "2"] + arguments
        process.currentDirectoryURL = workspace.root
        process.standardInput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let pipe = Pipe()
        process.standardOutput = pipe
        let reader = pipe.fileHandleForReading
        Thread.detachNewThread { [self] in
            while true {
                let data = reader.availableData
                if data.isEmpty { return }
                append(data)
            }
        }
        try process.run()
    }

    deinit { if process.isRunning { process.terminate() } }

    private func append(_ data: Data) {
        lock.lock()
        defer { lock.unlock() }
        buffer.append(data)
        while let newline = buffer.firstIndex(of: 0x0a) {
            lines.append(String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self))
            buffer.removeSubrange(buffer.startIndex...newline)
        }
    }

    var events: [[String: Any]] {
        lock.lock()
        defer { lock.unlock() }
        return lines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    /// Events of kind `event` seen so far.
    func events(_ event: String) -> [[String: Any]] { events.filter { $0["event"] as? String == event } }

    /// Waits until `count` summaries have been printed (one per pipeline run).
    @discardableResult
    func waitForSummaries(_ count: Int, seconds: Double = 20) -> Bool {
        TestWorkspace.waitFor(seconds: seconds) { self.events("summary").count >= count }
    }

    /// Stage statuses of the `run`-th run (0-based), counting runs by their summaries.
    func statuses(ofRun run: Int) -> [String: String] {
        var index = 0
        var result: [String: String] = [:]
        for event in events {
            if event["event"] as? String == "summary" {
                if index == run { return result }
                index += 1
                result = [:]
            } else if event["event"] as? String == "stage" {
                result[event["stage"] as! String] = event["status"] as? String
            }
        }
        return result
    }

    func stop(signal: Int32 = SIGTERM) -> Int32 {
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        return process.terminationStatus
    }
}
