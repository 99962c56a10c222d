import CairnSupport

extension Table {
    /// A file, or a folder of shards read in name order as one data set: each file of the folder
    /// that `accepts` takes is read by `read(path, displayName)`; `noun` names them in the error
    /// for a folder without any. Also gives each shard's name and row count (none for a file).
    public static func loadingShards(_ path: String, displayName: String, noun: String, accepts: (String) -> Bool,
                                     read: (String, String) throws -> Table) throws -> (table: Table, shards: [(name: String, rows: Int)]) {
        guard FileSystem.status(path)?.kind == .directory else { return (try read(path, displayName), []) }
        let names = try FileSystem.list(path).filter(accepts).sorted()
        guard !names.isEmpty else { throw CairnError(.invalidData, "\(displayName) holds no \(noun)") }
        let shards = try names.map { try read(path + "/" + $0, displayName + "/" + $0) }
        return (try joiningShards(shards), zip(names, shards.map(\.rowCount)).map { ($0, $1) })
    }

    /// One table from the shards of one data set, in order. Shards may infer different types
    /// for a column (whole numbers in one file, fractions in another): each column is first
    /// brought to one type — float64 for numbers, else text.
    public static func joiningShards(_ shards: [Table]) throws -> Table {
        guard let first = shards.first else { return try Table.concatenating(shards) }
        var unified = shards
        for name in first.columnNames {
            let types = Set(try shards.map { try $0.column(name).type })
            guard types.count > 1 else { continue }
            let target: ColumnType = types.allSatisfy(\.isNumeric) ? .float64
                : types.contains(.string) ? .string : .categorical
            for index in unified.indices { try unified[index].replace(try unified[index].column(name).casting(to: target)) }
        }
        return try Table.concatenating(unified)
    }
}
