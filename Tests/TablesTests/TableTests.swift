import CairnSupport
import Testing
import TestSupport
@testable import Tables

@Suite struct TableTests {
    let table = try! CSVReader().read(text: "name,score,group\nb,2.5,x\na,,y\nc,1.0,x\nd,4.0,y\n", source: "t.csv")

    @Test func selectDropRename() throws {
        #expect(try table.selecting(["group", "name"]).columnNames == ["group", "name"])
        #expect(try table.dropping(["score"]).columnNames == ["name", "group"])
        #expect(try table.renaming(["score": "points"]).columnNames == ["name", "points", "group"])
        #expect(throws: CairnError.self) { try table.selecting(["scor"]) }
        do { _ = try table.dropping(["scor"]) } catch let error as CairnError {
            #expect(error.hint == "did you mean 'score'?")
        }
    }

    @Test func takeFilterSort() throws {
        let sorted = try table.sorted(by: "score")
        #expect(try sorted.column("name").strings() == ["c", "b", "d", "a"])  // missing last
        let descending = try table.sorted(by: "score", ascending: false)
        #expect(try descending.column("name").strings() == ["d", "b", "c", "a"])
        let filtered = table.filtering([true, false, false, true])
        #expect(try filtered.column("name").strings() == ["b", "d"])
        let taken = table.taking([1, 1])
        #expect(try taken.column("score").missingCount == 2)
    }

    @Test func concatenateMergesCategories() throws {
        let a = try Table(columns: [Column(name: "g", values: .categorical(codes: [0, 1], categories: ["x", "y"]))])
        let b = try Table(columns: [Column(name: "g", values: .categorical(codes: [0, -1], categories: ["z"]), validity: Validity(count: 2, missing: [1]))])
        let joined = try Table.concatenating([a, b])
        #expect(try joined.column("g").values == .categorical(codes: [0, 1, 2, -1], categories: ["x", "y", "z"]))
        #expect(try joined.column("g").missingCount == 1)
    }

    /// Reference: pandas 2.2 `pd.read_csv("data/penguins.csv").describe()` (std with ddof=1,
    /// quartiles by linear interpolation).
    @Test func describeMatchesPandas() throws {
        let penguins = try CSVReader().read(TestData.penguins)
        let summaries = Dictionary(uniqueKeysWithValues: penguins.describe().map { ($0.name, $0) })
        let bill = try #require(summaries["bill_length_mm"])
        #expect(bill.count == 342)
        #expect(bill.missing == 2)
        #expect(abs(bill.mean! - 43.92192982456142) < 1e-9)
        #expect(abs(bill.std! - 5.459583713926532) < 1e-9)
        #expect(bill.q25 == 39.225 && bill.median == 44.45 && bill.q75 == 48.5)
        #expect(bill.min == 32.1 && bill.max == 59.6)
        let mass = try #require(summaries["body_mass_g"])
        #expect(abs(mass.std! - 801.9545356980956) < 1e-9)
        let species = try #require(summaries["species"])
        #expect(species.distinct == 3 && species.top?.value == "Adelie" && species.top?.count == 152)
        #expect(summaries["sex"]?.missing == 11)
    }
}
