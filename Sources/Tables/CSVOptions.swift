import CairnSupport

/// How to read a CSV file. The defaults read what spreadsheets and pandas write.
public struct CSVOptions: Sendable {
    public var delimiter: UInt8 = UInt8(ascii: ",")
    /// Unquoted fields spelled exactly like one of these are missing values. A quoted field is
    /// always a value, so that a string "NA" written by the writer reads back as "NA".
    public var missingTokens: [String] = ["", "NA", "N/A", "NaN", "null", "?"]
    /// Column types that override inference; values that do not parse as that type are errors.
    public var schema: [String: ColumnType] = [:]
    /// A text column with at most this many distinct values (and at most half as many as it has
    /// values) is categorical; otherwise it is a string column.
    public var maxCategories = 1000
    /// Threads parsing in parallel; defaults to the number of online cores.
    public var threads = Parallel.cores
    /// Hears what the reader decided that the reader of the data should know (a column of whole
    /// numbers read as float64 because one is beyond 64 bits).
    public var note: (@Sendable (String) -> Void)?

    public init() {}
}
