import CairnCore
import CairnSupport
import Tables

/// Reads raw CSV (a file, or a directory of CSV shards read as one table in sorted order),
/// checks it against a data contract on every run, and writes a typed table plus a report of
/// every rule broken.
public struct IngestStage: Stage {
    public struct Config: Decodable, Sendable {
        public var schema: [String: ColumnContract] = [:]
        public var onViolation: ViolationAction = .fail
        public var delimiter: String?
        public var missing: [String]?
        public var maxCategories: Int?

        public enum CodingKeys: String, ConfigKey {
            case schema
            case onViolation = "on_violation"
            case delimiter
            case missing
            case maxCategories = "max_categories"

            public var help: String {
                switch self {
                case .schema: "per column: a type (float, int, bool, category, string) or {type, nullable, categories, min, max, unique, on_violation}"
                case .onViolation: "fail (default), drop the offending rows, or warn"
                case .delimiter: "field separator, default ','"
                case .missing: "spellings of a missing value, default ['', NA, N/A, NaN, null, ?]"
                case .maxCategories: "text columns with at most this many distinct values are categorical (default 1000)"
                }
            }
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            schema = try container.decodeIfPresent([String: ColumnContract].self, forKey: .schema) ?? [:]
            onViolation = try container.decodeIfPresent(ViolationAction.self, forKey: .onViolation) ?? .fail
            delimiter = try container.decodeIfPresent(String.self, forKey: .delimiter)
            missing = try container.decodeIfPresent([String].self, forKey: .missing)
            maxCategories = try container.decodeIfPresent(Int.self, forKey: .maxCategories)
            if let delimiter, delimiter.utf8.count != 1 {
                throw CairnError(.invalidValue, "delimiter must be one character, found '\(delimiter)'")
            }
        }
    }

    public static let kind = "ingest"
    public static let version = 2
    public static let summary = "read CSV or Parquet (a file or a directory of shards), check a data contract, write a typed table"
    public static let slots = StageSlots(inputs: [.init("source")], outputs: [.init("table"), .init("violations")])

    public typealias ConfigKeys = Config.CodingKeys

    public let config: Config

    public init(config: Config) { self.config = config }

    public func run(_ context: StageContext) throws {
        let source = try context.input("source")
        let (table, files) = try Table.loadingShards(source, displayName: context.displayPath(source), noun: ".csv or .parquet files",
                                                     accepts: { file in [".csv", ".parquet"].contains { file.lowercased().hasSuffix($0) } }) { path, name in
            ParquetFile.isParquetFile(path) ? try declaredTypes(ParquetFile.read(path, displayName: name))
                : try CSVReader(options: csvOptions(context)).read(path, displayName: name)
        }
        var violations: [Violation] = []
        for name in config.schema.keys.sorted() {
            let column = try table.column(name)
            violations += try config.schema[name]!.violations(in: column, defaultAction: config.onViolation)
        }
        let dropped = Set(violations.filter { $0.action == .drop }.flatMap(\.rows))
        let report = ViolationReport(source: context.displayPath(source), files: files, rowsRead: table.rowCount,
                                     rowsDropped: dropped.count, violations: violations)
        try FileSystem.writeAtomically(Array(report.json.pretty().utf8) + [10], to: context.output("violations"))
        for violation in violations where violation.action != .fail {
            context.warn((violation.action == .drop ? "dropped: " : "") + report.describe(violation))
        }
        let failures = violations.filter { $0.action == .fail }
        if !failures.isEmpty {
            throw CairnError(.invalidData, "the data breaks its contract:\n" + failures.map { "  " + report.describe($0) }.joined(separator: "\n"),
                             hint: "fix the data, relax the rule, or set on_violation: drop or warn")
        }
        let kept = dropped.isEmpty ? table : table.filtering((0..<table.rowCount).map { !dropped.contains($0) })
        try kept.save(to: context.output("table"))
    }

    /// A Parquet file's columns brought to the types the contract declares (a CSV file is parsed
    /// as them instead): text that is a `category`, whole numbers that are a `float`.
    private func declaredTypes(_ table: Table) throws -> Table {
        var typed = table
        for (name, rule) in config.schema {
            guard let type = rule.type, let column = try? typed.column(name), column.type != type else { continue }
            try typed.replace(try column.casting(to: type))
        }
        return typed
    }

    private func csvOptions(_ context: StageContext) -> CSVOptions {
        var options = CSVOptions()
        options.note = { context.warn($0) }
        options.schema = config.schema.compactMapValues(\.type)
        if let delimiter = config.delimiter { options.delimiter = delimiter.utf8.first! }
        if let missing = config.missing { options.missingTokens = missing }
        if let maxCategories = config.maxCategories { options.maxCategories = maxCategories }
        return options
    }
}
