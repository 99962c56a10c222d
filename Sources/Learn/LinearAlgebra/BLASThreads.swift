import CairnSupport
import COpenBLAS
import Glibc

/// OpenBLAS's thread count: `OPENBLAS_NUM_THREADS` when set (OpenBLAS reads it itself),
/// otherwise the number of online cores.
public enum BLASThreads {
    /// Sets the count, then stops the worker threads OpenBLAS started when the program was
    /// loaded: they spin on the cores (about 0.1 s after each start or call) waiting for work,
    /// and most commands never call BLAS. The first threaded call starts them again.
    public static func configure() {
        if getenv("OPENBLAS_NUM_THREADS") == nil { openblas_set_num_threads(Int32(Parallel.cores)) }
        blas_thread_shutdown_()
    }

    public static var current: Int { Int(openblas_get_num_threads()) }
}
