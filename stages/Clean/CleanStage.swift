import CairnCore
import CairnSupport
import Tables

/// Row-wise, stateless tidying that is safe before the split: nothing it does depends on other
/// rows' values (except dropping exact duplicates), so it cannot leak test data into training.
///
/// Steps run in this order, each naming columns as the input table has them: cast, trim,
/// lowercase, drop_missing, filter, clip, drop_duplicates, drop, rename.
public struct CleanStage: Stage {
    public struct Config: Decodable, Sendable {
        public var cast: [String: String] = [:]
        public var trim: [String] = []
        public var lowercase: [String] = []
        public var dropMissing: [String] = []
        public var filter: [RowCondition] = []
        public var clip: [String: [Double]] = [:]
        public var dropDuplicates = false
        public var drop: [String] = []
        public var rename: [String: String] = [:]

        public enum CodingKeys: String, ConfigKey {
            case cast
            case trim
            case lowercase
            case dropMissing = "drop_missing"
            case filter
            case clip
            case dropDuplicates = "drop_duplicates"
            case drop
            case rename

            public var help: String {
                switch self {
                case .cast: "column: type — convert columns (float, int, bool, category, string)"
                case .trim: "text columns to strip of leading and trailing spaces"
                case .lowercase: "text columns to lower-case"
                case .dropMissing: "columns (e.g. the target) whose missing values drop the row"
                case .filter: "conditions every kept row meets: `col > 3`, `col in [a, b]`, `col is not null`"
                case .clip: "column: [low, high] — clamp numbers to fixed bounds"
                case .dropDuplicates: "true to drop rows identical to an earlier row"
                case .drop: "columns to remove"
                case .rename: "old: new"
                }
            }
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            cast = try container.decodeIfPresent([String: String].self, forKey: .cast) ?? [:]
            for type in cast.values { _ = try ColumnType(schemaName: type) }
            trim = try container.decodeIfPresent([String].self, forKey: .trim) ?? []
            lowercase = try container.decodeIfPresent([String].self, forKey: .lowercase) ?? []
            dropMissing = try container.decodeIfPresent([String].self, forKey: .dropMissing) ?? []
            filter = try container.decodeIfPresent([RowCondition].self, forKey: .filter) ?? []
            clip = try container.decodeIfPresent([String: [Double]].self, forKey: .clip) ?? [:]
            for (column, bounds) in clip where bounds.count != 2 || bounds[0] > bounds[1] {
                throw CairnError(.invalidValue, "clip for '\(column)' must be [low, high] with low ≤ high")
            }
            dropDuplicates = try container.decodeIfPresent(Bool.self, forKey: .dropDuplicates) ?? false
            drop = try container.decodeIfPresent([String].self, forKey: .drop) ?? []
            rename = try container.decodeIfPresent([String: String].self, forKey: .rename) ?? [:]
        }
    }

    public static let kind = "clean"
    public static let version = 3
    public static let summary = "stateless row-wise cleaning: cast, trim, lowercase, drop missing, filter, clip, dedupe, drop, rename"
    public static let slots = StageSlots(inputs: [.init("table")], outputs: [.init("table")])

    public typealias ConfigKeys = Config.CodingKeys

    public let config: Config

    public init(config: Config) { self.config = config }

    public func run(_ context: StageContext) throws {
        let input = try context.input("table"), output = try context.output("table")
        if isRowWise, TableFile.isTableFile(input), Table.writesTableFile(output) {
            do {
                return try stream(input, displayName: context.displayPath(input), to: output)
            } catch let error as CairnError where error.code == .invalidData {
                // An error names rows of the batch it was met in: the whole table is cleaned
                // instead, and reports it with the table's row numbers.
            }
        }
        try clean(context.table("table")).save(to: output)
    }

    /// Whether every step looks at each row alone: a cast to category takes its categories from
    /// the whole column, and dropping duplicates compares rows across the table.
    public var isRowWise: Bool {
        !config.dropDuplicates && !config.cast.values.contains { (try? ColumnType(schemaName: $0)) == .categorical }
    }

    /// Cleans a table file a record batch at a time, each batch appended to the output as it is
    /// cleaned: the stage holds a batch, not the table.
    private func stream(_ input: String, displayName: String, to output: String) throws {
        var writer: TableFileWriter?
        try TableFile.forEachBatch(input, displayName: displayName) { batch in
            let cleaned = try clean(batch)
            if writer == nil { writer = try TableFileWriter(output, columnsOf: cleaned) }
            try writer!.append(cleaned)
        }
        try writer!.finish()
    }

    /// The cleaned table; every step of the config in the documented order.
    public func clean(_ input: Table) throws -> Table {
        var table = input
        for (name, type) in config.cast.sorted(by: { $0.key < $1.key }) {
            try table.replace(table.column(name).casting(to: ColumnType(schemaName: type)))
        }
        for name in config.trim { try table.replace(table.column(name).mappingText { $0.trimmingSpaces }) }
        for name in config.lowercase { try table.replace(table.column(name).mappingText { $0.lowercased() }) }
        var keep = [Bool](repeating: true, count: table.rowCount)
        for name in config.dropMissing {
            let column = try table.column(name)
            for row in keep.indices where !column.isPresent(row) { keep[row] = false }
        }
        for condition in config.filter {
            for (row, passes) in try condition.mask(table).enumerated() where !passes { keep[row] = false }
        }
        if keep.contains(false) { table = table.filtering(keep) }
        for (name, bounds) in config.clip.sorted(by: { $0.key < $1.key }) {
            try table.replace(clipping(table.column(name), to: bounds[0]...bounds[1]))
        }
        if config.dropDuplicates { table = table.filtering(table.repeatedRows().map { !$0 }) }
        return try table.dropping(config.drop).renaming(config.rename)
    }

    private func clipping(_ column: Column, to bounds: ClosedRange<Double>) throws -> Column {
        switch column.values {
        case .float64(let values):
            return Column(name: column.name, values: .float64(values.map { min(max($0, bounds.lowerBound), bounds.upperBound) }),
                          validity: column.validity)
        case .int64 where bounds.lowerBound.rounded() == bounds.lowerBound && bounds.upperBound.rounded() == bounds.upperBound:
            return try clipping(column.casting(to: .float64), to: bounds).casting(to: .int64)
        case .int64:
            return try clipping(column.casting(to: .float64), to: bounds)
        default:
            throw CairnError(.invalidData, "clip needs a numeric column; '\(column.name)' is \(column.type.rawValue)")
        }
    }
}
