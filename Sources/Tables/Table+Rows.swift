import CairnSupport

extension Column {
    /// The rows at `indices`, in that order.
    public func taking(_ indices: [Int]) -> Column {
        func gather<T>(_ values: [T]) -> [T] { indices.map { values[$0] } }
        let newValues: Values
        switch values {
        case .float64(let v): newValues = .float64(gather(v))
        case .int64(let v): newValues = .int64(gather(v))
        case .bool(let v): newValues = .bool(gather(v))
        case .categorical(let codes, let categories): newValues = .categorical(codes: gather(codes), categories: categories)
        case .string(let v): newValues = .string(gather(v))
        }
        let newValidity = validity.map { present in
            Validity(count: indices.count, missing: indices.indices.filter { !present[indices[$0]] })
        }
        return Column(name: name, values: newValues, validity: newValidity)
    }
}

extension Table {
    /// The rows at `indices`, in that order (rows may repeat).
    public func taking(_ indices: [Int]) -> Table {
        var table = self
        table.columns = columns.map { $0.taking(indices) }
        table.rowCount = indices.count
        return table
    }

    /// The rows where `mask` is true.
    public func filtering(_ mask: [Bool]) -> Table {
        precondition(mask.count == rowCount)
        return taking(mask.indices.filter { mask[$0] })
    }

    /// Rows of `tables` one after another. Columns match by name and type; categorical columns
    /// get the union of their categories, in order of first appearance.
    public static func concatenating(_ tables: [Table]) throws -> Table {
        guard let first = tables.first else { return Table() }
        var columns: [Column] = []
        for column in first.columns {
            var parts: [Column] = []
            for table in tables {
                guard let other = table.index(of: column.name).map({ table.columns[$0] }) else {
                    throw CairnError(.invalidData, "column '\(column.name)' is missing from a table being concatenated")
                }
                guard other.type == column.type else {
                    throw CairnError(.invalidData, "column '\(column.name)' is \(column.type.rawValue) in one table and \(other.type.rawValue) in another")
                }
                parts.append(other)
            }
            columns.append(Column.concatenating(parts))
        }
        for table in tables where table.columns.count != first.columns.count {
            let extra = table.columnNames.first { first.index(of: $0) == nil } ?? ""
            throw CairnError(.invalidData, "column '\(extra)' is not in every table being concatenated")
        }
        return try Table(columns: columns)
    }

    /// Rows ordered by `column` (stable; missing values last whichever the direction).
    public func sorted(by name: String, ascending: Bool = true) throws -> Table {
        let key = try column(name)
        let order = (0..<rowCount).sorted { (a: Int, b: Int) -> Bool in
            let presentA = key.isPresent(a), presentB = key.isPresent(b)
            if presentA != presentB { return presentA }
            if presentA {
                if key.precedes(a, b) { return ascending }
                if key.precedes(b, a) { return !ascending }
            }
            return a < b
        }
        return taking(order)
    }
}

extension Column {
    static func concatenating(_ parts: [Column]) -> Column {
        let total = parts.reduce(0) { $0 + $1.count }
        let values: Values
        func collect<T>(_ extract: (Values) -> [T]?) -> [T] {
            var joined: [T] = []
            joined.reserveCapacity(total)
            for part in parts { joined += extract(part.values) ?? [] }
            return joined
        }
        switch parts[0].values {
        case .float64: values = .float64(collect { if case .float64(let v) = $0 { v } else { nil } })
        case .int64: values = .int64(collect { if case .int64(let v) = $0 { v } else { nil } })
        case .bool: values = .bool(collect { if case .bool(let v) = $0 { v } else { nil } })
        case .string: values = .string(collect { if case .string(let v) = $0 { v } else { nil } })
        case .categorical:
            var index = CategoryIndex()
            var codes: [Int32] = []
            codes.reserveCapacity(total)
            for part in parts {
                guard case .categorical(let partCodes, let partCategories) = part.values else { continue }
                let remap = partCategories.map { index.code(for: $0) }
                codes += partCodes.map { $0 < 0 ? -1 : remap[Int($0)] }
            }
            values = .categorical(codes: codes, categories: index.categories)
        }
        var missing: [Int] = []
        var offset = 0
        for part in parts {
            if let present = part.validity { missing += present.missingRows.map { $0 + offset } }
            offset += part.count
        }
        return Column(name: parts[0].name, values: values, validity: missing.isEmpty ? nil : Validity(count: total, missing: missing))
    }

    /// Whether row `a` orders before row `b` (both present). Categories order by their text.
    func precedes(_ a: Int, _ b: Int) -> Bool {
        switch values {
        case .float64(let v): return v[a] < v[b] || (!v[a].isNaN && v[b].isNaN)
        case .int64(let v): return v[a] < v[b]
        case .bool(let v): return !v[a] && v[b]
        case .categorical(let codes, let categories): return categories[Int(codes[a])] < categories[Int(codes[b])]
        case .string(let v): return v[a] < v[b]
        }
    }
}
