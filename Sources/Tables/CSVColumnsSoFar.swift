/// What the pieces of one CSV file read so far settled about its columns. The first piece
/// decides each column's type and whether its text is categorical; later pieces are held to
/// those decisions and bring their categories. A piece whose values would have led a reading of
/// the whole file to another decision makes the pieces `Unsettled`, and the file is read whole.
/// A file read whole is the first piece of a file of one piece.
struct CSVColumnsSoFar {
    /// A later piece contradicts what the first one decided.
    struct Unsettled: Error {}

    /// The kinds the builders of one column met: what a reading of all of them makes the column.
    struct KindsMet: Sendable {
        var declared: ColumnType?
        var text = false
        var kinds: Set<ColumnBuilder.Kind> = []

        init(_ builders: [ColumnBuilder]) {
            declared = builders.first?.declared
            for builder in builders {
                if builder.needsText || builder.kind == .text { text = true }
                if builder.kind != .undecided { kinds.insert(builder.kind) }
            }
        }

        mutating func add(_ other: KindsMet) {
            text = text || other.text
            kinds.formUnion(other.kinds)
        }

        /// Numbers with fractions and whole numbers are float; numbers with text, or bools with
        /// numbers, are text; a column with no value at all is float unless declared.
        var unified: ColumnBuilder.Kind {
            if text { return .text }
            switch kinds {
            case []:
                switch declared {
                case nil, .float64: return .float
                case .int64: return .int
                case .bool: return .bool
                case .categorical, .string: return .text
                }
            case [.bool]: return .bool
            case [.int]: return .int
            case [.float], [.int, .float]: return .float
            default: return .text
            }
        }
    }

    /// One column's decisions and what is needed to check them.
    struct ColumnSoFar: Sendable {
        var met: KindsMet
        var kind: ColumnBuilder.Kind
        /// For text: whether it is categorical (nil until the first piece decided), the categories
        /// met so far (nil once they no longer matter: the column is string whatever comes), and
        /// the rows with a value.
        var categorical: Bool?
        var categories: CategoryIndex? = CategoryIndex()
        var present = 0
        /// A note about the column was made (one per file).
        var noted = false
    }

    let maxCategories: Int
    private(set) var columns: [ColumnSoFar] = []
    /// Rows in the pieces before the one being read.
    var rows = 0
    /// What the reader should hear, once the whole file is read.
    var notes: [String] = []

    init(maxCategories: Int) { self.maxCategories = maxCategories }

    /// The kind each column is read as in this piece, given what its builders met.
    mutating func settleKinds(_ met: [KindsMet]) throws -> [ColumnBuilder.Kind] {
        guard !columns.isEmpty else {
            columns = met.map { ColumnSoFar(met: $0, kind: $0.unified, categories: $0.declared == .string ? nil : CategoryIndex()) }
            return columns.map(\.kind)
        }
        for index in columns.indices {
            columns[index].met.add(met[index])
            if columns[index].met.unified != columns[index].kind { throw Unsettled() }
        }
        return columns.map(\.kind)
    }

    /// Whether a text column of `declared` type with `categories` distinct values in `present`
    /// rows is categorical: declared so, or few enough distinct values, and at most half as many
    /// as there are values.
    func isCategorical(declared: ColumnType?, categories: Int, present: Int) -> Bool {
        declared == .categorical || (declared == nil && categories <= maxCategories && categories * 2 <= present)
    }

    mutating func update(_ column: Int, _ state: ColumnSoFar) { columns[column] = state }

    /// Keeps `note` unless the column has one already.
    mutating func noteOnce(_ column: Int, _ note: @autoclosure () -> String) {
        guard !columns[column].noted else { return }
        columns[column].noted = true
        notes.append(note())
    }

    /// Checks, once every piece is read, that the decisions the first piece made are those the
    /// whole file makes.
    func requireSettled() throws {
        for column in columns where column.kind == .text && column.met.declared == nil {
            guard let categories = column.categories else { continue }
            if isCategorical(declared: nil, categories: categories.categories.count, present: column.present) != column.categorical {
                throw Unsettled()
            }
        }
    }
}
