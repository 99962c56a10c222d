import CairnCore
import CairnSupport
import Foundation
import Testing
@testable import CairnEngine

/// A store, a run cache or a lock file may come from anyone: what they name is checked before
/// anything is written, and stored bytes are checked when they are read back.
@Suite struct UntrustedStoreTests {
    func store(_ fixture: EngineFixture) -> Store {
        Store(root: fixture.root + "/store", hasher: ContentHasher(statCache: StatCache(file: fixture.root + "/statcache")))
    }

    /// Puts `bytes` in the store under their own hash, as a file or a directory manifest.
    func put(_ bytes: String, in fixture: EngineFixture, manifest: Bool = false) throws -> ContentHash {
        let hash = ContentHasher.digest(Array(bytes.utf8))
        try fixture.write("store/objects/\(hash.hex.prefix(2))/\(hash.hex.dropFirst(2))" + (manifest ? ".dir" : ""), bytes)
        return hash
    }

    @Test func aFlippedByteIsRefusedAndDropped() throws {
        let fixture = try EngineFixture(["model.json": "{\"coefficients\": [1, 2, 3]}"])
        let store = store(fixture)
        let hash = try ContentHasher.hashContents(ofFile: fixture.root + "/model.json")
        try store.insert(fixture.root + "/model.json", hash: hash)
        let object = fixture.root + "/store/objects/\(hash.hex.prefix(2))/\(hash.hex.dropFirst(2))"
        chmod(object, 0o644)
        try fixture.write("store/objects/\(hash.hex.prefix(2))/\(hash.hex.dropFirst(2))", "{\"coefficients\": [1, 2, 4]}")
        #expect(throws: CairnError.self) { try store.read(hash) }
        do {
            try store.restore(hash, directory: false, to: fixture.root + "/restored.json")
            Issue.record("a damaged object was restored")
        } catch let error as CairnError {
            #expect(error.code == .storeDamaged && error.message.contains("is damaged"))
        }
        #expect(!FileManager.default.fileExists(atPath: fixture.root + "/restored.json"))
        #expect(!store.contains(hash, directory: false))
        // Inserted again, the good bytes take the damaged object's place.
        try store.insert(fixture.root + "/model.json", hash: hash)
        #expect(try store.read(hash) == Array("{\"coefficients\": [1, 2, 3]}".utf8))
    }

    /// A truncated object of the same name is replaced, not kept because one exists.
    @Test func insertReplacesATruncatedObject() throws {
        let fixture = try EngineFixture(["a.txt": "complete content"])
        let store = store(fixture)
        let hash = try ContentHasher.hashContents(ofFile: fixture.root + "/a.txt")
        try fixture.write("store/objects/\(hash.hex.prefix(2))/\(hash.hex.dropFirst(2))", "complete")
        try store.insert(fixture.root + "/a.txt", hash: hash)
        #expect(try store.read(hash) == Array("complete content".utf8))
    }

    @Test(arguments: ["../../escaped.txt", "/tmp/escaped.txt", "a/../../escaped.txt", "a\u{1}b", "./a", "a//b"])
    func aManifestNamingABadPathIsRefused(_ path: String) throws {
        let fixture = try EngineFixture([:])
        let store = store(fixture)
        let file = try put("x", in: fixture)
        let manifest = try put("\(path)\0\(file.hex)\n", in: fixture, manifest: true)
        do {
            try store.restore(manifest, directory: true, to: fixture.root + "/work/out/dir")
            Issue.record("restored \(path)")
        } catch let error as CairnError {
            #expect(error.message.contains("names the path"), "\(error)")
        }
        #expect(!FileManager.default.fileExists(atPath: fixture.root + "/work/escaped.txt"))
        #expect(!FileManager.default.fileExists(atPath: fixture.root + "/escaped.txt"))
    }

    @Test func aRunCacheEntryNamingABadPathIsNoEntry() throws {
        let fixture = try EngineFixture([:])
        let runs = RunCache(storeRoot: fixture.root + "/store")
        let fingerprint = ContentHasher.digest([1])
        try runs.record(fingerprint, ["../outside": .init(hash: fingerprint, directory: false)])
        #expect(runs.lookup(fingerprint) == nil)
        try runs.record(fingerprint, ["out/ok": .init(hash: fingerprint, directory: false)])
        #expect(runs.lookup(fingerprint)?["out/ok"] != nil)
    }

    @Test(arguments: ["../outside", "/etc/passwd", "out/../../x", "a\u{0}b"])
    func aLockFileNamingABadPathIsDamaged(_ path: String) throws {
        let hash = String(repeating: "ab", count: 32)
        let text = """
            {"schema": 1, "stages": {"s": {"kind": "cmd", "version": 1, "definition": "{}", "fingerprint": "\(hash)",
             "params": {}, "inputs": {}, "outputs": {\(JSONValue.string(path).compact): "\(hash)"}}}}
            """
        do {
            _ = try LockFile.parse(Array(text.utf8), file: "abc:locks/p.lock")
            Issue.record("accepted \(path)")
        } catch let error as CairnError {
            #expect(error.message.contains("abc:locks/p.lock is damaged") && error.message.contains("names the path"), "\(error)")
        }
    }

    @Test func reservedPlacesAreNamed() {
        #expect(WorkspacePath.reservedProblem(".git") == "is .git, which Cairn or git keeps")
        #expect(WorkspacePath.reservedProblem("pipelines/p.lock") == "lies inside pipelines, which Cairn or git keeps")
        #expect(WorkspacePath.reservedProblem("artifacts") == "holds artifacts/.cache, which Cairn or git keeps")
        #expect(WorkspacePath.reservedProblem("artifacts/p/model") == nil)
        #expect(WorkspacePath.reservedProblem(".gitignore") == nil)
    }
}
