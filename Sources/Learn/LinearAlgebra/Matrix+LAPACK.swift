import CairnSupport
import COpenBLAS

/// LAPACK solvers on `Matrix`.
extension Matrix {
    /// The minimum-norm least-squares solution of self × x ≈ b (DGELSD, by SVD — what
    /// scipy.linalg.lstsq and so scikit-learn's LinearRegression use). Copes with rank-deficient
    /// matrices, such as one-hot columns beside an intercept. Singular values below
    /// `rcond` × the largest count as zero.
    public func leastSquares(_ b: [Double], rcond: Double = -1) throws -> (solution: [Double], rank: Int) {
        precondition(b.count == rows)
        var a = values
        let ldb = max(rows, columns)
        var rhs = b + [Double](repeating: 0, count: ldb - rows)
        var singular = [Double](repeating: 0, count: min(rows, columns))
        var rank: Int32 = 0
        let info = LAPACKE_dgelsd(LAPACK_COL_MAJOR, Int32(rows), Int32(columns), 1, &a, Int32(max(1, rows)), &rhs, Int32(ldb),
                                  &singular, rcond, &rank)
        try Self.check(info, "least squares (dgelsd)")
        return (Array(rhs.prefix(columns)), Int(rank))
    }

    /// Solves self × x = b for a symmetric positive-definite self (DPOSV, Cholesky).
    public func choleskySolve(_ b: [Double]) throws -> [Double] {
        precondition(rows == columns && b.count == rows)
        var a = values
        var rhs = b
        let info = LAPACKE_dposv(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "U")), Int32(rows), 1, &a, Int32(max(1, rows)), &rhs, Int32(max(1, rows)))
        if info > 0 {
            throw CairnError(.invalidData, "the matrix is not positive definite (Cholesky failed at column \(info))",
                             hint: "a larger regularization (alpha) makes it so")
        }
        try Self.check(info, "Cholesky solve (dposv)")
        return rhs
    }

    /// Eigenvalues (ascending) and eigenvectors (the columns of the matrix returned) of a
    /// symmetric self (DSYEVD).
    public func symmetricEigen() throws -> (values: [Double], vectors: Matrix) {
        precondition(rows == columns)
        var a = values
        var eigenvalues = [Double](repeating: 0, count: rows)
        let info = LAPACKE_dsyevd(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "V")), Int8(UInt8(ascii: "U")), Int32(rows), &a,
                                  Int32(max(1, rows)), &eigenvalues)
        try Self.check(info, "symmetric eigendecomposition (dsyevd)")
        return (eigenvalues, Matrix(rows: rows, columns: columns, values: a))
    }

    private static func check(_ info: Int32, _ what: String) throws {
        guard info == 0 else {
            throw CairnError(.invalidData, "\(what) failed", cause: info < 0 ? "argument \(-info) was invalid" : "did not converge (info \(info))")
        }
    }
}
