import CairnEngine
import CairnSupport
import Foundation
import Learn
import StageCatalog
import Tables
import Testing
import TestSupport

/// A seeded mutation loop over the readers of untrusted input — the pipeline loader, the CSV
/// reader, the table file reader and the model reader: each mutant of a real file (bytes
/// flipped, dropped, repeated, spliced, cut short, or replaced by characters parsers find
/// hard) must be read or refused with a CairnError; a crash or a trap fails the whole run. Each
/// target gets a fixed number of mutants and a time bound, so the suite stays fast and its
/// cases are the same every run (`CAIRN_FUZZ_CASES` raises the count and `CAIRN_FUZZ_SEED`
/// changes the mutants, for a longer search).
@Suite struct MutationFuzzTests {
    static let cases = ProcessInfo.processInfo.environment["CAIRN_FUZZ_CASES"].flatMap(Int.init) ?? 2_000
    static let randomSeed = ProcessInfo.processInfo.environment["CAIRN_FUZZ_SEED"].flatMap(UInt64.init) ?? 2026
    static let timeBound = Duration.seconds(20)

    /// Bytes that tend to break parsers: quotes, separators, brackets, YAML indicators, NUL.
    static let awkward: [UInt8] = Array("\"',\n\r\t:[]{}&*!|>-#%@`\\$\0 ".utf8) + [0xFF, 0xC3]

    static func mutate(_ seed: [UInt8], _ random: inout SeededRandom) -> [UInt8] {
        var bytes = seed
        for _ in 0...random.below(4) {
            let at = bytes.isEmpty ? 0 : random.below(bytes.count)
            switch random.below(6) {
            case 0 where !bytes.isEmpty: bytes[at] ^= UInt8(1 << random.below(8))
            case 1 where !bytes.isEmpty: bytes.removeSubrange(at..<min(bytes.count, at + 1 + random.below(16)))
            case 2: bytes.insert(awkward[random.below(awkward.count)], at: at)
            case 3 where !bytes.isEmpty:
                let end = min(bytes.count, at + 1 + random.below(64))
                bytes.insert(contentsOf: bytes[at..<end], at: random.below(bytes.count))
            case 4: bytes = Array(bytes.prefix(at))
            default: if !bytes.isEmpty { bytes[at] = awkward[random.below(awkward.count)] }
            }
        }
        return bytes
    }

    /// Runs `read` on mutants of `seed`; any error must be a CairnError.
    static func fuzz(_ name: String, seed: [UInt8], read: ([UInt8]) throws -> Void) {
        var random = SeededRandom(seed: randomSeed)
        let clock = ContinuousClock(), started = clock.now
        var refused = 0, ran = 0
        for number in 0..<cases where clock.now - started < timeBound {
            let mutant = mutate(seed, &random)
            ran += 1
            do { try read(mutant) } catch is CairnError { refused += 1 } catch {
                Issue.record("\(name) case \(number): not a CairnError: \(error)")
            }
        }
        #expect(ran >= min(cases, 50), "\(name): only \(ran) cases in the time bound")
        #expect(refused > 0, "\(name): no mutant was refused, so the mutations reached nothing")
    }

    @Test func pipelineLoader() throws {
        let root = TestData.temporaryDirectory()
        try FileSystem.makeDirectories(root + "/pipelines")
        try FileSystem.makeDirectories(root + "/data")
        for file in ["penguins.csv", "penguins-batch.csv"] {
            try FileSystem.copyFile(TestData.repository + "/data/" + file, to: root + "/data/" + file)
        }
        try FileSystem.copyFile(TestData.repository + "/params.yaml", to: root + "/params.yaml")
        let seed = try FileSystem.readAll(TestData.repository + "/pipelines/penguins.yaml")
        let workspace = Workspace(root: root)
        Self.fuzz("pipeline", seed: seed) { bytes in
            try FileSystem.writeAtomically(bytes, to: root + "/pipelines/p.yaml")
            _ = try workspace.loadPipeline(file: "pipelines/p.yaml", kinds: StageCatalog.kinds)
        }
    }

    @Test func csvReader() throws {
        let lines = try FileSystem.readText(TestData.penguins).split(separator: "\n").prefix(40)
        Self.fuzz("csv", seed: Array((lines.joined(separator: "\n") + "\n").utf8)) { bytes in
            _ = try bytes.withUnsafeBytes { try CSVReader().read(bytes: $0, source: "fuzz.csv") }
        }
    }

    @Test func tableFileReader() throws {
        let directory = TestData.temporaryDirectory()
        try CSVReader().read(TestData.penguins).save(to: directory + "/seed.table")
        let seed = try FileSystem.readAll(directory + "/seed.table")
        Self.fuzz("table file", seed: seed) { bytes in
            try FileSystem.writeAtomically(bytes, to: directory + "/mutant.table")
            _ = try TableFile.read(directory + "/mutant.table")
        }
    }

    @Test func modelReader() throws {
        let directory = TestData.temporaryDirectory()
        let penguins = try CSVReader().read(TestData.penguins)
        let steps = try JSONDecoder().decode([FeatureStepSpec].self, from: Data("""
            [{"impute": {"columns": "numeric", "strategy": "median"}}, {"impute": {"columns": "categorical", "strategy": "most_frequent"}},
             {"scale": {"columns": "numeric"}}, {"one_hot": {"columns": "categorical"}}]
            """.utf8))
        let (transform, encoded) = try FeatureTransform.fit(steps, on: penguins, target: "species")
        for (name, spec) in [("logistic", try ModelSpec(name: "logistic_regression")),
                             ("tree", try ModelSpec(name: "decision_tree_classifier").setting(["max_depth": .integer(3)]))] {
            try ModelArtifact.train(spec, on: encoded, target: "species", transform: transform, dataHash: "").write(to: directory + "/seed.json")
            let seed = try FileSystem.readAll(directory + "/seed.json")
            let raw = penguins.taking(Array(0..<20))
            Self.fuzz("model (\(name))", seed: seed) { bytes in
                try FileSystem.writeAtomically(bytes, to: directory + "/mutant.json")
                // Read, then score: a model that reads must also score or refuse, not trap.
                _ = try ModelArtifact.read(directory + "/mutant.json").score(raw)
            }
        }
    }
}
