import CairnSupport
import CMalloc
import Glibc
import Testing

@Suite struct HeapTests {
    /// 40 MB: above the largest size glibc would otherwise map on its own (32 MB) and below the
    /// size of a thread's heap (64 MB), so the block comes from a heap whichever thread asks.
    @Test func aLargeBlockComesFromTheHeapRatherThanAMappingOfItsOwn() throws {
        Heap.keepFreedMemory()
        let size = 40 << 20
        let mappedBefore = mallinfo2().hblkhd
        let block = try #require(malloc(size))
        memset(block, 1, size)
        let mappedWhileHeld = mallinfo2().hblkhd
        free(block)
        #expect(mappedWhileHeld < mappedBefore + size, "the block was mapped on its own and would be unmapped when freed")
    }
}
