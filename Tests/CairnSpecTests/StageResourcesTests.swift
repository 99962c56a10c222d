import CairnCore
import CairnSpec
import CairnSupport
import Testing

/// Slurm's memory and time syntax, as `resources:` takes it, and back.
@Suite struct StageResourcesTests {
    static func decode<T: Decodable>(_ type: T.Type, _ yaml: String) throws -> T {
        try ConfigDecoder().decode(T.self, from: try YAMLDocument.parse(Array(yaml.utf8), file: "p.yaml"))
    }

    @Test(arguments: [("30", 1800), ("1:30", 90), ("2:00:00", 7200), ("1-2", 93_600), ("1-2:03", 93_780), ("1-02:03:04", 93_784)])
    func timesReadAsSlurmReadsThem(_ text: String, _ seconds: Int) throws {
        let time = try Self.decode(SlurmTime.self, "\"\(text)\"")
        #expect(time.seconds == seconds)
        #expect(try Self.decode(SlurmTime.self, "\"\(time.text)\"").seconds == seconds)
    }

    @Test func memoryReadsInMegabytesAndBadValuesAreErrors() throws {
        #expect(try Self.decode(SlurmMemory.self, "4G").megabytes == 4096)
        #expect(try Self.decode(SlurmMemory.self, "500").megabytes == 500)
        #expect(try Self.decode(SlurmMemory.self, "512K").megabytes == 1)
        for bad in ["4X", "-1G", "1.5G", "\"\""] { #expect(throws: CairnError.self, "\(bad)") { try Self.decode(SlurmMemory.self, bad) } }
        for bad in ["\"1:2:3:4\"", "\"a\"", "\"1-2-3\"", "0"] { #expect(throws: CairnError.self, "\(bad)") { try Self.decode(SlurmTime.self, bad) } }
    }

    @Test func aStagesResourcesTakeTheDefaultsItLeavesOut() throws {
        let stage = try Self.decode(StageResources.self, "{ mem: 8G, extra: [--exclusive] }")
        let defaults = try Self.decode(StageResources.self, "{ mem: 1G, time: \"10:00\", partition: short, extra: [--qos=low] }")
        let merged = stage.over(defaults)
        #expect(merged.mem?.megabytes == 8192 && merged.time?.seconds == 600 && merged.partition == "short")
        #expect(merged.extra == ["--qos=low", "--exclusive"])
        #expect(try Self.decode(StageTimeout.self, "90m").duration == .seconds(5400))
        #expect(try Self.decode(StageTimeout.self, "2.5").duration == .milliseconds(2500))
    }
}
