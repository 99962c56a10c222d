/// Where a value came from in a file a person wrote, so that every diagnostic can point at it.
public struct SourceLocation: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Path as the user should see it (relative to the workspace where possible).
    public var file: String
    /// 1-based line.
    public var line: Int
    /// 1-based column.
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }
}
