import Synchronization

/// The names of the files locations point into, each numbered once for the process: the same
/// name always has the same number, so locations compare and hash as before.
public enum FileNames {
    private static let table = Mutex<(names: [String], numbers: [String: Int])>(([], [:]))

    public static func number(of name: String) -> Int {
        table.withLock { table in
            if let known = table.numbers[name] { return known }
            table.names.append(name)
            table.numbers[name] = table.names.count - 1
            return table.names.count - 1
        }
    }

    static func name(_ number: Int) -> String { table.withLock { $0.names[number] } }
}
