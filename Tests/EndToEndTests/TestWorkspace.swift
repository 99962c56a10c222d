import Foundation
import Testing

/// A temporary workspace driven through the built `cairn` binary, as a user would.
final class TestWorkspace {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String

        /// `--json` stage events, stage name → status.
        var statuses: [String: String] {
            var result: [String: String] = [:]
            for event in events where event["event"] as? String == "stage" {
                result[event["stage"] as! String] = event["status"] as? String
            }
            return result
        }

        var events: [[String: Any]] {
            stdout.split(separator: "\n").compactMap {
                try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }
        }

        func reason(_ stage: String) -> String? {
            events.first { $0["event"] as? String == "stage" && $0["stage"] as? String == stage }?["reason"] as? String
        }

        func stages(withStatus status: String) -> Set<String> {
            Set(statuses.filter { $0.value == status }.map(\.key))
        }
    }

    let root: URL

    /// The `cairn` built beside this test binary.
    static let binary: String = {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return executable.deletingLastPathComponent().appendingPathComponent("cairn").path
    }()

    init(files: [String: String] = [:]) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("pipelines"), withIntermediateDirectories: true)
        for (path, text) in files { try write(path, text) }
    }

    /// A workspace another tool made at `root` (a `git clone`); removed with this object.
    init(existing root: URL) { self.root = root }

    /// Copies a fixture folder (under Tests/EndToEndTests/Fixtures) into a new workspace.
    convenience init(fixture: String) throws {
        try self.init()
        let source = Self.fixturesDirectory.appendingPathComponent(fixture)
        for name in try FileManager.default.contentsOfDirectory(atPath: source.path) {
            let target = root.appendingPathComponent(name)
            try? FileManager.default.removeItem(at: target)
            try FileManager.default.copyItem(at: source.appendingPathComponent(name), to: target)
        }
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    static let fixturesDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let snapshotsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")

    func write(_ path: String, _ text: String) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    func read(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    func bytes(_ path: String) throws -> Data { try Data(contentsOf: root.appendingPathComponent(path)) }

    func exists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path)
    }

    func remove(_ path: String) throws { try FileManager.default.removeItem(at: root.appendingPathComponent(path)) }

    /// Lines of a file that commands append to, to count how often each ran.
    func lines(_ path: String) -> [String] {
        ((try? read(path)) ?? "").split(separator: "\n").map(String.init)
    }

    /// Starts `cairn ARGS` in the workspace; the caller waits.
    func start(_ arguments: [String], environment: [String: String] = [:]) throws -> (Process, Pipe, Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = arguments
        process.currentDirectoryURL = root
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return (process, out, err)
    }

    static func finish(_ started: (Process, Pipe, Pipe)) -> Result {
        let (process, out, err) = started
        // Read before waiting: a full pipe would block the child.
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }

    @discardableResult
    func cairn(_ arguments: String..., environment: [String: String] = [:]) throws -> Result {
        Self.finish(try start(arguments, environment: environment))
    }

    /// Waits up to `seconds` for `condition`, polling.
    static func waitFor(seconds: Double, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            usleep(20_000)
        }
        return condition()
    }
}
