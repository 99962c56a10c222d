/// Where a value came from in a file a person wrote, so that every diagnostic can point at it.
///
/// Three integers: the file is a number standing for its name. A generated pipeline has
/// millions of locations, copied with every node that holds one, and a name in each would be a
/// reference count to change on every copy.
public struct SourceLocation: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Which file, as `FileNames` numbers it.
    public let fileNumber: Int
    /// 1-based line.
    public var line: Int
    /// 1-based column.
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.init(fileNumber: FileNames.number(of: file), line: line, column: column)
    }

    /// For a reader that makes many locations in one file: `FileNames.number(of:)` once.
    public init(fileNumber: Int, line: Int, column: Int) {
        self.fileNumber = fileNumber
        self.line = line
        self.column = column
    }

    /// Path as the user should see it (relative to the workspace where possible).
    public var file: String { FileNames.name(fileNumber) }

    public var description: String { "\(file):\(line):\(column)" }

    private enum CodingKeys: String, CodingKey { case file, line, column }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(file: try container.decode(String.self, forKey: .file), line: try container.decode(Int.self, forKey: .line),
                  column: try container.decode(Int.self, forKey: .column))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(file, forKey: .file)
        try container.encode(line, forKey: .line)
        try container.encode(column, forKey: .column)
    }
}
