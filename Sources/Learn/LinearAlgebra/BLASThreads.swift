import CairnSupport
import COpenBLAS
import Glibc

/// OpenBLAS's thread count: `OPENBLAS_NUM_THREADS` when set (OpenBLAS reads it itself),
/// otherwise the number of online cores.
public enum BLASThreads {
    public static func configure() {
        guard getenv("OPENBLAS_NUM_THREADS") == nil else { return }
        openblas_set_num_threads(Int32(Parallel.cores))
    }

    public static var current: Int { Int(openblas_get_num_threads()) }
}
