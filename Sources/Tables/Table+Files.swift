extension Table {
    /// Reads a table file (Arrow), a Parquet file or, for anything else, CSV: stages and `cairn show` take any.
    public static func load(_ path: String, displayName: String? = nil, csv: CSVOptions = CSVOptions()) throws -> Table {
        if TableFile.isTableFile(path) { return try TableFile.read(path, displayName: displayName) }
        if ParquetFile.isParquetFile(path) { return try ParquetFile.read(path, displayName: displayName) }
        return try CSVReader(options: csv).read(path, displayName: displayName)
    }

    /// Writes CSV or Parquet when the path ends in `.csv` or `.parquet` (for other programs to
    /// read), a table file (Arrow) otherwise.
    /// Whether `save(to: path)` writes a table file (rather than CSV or Parquet, by the extension).
    public static func writesTableFile(_ path: String) -> Bool {
        !path.lowercased().hasSuffix(".csv") && !path.lowercased().hasSuffix(".parquet")
    }

    public func save(to path: String) throws {
        if Self.writesTableFile(path) {
            try TableFile.write(self, to: path)
        } else if path.lowercased().hasSuffix(".csv") {
            try CSVWriter().write(self, to: path)
        } else {
            try ParquetWriter.write(self, to: path)
        }
    }
}
