import Foundation
import Testing

/// Every spec mistake is reported as FILE:LINE:COL with a hint, exit 2, and nothing runs.
/// Expected output lives in Snapshots/diagnostics/CASE.txt; `RECORD_SNAPSHOTS=1` re-records.
@Suite struct DiagnosticsTests {
    static let cases = [
        "yaml-syntax", "unknown-top-key", "unknown-stage-key", "unknown-stage-kind", "unknown-stage-reference",
        "unknown-output-reference", "duplicate-output", "cycle", "path-escape", "unknown-param",
        "missing-input", "unknown-substitution", "params-without-file",
        "unknown-config-word", "unknown-feature-step", "unreadable-filter", "unknown-column-type",
        "unknown-search-metric", "substitution-typo", "quoted-placeholder",
    ]

    @Test(arguments: cases)
    func diagnostic(_ name: String) throws {
        let workspace = try TestWorkspace(fixture: "diagnostics/\(name)")
        let result = try workspace.cairn("run")
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(!workspace.exists(".cairn/logs"))
        #expect(!workspace.exists("pipelines/p.lock"))

        let snapshot = TestWorkspace.snapshotsDirectory.appendingPathComponent("diagnostics/\(name).txt")
        if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
            try FileManager.default.createDirectory(at: snapshot.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(result.stderr.utf8).write(to: snapshot)
        }
        #expect(result.stderr == (try String(contentsOf: snapshot, encoding: .utf8)))
    }

    @Test func specErrorsAreAlsoJSONEventsWithJSON() throws {
        let workspace = try TestWorkspace(fixture: "diagnostics/unknown-stage-key")
        let result = try workspace.cairn("run", "--json")
        #expect(result.status == 2)
        let event = try #require(result.events.first)
        #expect(event["event"] as? String == "error")
        #expect(event["code"] as? String == "unknownKey")
        #expect(event["location"] as? String == "pipelines/p.yaml:4:5")
    }

    @Test func anUnknownPipelineOrStageIsAUsageError() throws {
        let workspace = try TestWorkspace(fixture: "diagnostics/cycle")
        let result = try workspace.cairn("run", "q")
        #expect(result.status == 2)
        #expect(result.stderr.contains("did you mean 'p'?"))
        let badFlag = try workspace.cairn("run", "--jobs", "0")
        #expect(badFlag.status == 2)
    }
}
