import Glibc

/// Files and folders the unit tests share: the shipped sample data and fresh temporary folders.
public enum TestData {
    /// The repository root, found from this file's path.
    public static let repository: String = {
        var path = #filePath
        for _ in 0..<3 { path = String(path[..<path.lastIndex(of: "/")!]) }
        return path
    }()

    public static let penguins = repository + "/data/penguins.csv"

    /// A new empty folder under /tmp.
    public static func temporaryDirectory() -> String {
        var template = Array("/tmp/cairn-test-XXXXXX".utf8CString)
        return template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)) }
    }
}
