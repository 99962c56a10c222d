import CairnEngine
import CairnSpec
import CairnSupport
import Testing

/// The planner is a pure function: these build graphs and lock records by hand.
@Suite struct PlannerTests {
    static let pipeline = """
        params: params.yaml
        stages:
          double:
            uses: scale
            inputs: { number: data/n.txt }
            with: { factor: 2 }
          triple:
            uses: scale
            inputs: { number: double.scaled }
            with: { factor: 3 }
            params: [report.digits]
        """

    let graph: PipelineGraph
    let a = ContentHash(hex: String(repeating: "a", count: 64))
    let b = ContentHash(hex: String(repeating: "b", count: 64))
    let c = ContentHash(hex: String(repeating: "c", count: 64))
    let d = ContentHash(hex: String(repeating: "d", count: 64))

    init() throws {
        let fixture = try EngineFixture(["data/n.txt": "7\n", "params.yaml": "report:\n  digits: 3\n"])
        graph = try fixture.graph(Self.pipeline)
    }

    /// Hashes of a world where everything exists.
    var hashes: [String: ContentHash] {
        ["data/n.txt": a, "artifacts/p/double/scaled": b, "artifacts/p/double/note": c,
         "artifacts/p/triple/scaled": d, "artifacts/p/triple/note": c]
    }

    func record(_ name: String, hashes: [String: ContentHash], params: [String: String] = [:]) -> LockFile.StageRecord {
        let node = graph.node(named: name)!
        return LockFile.StageRecord(
            kind: node.kind.name, version: node.kind.version, definition: node.config.canonical,
            fingerprint: Fingerprint.of(node, inputHashes: hashes), params: node.params.mapValues(\.canonical),
            inputs: Dictionary(uniqueKeysWithValues: node.inputs.map { ($0.path, hashes[$0.path]!) }),
            outputs: Dictionary(uniqueKeysWithValues: node.outputs.map { ($0.path, hashes[$0.path]!) }))
    }

    var freshLock: LockFile {
        var lock = LockFile()
        lock.stages = ["double": record("double", hashes: hashes), "triple": record("triple", hashes: hashes)]
        return lock
    }

    @Test func pluginOutputsDefaultToArtifactsPipelineStageName() {
        #expect(graph.node(named: "double")?.outputs.map(\.path) == ["artifacts/p/double/note", "artifacts/p/double/scaled"])
        #expect(graph.node(named: "triple")?.upstream == ["double"])
    }

    @Test func withoutALockEverythingIsNew() {
        let plan = Planner.plan(graph, lock: LockFile(), hashes: hashes)
        #expect(plan.map(\.freshness) == [.stale([.neverRun]), .stale([.upstreamStale(stage: "double")])])
        #expect(plan[0].fingerprint != nil && plan[1].fingerprint == nil)
    }

    @Test func matchingLockAndOutputsAreFresh() {
        #expect(Planner.plan(graph, lock: freshLock, hashes: hashes).map(\.freshness) == [.fresh, .fresh])
    }

    @Test func aChangedExternalInputMakesItsStageAndDownstreamStale() {
        var current = hashes
        current["data/n.txt"] = d
        let plan = Planner.plan(graph, lock: freshLock, hashes: current)
        #expect(plan[0].freshness == .stale([.inputChanged(path: "data/n.txt")]))
        #expect(plan[1].freshness == .stale([.upstreamStale(stage: "double")]))
    }

