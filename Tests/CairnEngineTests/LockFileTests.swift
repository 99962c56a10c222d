import CairnCore
import CairnEngine
import CairnSupport
import Testing

/// The lock file is read strictly as JSON, and what it names is checked: it comes with anyone's commits.
@Suite struct LockFileTests {
    let hash = String(repeating: "ab", count: 32)

    func message(_ text: String) -> String {
        do { _ = try LockFile.parse(Array(text.utf8), file: "p.lock"); return "no error" } catch { return "\(error)" }
    }

    func record(_ fields: String) -> String {
        #"{"schema": 1, "stages": {"s": {"# + fields + "}}}"
    }

    @Test func whatIsWrittenReadsBack() throws {
        var lock = LockFile()
        lock.stages["s"] = .init(kind: "cmd", version: 1, definition: "{\"cmd\":\"echo\"}", fingerprint: ContentHash(hex: hash),
                                 params: ["train.C": "0.5"], inputs: ["data/x.csv": ContentHash(hex: hash)],
                                 outputs: ["out/y.txt": ContentHash(hex: hash)])
        #expect(try LockFile.parse(Array(lock.encoded.utf8), file: "p.lock") == lock)
    }

    @Test func anythingButTheLockFilesJSONIsRefused() {
        let fields = #""kind": "cmd", "version": 1, "definition": "{}", "fingerprint": "\#(hash)", "params": {}, "inputs": {}"#
        #expect(message(record(fields + #", "outputs": {"out/y": "\#(hash)"}"#)) == "no error")
        #expect(message("schema: 1\nstages: {}\n").contains("is damaged: not JSON"), "YAML is not a lock file")
        #expect(message(#"{"schema": 2, "stages": []}"#).contains("is not schema 1"))
        #expect(message(record(fields)).contains("'stages.s.outputs' missing"))
        #expect(message(record(fields + #", "outputs": {"out/y": "abc"}"#)).contains("'outputs' holds something that is not a SHA-256"))
        #expect(message(record(fields + #", "outputs": {"../escape": "\#(hash)"}"#)).contains("names the path '../escape'"))
        #expect(message(record(fields.replacing(#""version": 1"#, with: #""version": "1""#) + #", "outputs": {}"#))
            .contains("'stages.s.version' is not what a lock file holds there"))
    }

    /// A lock file read ahead is used only while the file is the one that was read.
    @Test func aLockFileReadAheadIsReadAgainOnceReplaced() throws {
        let folder = try EngineFixture([:]).root
        try FileSystem.makeDirectories(folder)
        let path = folder + "/p.lock"
        var first = LockFile()
        first.stages["a"] = .init(kind: "cmd", version: 1, definition: "{}", fingerprint: ContentHash(hex: hash),
                                  params: [:], inputs: [:], outputs: [:])
        try first.write(to: path)
        let cache = LockFileCache()
        cache.readAhead([path])
        #expect(try cache.load(path) == first)
        var second = first
        second.stages["b"] = first.stages["a"]
        try second.write(to: path)
        #expect(try cache.load(path) == second)
        let missing = LockFileCache()
        missing.readAhead([folder + "/none.lock"])
        #expect(try missing.load(folder + "/none.lock") == LockFile())
    }
}
