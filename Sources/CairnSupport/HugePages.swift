import Glibc

/// Large arrays (table columns, design matrices) filled in one go: the kernel is asked to back
/// them with 2 MiB pages, so that filling takes a few page faults instead of one per 4 KiB —
/// on virtual machines the faults can cost more than the work.
public enum HugePages {
    public static func advise(_ memory: UnsafeMutableRawBufferPointer) {
        let page = 2 << 20
        guard let base = memory.baseAddress else { return }
        let start = (Int(bitPattern: base) + page - 1) / page * page
        let end = (Int(bitPattern: base) + memory.count) / page * page
        if end > start { _ = madvise(UnsafeMutableRawPointer(bitPattern: start), end - start, MADV_HUGEPAGE) }
    }
}
