import CairnCore

extension StageContext {
    /// Input `name` as a table (a table file or CSV); errors name it as the pipeline does.
    public func table(_ name: String) throws -> Table {
        try reading(name) { try Table.load($0, displayName: $1) }
    }

    /// As `table`, for an optional input.
    public func tableIfGiven(_ name: String) throws -> Table? {
        try readingIfGiven(name) { try Table.load($0, displayName: $1) }
    }
}
