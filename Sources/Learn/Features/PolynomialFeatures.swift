import CairnSupport
import Tables

/// `polynomial: {columns, degree: 2, interaction_only: false}`
public struct PolynomialConfig: FeatureStepConfig {
    public var columns: ColumnSelection
    public var degree = 2
    public var interactionOnly = false

    enum CodingKeys: String, CodingKey {
        case columns, degree
        case interactionOnly = "interaction_only"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        columns = try container.decode(ColumnSelection.self, forKey: .columns)
        degree = try container.decodeIfPresent(Int.self, forKey: .degree) ?? 2
        interactionOnly = try container.decodeIfPresent(Bool.self, forKey: .interactionOnly) ?? false
        guard (2...4).contains(degree) else { throw CairnError(.invalidValue, "degree must be 2, 3 or 4, found \(degree)") }
    }

    /// The terms of degree 2 up to `degree`, in scikit-learn's PolynomialFeatures order.
    public func fit(_ table: Table, target: String?) throws -> PolynomialFeatures {
        let names = try columns.resolve(in: table, target: target)
        for name in names { _ = try table.numericColumn(name, for: "polynomial") }
        var terms: [[Int]] = []
        func extend(_ term: [Int], from start: Int) {
            if term.count >= 2 { terms.append(term) }
            guard term.count < degree else { return }
            for next in start..<names.count { extend(term + [next], from: interactionOnly ? next + 1 : next) }
        }
        // Grouped by degree, as scikit-learn lists them.
        extend([], from: 0)
        terms.sort { $0.count != $1.count ? $0.count < $1.count : $0.lexicographicallyPrecedes($1) }
        return PolynomialFeatures(columns: names, terms: terms)
    }
}

/// Adds one column per product term, named like `a*b` or `a^2`.
public struct PolynomialFeatures: FittedFeatureStep {
    public var columns: [String]
    /// Each term is the indices into `columns` of its factors.
    public var terms: [[Int]]

    public func apply(to table: consuming Table) throws -> Table {
        let inputs = try columns.map { try table.numericColumn($0, for: "polynomial") }
        let values = inputs.map { $0.doubles()! }
        var result = copy table  // the step reads the input while it builds the output
        for term in terms {
            let products = (0..<table.rowCount).map { row in term.reduce(1.0) { $0 * values[$1][row] } }
            let validity = Validity(count: table.rowCount, missing: (0..<table.rowCount).filter { row in term.contains { !inputs[$0].isPresent(row) } })
            try result.append(Column(name: PolynomialFeatures.name(of: term, columns: columns), values: .float64(products), validity: validity))
        }
        return result
    }

    static func name(of term: [Int], columns: [String]) -> String {
        var parts: [String] = []
        var index = 0
        while index < term.count {
            var power = 1
            while index + power < term.count, term[index + power] == term[index] { power += 1 }
            parts.append(columns[term[index]] + (power > 1 ? "^\(power)" : ""))
            index += power
        }
        return parts.joined(separator: "*")
    }
}
