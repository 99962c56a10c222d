import CairnSupport
import Tables

/// How cross-validation cuts rows into folds: the `cv:` of the train stage and of `search:`.
/// `cv: 5` is five folds shuffled with seed 0 (stratified for classifiers), since files sorted by
/// class, firm or time give misleading scores in input order. A mapping chooses the rest:
/// `{folds, shuffle, seed}`, `groups: COLUMN` (a group's rows stay in one fold) or `order_by:
/// COLUMN` (forward chaining: each fold tests rows later than all it trained on).
public struct FoldPlan: Codable, Sendable, Equatable {
    public var folds: Int
    public var shuffle: Bool
    public var seed: UInt64
    public var groups: String?
    public var orderBy: String?

    public init(folds: Int = 5, shuffle: Bool = true, seed: UInt64 = 0, groups: String? = nil, orderBy: String? = nil) {
        self.folds = folds
        self.shuffle = shuffle
        self.seed = seed
        self.groups = groups
        self.orderBy = orderBy
    }

    enum CodingKeys: String, CodingKey { case folds, shuffle, seed, groups, orderBy = "order_by" }

    /// Every form, for `cairn stages` and error messages.
    public static let forms = "K | {folds: K, shuffle: true | false, seed: N} | {folds: K, groups: COLUMN} | {folds: K, order_by: COLUMN}"

    public init(from decoder: any Decoder) throws {
        if let count = try? decoder.singleValueContainer().decode(Int.self) {
            self.init(folds: count)
        } else {
            let container: KeyedDecodingContainer<CodingKeys>
            do { container = try decoder.container(keyedBy: CodingKeys.self) } catch {
                throw CairnError(.invalidValue, "cv is a number of folds or a mapping", hint: "cv: " + Self.forms)
            }
            let orderBy = try container.decodeIfPresent(String.self, forKey: .orderBy)
            let shuffle = try container.decodeIfPresent(Bool.self, forKey: .shuffle)
            self.init(folds: try container.decodeIfPresent(Int.self, forKey: .folds) ?? 5,
                      shuffle: shuffle ?? (orderBy == nil), seed: try container.decodeIfPresent(UInt64.self, forKey: .seed) ?? 0,
                      groups: try container.decodeIfPresent(String.self, forKey: .groups), orderBy: orderBy)
            if orderBy != nil, shuffle == true {
                throw CairnError(.invalidValue, "order_by folds follow the column's order and cannot be shuffled")
            }
            if orderBy != nil, groups != nil {
                throw CairnError(.invalidValue, "cv takes groups or order_by, not both")
            }
        }
        guard folds >= 2 else { throw CairnError(.invalidValue, "cv is a number of folds, at least 2, found \(folds)") }
    }

    /// The folds of `table`'s rows; stratified by the target's values for classifiers.
    public func folds(of table: Table, target: String, stratified: Bool) throws -> [Fold] {
        let splitter = KFold(splits: folds, seed: shuffle ? seed : nil)
        if let orderBy { return try splitter.forwardChainingFolds(order: Self.order(of: table.column(orderBy))) }
        let labels = stratified ? try Self.codes(of: table.column(target), firstAppearance: groups == nil) : nil
        if let groups {
            let groupCodes = try Self.codes(of: table.column(groups), firstAppearance: false)
            return try labels.map { try splitter.stratifiedGroupFolds(labels: $0, groups: groupCodes) }
                ?? splitter.groupFolds(groups: groupCodes)
        }
        return try labels.map { try splitter.stratifiedFolds(labels: $0) } ?? splitter.folds(rows: table.rowCount)
    }

    /// Each row's value as a code: in order of first appearance, or of sorted values (`numpy.unique`).
    static func codes(of column: Column, firstAppearance: Bool) throws -> [Int] {
        let texts = try (0..<column.count).map { row in
            guard let text = column.text(at: row) else {
                throw CairnError(.invalidData, "column '\(column.name)' has no value; folds need one in every row", row: row)
            }
            return text
        }
        var code: [String: Int] = [:]
        if firstAppearance {
            for text in texts where code[text] == nil { code[text] = code.count }
        } else {
            for (index, text) in CategoryOrder.sorted(Array(Set(texts)), numeric: column.type.isNumeric).enumerated() {
                code[text] = index
            }
        }
        return texts.map { code[$0]! }
    }

    /// Row indices sorted by the column's values, ties in input order.
    static func order(of column: Column) throws -> [Int] {
        if let numbers = column.doubles(), column.type.isNumeric {
            if let row = column.validity?.missingRows.first {
                throw CairnError(.invalidData, "column '\(column.name)' has no value; order_by needs one in every row", row: row)
            }
            return numbers.indices.sorted { numbers[$0] != numbers[$1] ? numbers[$0] < numbers[$1] : $0 < $1 }
        }
        let codes = try codes(of: column, firstAppearance: false)
        return codes.indices.sorted { codes[$0] != codes[$1] ? codes[$0] < codes[$1] : $0 < $1 }
    }
}
