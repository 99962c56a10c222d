import CairnCore
import CairnSupport
import Tables

/// Reads raw CSV (a file, or a directory of CSV shards read as one table in sorted order),
/// checks it against a data contract on every run, and writes a typed table plus a report of
/// every rule broken. A CSV file is read, checked and written a piece at a time.
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
    public static let version = 3
    public static let summary = "read CSV or Parquet (a file or a directory of shards), check a data contract, write a typed table"
    public static let slots = StageSlots(inputs: [.init("source")], outputs: [.init("table"), .init("violations")])

    public typealias ConfigKeys = Config.CodingKeys

    public let config: Config

    public init(config: Config) { self.config = config }

    public func run(_ context: StageContext) throws {
        let source = try context.input("source")
        var checks = ContractChecks(schema: config.schema, defaultAction: config.onViolation)
        let output = try context.output("table")
        var files: [(name: String, rows: Int)] = []
        var writer: TableFileWriter?
        var whole: Table?
        if try !readInPieces(source, writingTo: output, context) { piece in
            let kept = try checks.check(piece)
            if writer == nil { writer = try TableFileWriter(output, columnsOf: kept) }
            try writer!.append(kept)
        } {
            (writer, checks) = (nil, ContractChecks(schema: config.schema, defaultAction: config.onViolation))
            let (table, shards) = try Table.loadingShards(source, displayName: context.displayPath(source), noun: ".csv or .parquet files",
                                                          accepts: { file in [".csv", ".parquet"].contains { file.lowercased().hasSuffix($0) } }) { path, name in
                ParquetFile.isParquetFile(path) ? try declaredTypes(ParquetFile.read(path, displayName: name))
                    : try CSVReader(options: csvOptions(context)).read(path, displayName: name)
            }
            files = shards
            whole = try checks.check(table)
        }
        let violations = checks.violations
        let report = ViolationReport(source: context.displayPath(source), files: files, rowsRead: checks.rows,
                                     rowsDropped: checks.rowsDropped, violations: violations)
        try FileSystem.writeAtomically(Array(report.json.pretty().utf8) + [10], to: context.output("violations"))
        for violation in violations where violation.action != .fail {
            context.warn((violation.action == .drop ? "dropped: " : "") + report.describe(violation))
        }
        let failures = violations.filter { $0.action == .fail }
        if !failures.isEmpty {
            throw CairnError(.invalidData, "the data breaks its contract:\n" + failures.map { "  " + report.describe($0) }.joined(separator: "\n"),
                             hint: "fix the data, relax the rule, or set on_violation: drop or warn")
        }
        if let whole { try whole.save(to: output) } else { try writer!.finish() }
    }

    /// A CSV file (not a folder of shards, not Parquet) written to a table file (not CSV or
    /// Parquet) is read a piece at a time, so that memory does not grow with the file; false when
    /// it has to be read whole instead (see `CSVStream`).
    private func readInPieces(_ source: String, writingTo output: String, _ context: StageContext,
                              _ body: (Table) throws -> Void) throws -> Bool {
        guard FileSystem.status(source)?.kind == .file, !ParquetFile.isParquetFile(source), Table.writesTableFile(output) else { return false }
        return try CSVStream(options: csvOptions(context)).forEachPiece(source, displayName: context.displayPath(source), body)
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
