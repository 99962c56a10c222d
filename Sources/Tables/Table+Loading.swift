extension Table {
    /// Reads a table file or, for anything else, CSV: stages and `cairn show` take either.
    public static func load(_ path: String, displayName: String? = nil, csv: CSVOptions = CSVOptions()) throws -> Table {
        if TableFile.isTableFile(path) { return try TableFile.read(path, displayName: displayName) }
        return try CSVReader(options: csv).read(path, displayName: displayName)
    }
}
