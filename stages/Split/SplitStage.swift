import CairnCore
import CairnSupport
import Tables

/// Splits a table into train, test and validation: by fraction (shuffled with a fixed seed,
/// optionally stratified by a column so every class keeps its share) or by a time column
/// cut-off. The same data and seed give byte-identical outputs; rows keep their input order.
public struct SplitStage: Stage {
    public struct TimeCut: Decodable, Sendable {
        public var column: String
        /// Rows at or after this value go to test.
        public var testFrom: String
        /// Rows at or after this value and before `test_from` go to validation.
        public var validationFrom: String?

        enum CodingKeys: String, CodingKey {
            case column
            case testFrom = "test_from"
            case validationFrom = "validation_from"
        }
    }

    public struct Config: Decodable, Sendable {
        public var test = 0.25
        public var validation = 0.0
        public var seed = 42
        public var stratify: String?
        public var time: TimeCut?

        public enum CodingKeys: String, ConfigKey {
            case test
            case validation
            case seed
            case stratify
            case time

            public var help: String {
                switch self {
                case .test: "fraction of rows for test (default 0.25)"
                case .validation: "fraction of rows for validation (default 0: the validation table is empty)"
                case .seed: "seed of the shuffle (default 42)"
                case .stratify: "column whose classes keep their share in every part"
                case .time: "{column, test_from, validation_from}: split by a time (or any ordered) column instead"
                }
            }
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            test = try container.decodeIfPresent(Double.self, forKey: .test) ?? 0.25
            validation = try container.decodeIfPresent(Double.self, forKey: .validation) ?? 0
            seed = try container.decodeIfPresent(Int.self, forKey: .seed) ?? 42
            stratify = try container.decodeIfPresent(String.self, forKey: .stratify)
            time = try container.decodeIfPresent(TimeCut.self, forKey: .time)
            guard test >= 0, validation >= 0, test + validation < 1 else {
                throw CairnError(.invalidValue, "test (\(test)) and validation (\(validation)) must be fractions with a sum below 1")
            }
            if time != nil, stratify != nil {
                throw CairnError(.invalidValue, "a split is either by time or stratified, not both")
            }
        }
    }

    public static let kind = "split"
    public static let version = 3
    public static let summary = "train/test(/validation) split: seeded and optionally stratified, or by a time cut-off"
    public static let slots = StageSlots(inputs: [.init("table")], outputs: [.init("train"), .init("test"), .init("validation")])

    public typealias ConfigKeys = Config.CodingKeys

    public let config: Config

    public init(config: Config) { self.config = config }

    /// Which part each row goes to.
    public enum Part: Sendable { case train, test, validation }

    static let outputs = [("train", Part.train), ("test", .test), ("validation", .validation)]

    public func run(_ context: StageContext) throws {
        let input = try context.input("table")
        let outputs = try Self.outputs.map { (try context.output($0.0), $0.1) }
        guard TableFile.isTableFile(input), outputs.allSatisfy({ Table.writesTableFile($0.0) }) else {
            let table = try context.table("table")
            let parts = try assign(table)
            for (path, part) in outputs { try table.filtering(parts.map { $0 == part }).save(to: path) }
            return
        }
        try stream(input, displayName: context.displayPath(input), to: outputs)
    }

    /// The split of a table file read twice, a record batch at a time: first the column the
    /// split goes by (none for a plain shuffle), to assign every row its part; then every column,
    /// each batch's rows appended to the part they go to. What it holds is a batch and a byte
    /// per row, not the table.
    private func stream(_ input: String, displayName: String, to outputs: [(String, Part)]) throws {
        let key = config.stratify ?? config.time?.column
        var pieces: [Table] = []
        try TableFile.forEachBatch(input, displayName: displayName, columns: Set(key.map { [$0] } ?? [])) { pieces.append($0) }
        let rows = pieces.reduce(0) { $0 + $1.rowCount }
        let keyTable = try Table.concatenating(pieces)
        pieces = []
        let parts = try assign(rows: rows, keyedBy: keyTable)
        var writers: [TableFileWriter] = []
        var offset = 0
        try TableFile.forEachBatch(input, displayName: displayName) { batch in
            if writers.isEmpty { writers = try outputs.map { try TableFileWriter($0.0, columnsOf: batch) } }
            let assigned = parts[offset..<(offset + batch.rowCount)]
            for (writer, (_, part)) in zip(writers, outputs) {
                try writer.append(batch.filtering(assigned.map { $0 == part }))
            }
            offset += batch.rowCount
        }
        for writer in writers { try writer.finish() }
    }

    public func assign(_ table: Table) throws -> [Part] { try assign(rows: table.rowCount, keyedBy: table) }

    /// The parts of `rows` rows, from `table`'s stratify or time column if the split has one.
    private func assign(rows rowCount: Int, keyedBy table: Table) throws -> [Part] {
        if let time = config.time { return try assignByTime(rowCount, table, time) }
        var strata: [[Int]]
        if let stratify = config.stratify {
            let column = try table.column(stratify)
            var byValue: [String: [Int]] = [:]
            var order: [String] = []
            for row in 0..<rowCount {
                guard let value = column.text(at: row) else {
                    throw CairnError(.invalidData, "row \(row + 1) has no value in '\(stratify)', the column to stratify by")
                }
                if byValue[value] == nil { order.append(value) }
                byValue[value, default: []].append(row)
            }
            strata = order.sorted().map { byValue[$0]! }
        } else {
            strata = [Array(0..<rowCount)]
        }
        var random = SeededRandom(seed: UInt64(bitPattern: Int64(config.seed)))
        var parts = [Part](repeating: .train, count: rowCount)
        for var rows in strata {
            random.shuffle(&rows)
            let testCount = Int((config.test * Double(rows.count)).rounded())
            let validationCount = Int((config.validation * Double(rows.count)).rounded())
            for row in rows.prefix(testCount) { parts[row] = .test }
            for row in rows.dropFirst(testCount).prefix(validationCount) { parts[row] = .validation }
        }
        return parts
    }

    private func assignByTime(_ rowCount: Int, _ table: Table, _ cut: TimeCut) throws -> [Part] {
        let column = try table.column(cut.column)
        return try (0..<rowCount).map { row in
            guard column.isPresent(row) else {
                throw CairnError(.invalidData, "row \(row + 1) has no value in '\(cut.column)', the time column")
            }
            func atOrAfter(_ bound: String) throws -> Bool {
                guard let value = column.number(at: row) else { return column.text(at: row)! >= bound }
                guard let number = Double(bound) else {
                    throw CairnError(.invalidData, "'\(bound)' is not a number, and '\(cut.column)' is \(column.type.rawValue)")
                }
                return value >= number
            }
            if try atOrAfter(cut.testFrom) { return .test }
            if let from = cut.validationFrom, try atOrAfter(from) { return .validation }
            return .train
        }
    }
}
