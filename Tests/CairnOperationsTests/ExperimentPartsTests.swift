import CairnCore
import CairnOperations
import CairnSpec
import CairnSupport
import Testing

/// Sweeps and the experiment table, on values whose answers are known.
@Suite struct ExperimentPartsTests {
    static func texts(_ variants: [Sweep.Variant]) -> [String] {
        variants.map { $0.map { "\($0.key)=\($0.value.displayText)" }.joined(separator: " ") }
    }

    @Test func aGridIsEveryCombinationWithTheLastKeyFastest() throws {
        let sweep = try Sweep(assignments: ["a=0.01,0.1", "b=range(1,4)", "c=[1,2],x"])
        #expect(Self.texts(try sweep.grid()).count == 12)
        #expect(Self.texts(try sweep.grid()).prefix(3) == ["a=0.01 b=1 c=[1,2]", "a=0.01 b=1 c=x", "a=0.01 b=2 c=[1,2]"])
        #expect(Self.texts(try Sweep(assignments: ["s=range(0,1,0.25)"]).grid()) == ["s=0.0", "s=0.25", "s=0.5", "s=0.75"])
        #expect(Self.texts(try Sweep(assignments: ["s=range(10,0,-5)"]).grid()) == ["s=10", "s=5"])
        #expect(throws: CairnError.self) { try Sweep(assignments: ["s=range(1)"]) }
        #expect(throws: CairnError.self) { try Sweep(assignments: ["s=loguniform(0,1)"]) }
        #expect(throws: CairnError.self) { try Sweep(assignments: ["s=uniform(0,1)"]).grid() }
    }

    @Test func randomDrawsAreDistinctSeededAndInsideTheirIntervals() throws {
        let grid = try Sweep(assignments: ["a=1,2,3,4", "b=range(0,5)"])
        let draw = Self.texts(try grid.random(7, seed: 3))
        #expect(draw.count == 7 && Set(draw).count == 7)
        #expect(draw == Self.texts(try grid.random(7, seed: 3)))
        #expect(draw != Self.texts(try grid.random(7, seed: 4)))
        #expect(try grid.random(100, seed: 1).count == 20)
        let intervals = try Sweep(assignments: ["C=loguniform(0.001,100)", "t=uniform(0.2,0.3)"]).random(200, seed: 9)
        let c = intervals.map { Double($0[0].value.displayText)! }, t = intervals.map { Double($0[1].value.displayText)! }
        #expect(c.allSatisfy { $0 >= 0.001 && $0 <= 100 } && t.allSatisfy { $0 >= 0.2 && $0 <= 0.3 })
        // Even in the logarithm: about as many below 0.1 as above 1.
        #expect(abs(c.filter { $0 < 0.1 }.count - c.filter { $0 > 1 }.count) < 40)
    }

    @Test func aSweepBlockReadsListsAndTexts() throws {
        let block = try YAMLDocument.parse(Array("a: [1, 2]\nb: range(0,2)\nc: 5\n".utf8), file: "sweep.yaml")
        let sweep = try Sweep(block: block).merging(try Sweep(assignments: ["c=6,7"]))
        #expect(sweep.keys == ["a", "b", "c"])
        #expect(try sweep.grid().count == 8)
    }

    static let rows = [
        Experiment(name: "one", status: .succeeded, created: 10, base: "abcdef0123", params: [("C", "0.1")], metrics: ["m.json:accuracy": "0.9", "m.json:loss": "0.3"]),
        Experiment(name: "two", status: .failed, created: 11, base: nil, params: [("C", "1"), ("seed", "2")], error: "p.train: boom"),
        Experiment(name: "three", status: .succeeded, created: 12, base: nil, params: [("C", "10")], metrics: ["m.json:accuracy": "0.95", "n.json:accuracy": "0.5"]),
    ]

    @Test func theTableFiltersSortsAndNamesColumnsShortWhenItCan() throws {
        var table = ExperimentTable(Self.rows)
        #expect(table.columns.map(\.title) == ["experiment", "created", "commit", "status", "C", "seed", "m.json:accuracy", "loss", "n.json:accuracy"])
        #expect(throws: CairnError.self) { try table.column(named: "accuracy") }
        #expect(try table.column(named: "loss").key == "m.json:loss")
        try table.sort(by: "C", descending: true)
        #expect(table.rows.map(\.name) == ["three", "two", "one"])
        try table.sort(by: "m.json:accuracy", descending: false)
        #expect(table.rows.map(\.name) == ["one", "three", "two"])
        try table.filter("m.json:accuracy>=0.92")
        #expect(table.rows.map(\.name) == ["three"])
        var failed = ExperimentTable(Self.rows)
        try failed.filter("status!=succeeded")
        #expect(failed.rows.map(\.name) == ["two"])
        #expect(throws: CairnError.self) { try failed.filter("accuracy") }
        #expect(ExperimentTable(Self.rows).csv.split(separator: "\n")[1] == "one,10,abcdef01,succeeded,0.1,,0.9,0.3,")
    }

    @Test func anExperimentReadsBackWhatItWroteAndRefusesDamage() throws {
        let written = Self.rows[1]
        #expect(try Experiment(json: Array(written.json.utf8), file: "e.json") == written)
        #expect(throws: CairnError.self) { try Experiment(json: Array(#"{"name":"x","status":"running"}"#.utf8), file: "e.json") }
        #expect(throws: CairnError.self) { try Experiment(json: Array(#"{"name":"x","status":"queued","params":[["a"]]}"#.utf8), file: "e.json") }
        for value in ["1\nevil: 2", "a: b", "[1"] {
            let json = #"{"name":"x","status":"succeeded","params":[["train.C", "#, quoted = ConfigNode.jsonQuoted(value)
            let text = json + quoted + "]]}"
            #expect(throws: CairnError.self, "\(value)") { try Experiment(json: Array(text.utf8), file: "e.json") }
        }
        #expect(try Experiment(json: Array(#"{"name":"x","status":"queued","params":[["a","{k: 1}"],["b","[1, 2]"]]}"#.utf8), file: "e.json").params.count == 2)
        #expect(throws: CairnError.self) { try ExperimentStore.check(name: "../x") }
        #expect(throws: CairnError.self) { try ExperimentStore.check(name: "a b") }
    }
}
