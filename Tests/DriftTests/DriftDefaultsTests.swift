import CairnSupport
import Drift
import Glibc
import Tables
import Testing

/// The default tests follow the reference's size: with tens of thousands of rows a p-value
/// flags a shift no one would act on, so distances decide there, and every column reports its
/// effect size beside the deciding value.
@Suite struct DriftDefaultsTests {
    /// `rows` normal values (mean `shift`, sd 1) and categories "a"/"b" with share `aShare` of "a", seeded.
    static func sample(rows: Int, shift: Double, aShare: Double, seed: UInt64) throws -> Table {
        var random = SeededRandom(seed: seed)
        func uniform() -> Double { (Double(random.next() >> 11) + 0.5) / Double(1 << 53) }
        let x = (0..<rows).map { _ in shift + (-2 * log(uniform())).squareRoot() * cos(2 * Double.pi * uniform()) }
        let kind = (0..<rows).map { _ in uniform() < aShare ? "a" : "b" }
        return try Table(columns: [Column(name: "x", values: .float64(x)), Column(name: "kind", values: .string(kind))])
    }

    static func report(_ reference: Table, _ current: Table) throws -> DriftReport {
        try DriftReport(reference: reference, current: current, columns: ["x", "kind"], tests: [:],
                        thresholds: DriftTest.defaultThresholds, onDrift: "warn")
    }

    @Test func aTinyShiftInALargeSampleIsNotDrift() throws {
        let reference = try Self.sample(rows: 50_000, shift: 0, aShare: 0.5, seed: 1)
        let current = try Self.sample(rows: 50_000, shift: 0.05, aShare: 0.52, seed: 2)
        let report = try Self.report(reference, current)
        let x = try #require(report.columns["x"]), kind = try #require(report.columns["kind"])
        #expect(x.test == .wasserstein && kind.test == .jensenShannon)
        #expect(!report.verdict.drift && !x.drifted && !kind.drifted)
        // The p-values the small-sample tests would have used call both columns drifted.
        #expect(x.numeric!.ksPValue < 0.01 && kind.categorical!.chiSquaredPValue < 0.01)
        #expect(x.effectSize > 0.03 && x.effectSize < 0.07 && x.effectSize == x.value)
    }

    @Test func aRealShiftInALargeSampleIsDrift() throws {
        let reference = try Self.sample(rows: 50_000, shift: 0, aShare: 0.5, seed: 1)
        let current = try Self.sample(rows: 50_000, shift: 0.5, aShare: 0.8, seed: 3)
        let report = try Self.report(reference, current)
        #expect(report.verdict.drift && report.columns["x"]!.drifted && report.columns["kind"]!.drifted)
        #expect(report.columns["x"]!.effectSize > 0.4)
    }

    @Test func smallSamplesKeepThePValueTestsWithTheEffectSizeBeside() throws {
        let reference = try Self.sample(rows: 1_000, shift: 0, aShare: 0.5, seed: 1)
        let current = try Self.sample(rows: 500, shift: 0.5, aShare: 0.5, seed: 4)
        let report = try Self.report(reference, current)
        let x = try #require(report.columns["x"])
        #expect(x.test == .ks && report.columns["kind"]!.test == .chiSquared)
        #expect(x.drifted && x.value == x.numeric!.ksPValue && x.effectSize > 0.3)
        #expect(DriftTest.defaultTest(numeric: true, referenceRows: 1_001) == .wasserstein)
    }
}