    @Test func aMissingOrEditedOutputIsReportedWithTheSameFingerprint() {
        var current = hashes
        current["artifacts/p/triple/scaled"] = nil
        current["artifacts/p/triple/note"] = a
        let plan = Planner.plan(graph, lock: freshLock, hashes: current)
        #expect(plan[0].freshness == .fresh)
        #expect(plan[1].freshness == .stale([.outputChanged(path: "artifacts/p/triple/note"),
                                            .outputMissing(path: "artifacts/p/triple/scaled")]))
        #expect(plan[1].fingerprint == freshLock.stages["triple"]?.fingerprint)
    }

    @Test func aChangedParamOrConfigSaysWhat() {
        var lock = freshLock
        lock.stages["triple"]!.params = ["report.digits": "2"]
        lock.stages["triple"]!.fingerprint = a
        lock.stages["double"]!.definition = #"{"factor":5}"#
        lock.stages["double"]!.fingerprint = a
        let plan = Planner.plan(graph, lock: lock, hashes: hashes)
        #expect(plan[0].freshness == .stale([.configChanged(key: "factor", from: "5", to: "2")]))
        #expect(plan[0].freshness.reasons.map(\.description) == ["with: factor 5 → 2"])
        #expect(plan[1].freshness == .stale([.upstreamStale(stage: "double")]))
        let triple = Planner.decide(graph.node(named: "triple")!, record: lock.stages["triple"], hashes: hashes,
                                    staleUpstream: [], forced: nil)
        #expect(triple.freshness == .stale([.paramChanged(key: "report.digits", from: "2", to: "3")]))
        #expect(triple.freshness.reasons.map(\.description) == ["param report.digits 2 → 3"])
    }

    /// Nested keys and list items are named by their path; a key added or removed says so.
    @Test func aChangedNestedConfigNamesItsPaths() throws {
        let old = try YAMLDocument.parse(Array(#"{"steps":[{"impute":{"strategy":"median"}}],"drop":"x"}"#.utf8), file: "a")
        let new = try YAMLDocument.parse(Array("steps:\n  - impute: { strategy: mean }\nseed: 3\n".utf8), file: "b")
        let changed = Set(old.leaves.keys).union(new.leaves.keys).filter { old.leaves[$0] != new.leaves[$0] }
        #expect(changed == ["steps[0].impute.strategy", "drop", "seed"])
        #expect(RunReason.configChanged(key: "seed", from: nil, to: "3").description == "with: seed (unset) → 3")
    }

    @Test func aNewVersionOfTheStageKindMakesItStale() {
        var lock = freshLock
        lock.stages["double"]!.version = 0
        lock.stages["double"]!.fingerprint = a
        #expect(Planner.plan(graph, lock: lock, hashes: hashes)[0].freshness.reasons.map(\.description) == ["kind scale@0 changed"])
    }

    @Test func forceAndSelectionLimitThePlan() {
        let plan = Planner.plan(graph, lock: freshLock, hashes: hashes, force: true, selection: StageSelection(["double"]))
        #expect(plan.map(\.name) == ["double"])
        #expect(plan[0].freshness == .stale([.forced]))
    }

    @Test func theFingerprintCoversConfigParamsAndInputs() throws {
        let node = graph.node(named: "triple")!
        let base = Fingerprint.of(node, inputHashes: hashes)
        var changed = hashes
        changed["artifacts/p/double/scaled"] = a
        #expect(Fingerprint.of(node, inputHashes: changed) != base)
        let other = try EngineFixture(["data/n.txt": "7\n", "params.yaml": "report:\n  digits: 4\n"])
            .graph(Self.pipeline).node(named: "triple")!
        #expect(Fingerprint.of(other, inputHashes: hashes) != base)
        let reformatted = try EngineFixture(["data/n.txt": "1\n", "params.yaml": "report: {digits: 3}  # same\n"])
            .graph(Self.pipeline).node(named: "triple")!
        #expect(Fingerprint.of(reformatted, inputHashes: hashes) == base)
    }

    @Test func aPluginConfigErrorPointsIntoThePipelineFile() throws {
        let fixture = try EngineFixture(["data/n.txt": "7\n"])
        let error = try #require(throws: CairnError.self) {
            try fixture.graph("stages:\n  s:\n    uses: scale\n    inputs: { number: data/n.txt }\n    with: { factor: lots }\n")
        }
        #expect(error.description == "pipelines/p.yaml:5:21: error: expected a number for 'factor', found 'lots'")
        let slot = try #require(throws: CairnError.self) {
            try fixture.graph("stages:\n  s:\n    uses: scale\n    inputs: { numbr: data/n.txt }\n    with: { factor: 1 }\n")
        }
        #expect(slot.message == "unknown input 'numbr' for stage 's'")
        #expect(slot.hint == "did you mean 'number'?")
    }
}
