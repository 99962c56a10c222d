import CairnSupport

// Buffers are written and read as they lie in memory; the format is little-endian.
#if !_endian(little)
#error("Cairn's table files are little-endian; this platform is not")
#endif

/// Cairn's table file: the Arrow IPC file format (Feather v2), which pyarrow, polars, DuckDB and
/// Spark open as it is. Rows in record batches of up to `TableFileWriter.batchRows`; float64,
/// int64, bool (bit-packed), utf8 (int32 offsets; a batch is cut short before its text passes
/// 2 GiB), and categorical columns as int32 indices into a dictionary of utf8 values, written
/// after the batches; validity bitmaps where rows are missing; every buffer 64-byte aligned.
/// Laid out in the README ("Table files").
public enum TableFile {
    /// The old format's first bytes, to name it when it is met.
    static let earlierMagic = Array("CAIRNTBL".utf8)

    /// True when the file starts as an Arrow file (or as an earlier Cairn table file, which
    /// reading then names).
    public static func isTableFile(_ path: String) -> Bool {
        let start = FileSystem.firstBytes(path, count: 8)
        return Array(start.prefix(6)) == ArrowFormat.magic || start == earlierMagic
    }

    // MARK: Writing

    public static func write(_ table: Table, to path: String) throws {
        let writer = try TableFileWriter(path, columnsOf: table)
        try writer.append(table)
        try writer.finish()
    }

    // MARK: Reading

    /// Reads a table file — Cairn's, or any Arrow IPC file of the types Cairn holds;
    /// `displayName` is the path shown in errors.
    public static func read(_ path: String, displayName: String? = nil) throws -> Table {
        try ArrowFileReader(file: try FilePieces(path), name: displayName ?? path).read()
    }

    /// Reads a table file one record batch at a time, each as a table of the columns named in
    /// `columns` (all when nil; none still gives each batch's row count): a stage that goes
    /// through the rows once holds one batch, not the table. A file without rows gives one
    /// table of none.
    public static func forEachBatch(_ path: String, displayName: String? = nil, columns: Set<String>? = nil,
                                    _ body: (Table) throws -> Void) throws {
        try ArrowFileReader(file: try FilePieces(path), name: displayName ?? path).forEachBatch(columns: columns) { batch, _, _ in
            try body(batch)
        }
    }
}
