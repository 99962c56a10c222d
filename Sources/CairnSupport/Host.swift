import Glibc

/// The machine this process runs on.
public enum Host {
    /// `gethostname`: what a run record and a cluster job's result name.
    public static var name: String {
        var buffer = [CChar](repeating: 0, count: 256)
        gethostname(&buffer, buffer.count)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
