import CMalloc
import Glibc

/// How the allocator treats memory. On a virtual machine the host backs a guest page only when
/// it is first touched, and takes it back soon after the guest frees it: touching fresh memory
/// costs about 2.5 s per GB on the machine of the README's figures in pages of 4 KB, 0.1 s in
/// pages of 2 MB, and rewriting memory already held 0.07 s. By default glibc gives every block
/// over 32 MB its own mapping, unmapped when freed, and gives threads heaps of their own, so a
/// pipeline whose stages allocate and free tables of hundreds of MB one after another touches
/// fresh small pages for every one of them.
public enum Heap {
    /// One heap for all threads, large blocks from it too, nothing handed back to the kernel on
    /// `free` (each stage reuses the pages of the one before), and the heap's address range
    /// laid out ahead in huge pages. The price is a process that stays at its peak size until it
    /// ends or calls `returnFreeMemory()`.
    public static func keepFreedMemory() {
        mallopt(M_ARENA_MAX, 1)
        mallopt(M_MMAP_MAX, 0)
        mallopt(M_TRIM_THRESHOLD, -1)  // -1: never trim the heap's top
        reserveHugePages()
    }

    /// Hands free memory back to the kernel, for a process that lives on between runs.
    public static func returnFreeMemory() {
        malloc_trim(0)
        reserveHugePages()
    }

    /// Grows the heap by half the machine's memory, untouched (address space, not memory), and
    /// asks for huge pages over it: a block freed at the heap's top stays there as free space
    /// (nothing is trimmed), and the allocations after it are carved from the advised range.
    private static func reserveHugePages() {
        let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
        let reserve = Int(sysconf(Int32(_SC_PHYS_PAGES))) / 2 * pageSize
        let before = Int(bitPattern: sbrk(0))
        guard reserve > 0, let block = malloc(reserve) else { return }
        // The pointer escapes to a call the optimizer cannot see through, which keeps it from
        // removing an allocation that is freed unused.
        let usable = malloc_usable_size(block)
        free(block)
        guard usable >= reserve else { return }
        let after = Int(bitPattern: sbrk(0))
        let start = (before + pageSize - 1) / pageSize * pageSize
        guard after > start else { return }  // the heap did not grow (not the main heap)
        madvise(UnsafeMutableRawPointer(bitPattern: start), after - start, MADV_HUGEPAGE)
    }
}
