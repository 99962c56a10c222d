import Tables

extension Matrix {
    /// The named numeric (or bool) columns of `table` as a dense design matrix, bools as 0 and 1;
    /// the same checks as `DesignMatrix`'s.
    public init(_ table: Table, columns names: [String]) throws {
        self = try DesignMatrix(table, columns: names).materialized()
    }
}
