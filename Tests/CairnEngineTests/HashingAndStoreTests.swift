import CairnEngine
import CairnSupport
import Foundation
import Tables
import Testing

@Suite struct HashingAndStoreTests {
    static func sha256sum(_ path: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = [path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(String(decoding: output, as: UTF8.self).prefix(64))
    }

    func hasher(_ fixture: EngineFixture) -> ContentHasher {
        ContentHasher(statCache: StatCache(file: fixture.root + "/.cairn/statcache"))
    }

    @Test func fileHashesAgreeWithSha256sumAcrossBlockBoundaries() throws {
        let fixture = try EngineFixture(["abc.txt": "abc"])
        #expect(try hasher(fixture).hash(fixture.root + "/abc.txt")?.hex
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        var generator = SystemRandomNumberGenerator()
        let big = (0..<(9 << 20) + 123).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let path = fixture.root + "/big.bin"
        try Data(big).write(to: URL(fileURLWithPath: path))
        #expect(try hasher(fixture).hash(path)?.hex == (try Self.sha256sum(path)))
        #expect(try hasher(fixture).hash(fixture.root + "/absent") == nil)
    }

    @Test func aDirectoryHashesItsSortedManifest() throws {
        let fixture = try EngineFixture(["d/b.txt": "b", "d/a.txt": "a", "d/sub/c.txt": "c", "d/a.b/x": "x"])
        let hasher = hasher(fixture)
        let manifest = try hasher.manifest(ofDirectory: fixture.root + "/d")
        let lines = manifest.split(separator: "\n").map { $0.split(separator: "\0")[0] }
        #expect(lines == ["a.b/x", "a.txt", "b.txt", "sub/c.txt"])
        try fixture.write("manifest", manifest)
        #expect(try hasher.hash(fixture.root + "/d")?.hex == (try Self.sha256sum(fixture.root + "/manifest")))
        try fixture.write("d/sub/c.txt", "changed")
        #expect(try hasher.hash(fixture.root + "/d")?.hex != (try Self.sha256sum(fixture.root + "/manifest")))
    }

    @Test func theStatCacheNeverRereadsAnUnchangedFile() throws {
        let fixture = try EngineFixture(["f.txt": "first"])
        let path = fixture.root + "/f.txt"
        usleep(100_000)  // older than the next save by more than the clock margin
        let first = hasher(fixture)
        let original = try #require(try first.hash(path))
        try first.statCache.save()

        // Same size, same inode, same mtime, other bytes: a cache hit proves the file was not read.
        var before = stat()
        #expect(stat(path, &before) == 0)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.write(contentsOf: Data("other".utf8))
        try handle.close()
        let times = [before.st_atim, before.st_mtim]
        #expect(utimensat(AT_FDCWD, path, times, 0) == 0)
        #expect(try hasher(fixture).hash(path) == original)

        // A new mtime is noticed.
        try FileManager.default.setAttributes([.modificationDate: Date()], ofItemAtPath: path)
        #expect(try hasher(fixture).hash(path) != original)
    }

    /// A table file is hashed as it is written: the hasher takes that hash while the file keeps
    /// the status it was written with (shown by bytes changed behind its back, status kept), and
    /// reads the file once its status changes.
    @Test func aWrittenTableIsHashedOnTheWayOut() throws {
        let fixture = try EngineFixture(["keep": ""])
        let path = fixture.root + "/t.arrow"
        let table = try Table(columns: [Column(name: "x", values: .float64([1, 2, 3]))])
        try TableFile.write(table, to: path)
        let written = try ContentHasher.hashContents(ofFile: path)
        var before = stat()
        stat(path, &before)
        let handle = try #require(FileHandle(forUpdatingAtPath: path))
        try handle.seek(toOffset: 8)
        try handle.write(contentsOf: Data([0xFF]))
        try handle.close()
        let times = [before.st_atim, before.st_mtim]
        #expect(utimensat(AT_FDCWD, path, times, 0) == 0)
        #expect(try hasher(fixture).hash(path) == written, "the writer's hash, not the bytes read again")
        try TableFile.write(table, to: path)
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: 10)], ofItemAtPath: path)
        #expect(try hasher(fixture).hash(path) == written, "rewritten, then touched: read, and the same bytes")
    }

    /// Objects are read-only; a restore links the object (no byte written) and checks its bytes,
    /// so that an object edited in place through a link (root ignores the mode) is found damaged.
    @Test func storeObjectsAreReadOnlyAndRestoredAsCheckedLinks() throws {
        let fixture = try EngineFixture(["out/model.json": "{}", "out/dir/a.txt": "a", "out/dir/b/c.txt": "c"])
        let hasher = hasher(fixture)
        let store = Store(root: fixture.root + "/store", hasher: hasher)
        let file = fixture.root + "/out/model.json"
        let fileHash = try #require(try hasher.hash(file))
        try store.insert(file, hash: fileHash)
        #expect(store.contains(fileHash, directory: false))

        let objects = try FileManager.default.subpathsOfDirectory(atPath: fixture.root + "/store/objects")
        let object = try #require(objects.first { $0.hasSuffix(String(fileHash.hex.dropFirst(2))) })
        let mode = try FileManager.default.attributesOfItem(atPath: fixture.root + "/store/objects/" + object)[.posixPermissions] as? Int
        #expect(mode == 0o444)

        try FileManager.default.removeItem(atPath: file)
        try store.restore(fileHash, directory: false, to: file)
        #expect(FileSystem.status(file)?.inode == FileSystem.status(fixture.root + "/store/objects/" + object)?.inode)
        try "edited".write(toFile: file, atomically: false, encoding: .utf8)
        let error = try #require(throws: CairnError.self) { try store.restore(fileHash, directory: false, to: fixture.root + "/again.json") }
        #expect(error.code == .storeDamaged && !store.contains(fileHash, directory: false), "\(error)")
        #expect(!FileManager.default.fileExists(atPath: fixture.root + "/again.json"))
        try store.insert(fixture.root + "/out/dir/a.txt", hash: try #require(try hasher.hash(fixture.root + "/out/dir/a.txt")), linking: true)
        let linked = try #require(try store.objects().first { $0.size == 1 })
        #expect(FileSystem.status(fixture.root + "/out/dir/a.txt")?.inode == FileSystem.status(linked.path)?.inode,
                "an output linked in is the object")

        let directory = fixture.root + "/out/dir"
        let directoryHash = try #require(try hasher.hash(directory))
        try store.insert(directory, hash: directoryHash)
        try FileManager.default.removeItem(atPath: directory)
        #expect(store.contains(directoryHash, directory: true))
        try store.restore(directoryHash, directory: true, to: directory)
        #expect(try String(contentsOfFile: directory + "/b/c.txt", encoding: .utf8) == "c")
        #expect(try hasher.hash(directory) == directoryHash)

        let missing = ContentHash(hex: String(repeating: "0", count: 64))
        #expect(throws: CairnError.self) { try store.restore(missing, directory: false, to: fixture.root + "/x") }
    }

    @Test func theLockFileIsDeterministicAndRoundTrips() throws {
        let fixture = try EngineFixture([:])
        var lock = LockFile()
        let hash = ContentHash(hex: String(repeating: "e", count: 64))
        lock.stages["b"] = .init(kind: "cmd", version: 1, definition: #"{"cmd":"x"}"#, fingerprint: hash,
                                 params: ["p.z": "1", "p.a": "\"s\""], inputs: ["z": hash, "a": hash], outputs: ["o": hash])
        lock.stages["a"] = lock.stages["b"]
        let path = fixture.root + "/p.lock"
        try lock.write(to: path)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text == lock.encoded)
        #expect(text.range(of: "\"a\": {")!.lowerBound < text.range(of: "\"b\": {")!.lowerBound)
        #expect(try LockFile.load(path) == lock)
    }
}
