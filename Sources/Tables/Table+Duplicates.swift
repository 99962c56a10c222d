import CairnSupport

extension Table {
    /// For each row, whether an identical row (every column equal, missing matching missing) came
    /// before it: the rows `drop_duplicates` removes, keeping first occurrences.
    public func repeatedRows() -> [Bool] {
        var firstByHash: [Int: [Int]] = [:]
        var repeated = [Bool](repeating: false, count: rowCount)
        for row in 0..<rowCount {
            var hasher = Hasher()
            for column in columns { column.hashValue(at: row, into: &hasher) }
            let key = hasher.finalize()
            if let candidates = firstByHash[key], candidates.contains(where: { rowsEqual($0, row) }) {
                repeated[row] = true
            } else {
                firstByHash[key, default: []].append(row)
            }
        }
        return repeated
    }

    private func rowsEqual(_ a: Int, _ b: Int) -> Bool {
        columns.allSatisfy { $0.isPresent(a) == $0.isPresent(b) && (!$0.isPresent(a) || !$0.precedes(a, b) && !$0.precedes(b, a)) }
    }
}

extension Column {
    func hashValue(at row: Int, into hasher: inout Hasher) {
        guard isPresent(row) else {
            hasher.combine(false)
            return
        }
        switch values {
        case .float64(let v): hasher.combine(v[row])
        case .int64(let v): hasher.combine(v[row])
        case .bool(let v): hasher.combine(v[row])
        case .categorical(let codes, _): hasher.combine(codes[row])
        case .string(let v): hasher.combine(v[row])
        }
    }

    /// A text column with `transform` applied to every value (categories are merged when two become equal).
    public func mappingText(_ transform: (String) -> String) throws -> Column {
        switch values {
        case .string(let v): return Column(name: name, values: .string(v.map(transform)), validity: validity)
        case .categorical(let codes, let categories):
            var index = CategoryIndex()
            let remap = categories.map { index.code(for: transform($0)) }
            return Column(name: name, values: .categorical(codes: codes.map { $0 < 0 ? -1 : remap[Int($0)] }, categories: index.categories),
                          validity: validity)
        default:
            throw CairnError(.invalidData, "column '\(name)' is \(type.rawValue), not text")
        }
    }
}
