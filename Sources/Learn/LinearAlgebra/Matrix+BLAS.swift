import COpenBLAS

/// BLAS level 1–3 on `Matrix` and vectors (`[Double]`).
extension Matrix {
    /// self × other (GEMM).
    public func multiplied(by other: Matrix) -> Matrix { product(other, transposingSelf: false, transposingOther: false) }

    /// selfᵀ × other.
    public func transposedMultiplied(by other: Matrix) -> Matrix { product(other, transposingSelf: true, transposingOther: false) }

    /// self × otherᵀ, without building the transpose.
    public func multiplied(byTransposeOf other: Matrix) -> Matrix { product(other, transposingSelf: false, transposingOther: true) }

    /// One GEMM for the three products: BLAS reads either operand transposed in place.
    private func product(_ other: Matrix, transposingSelf: Bool, transposingOther: Bool) -> Matrix {
        let (m, k) = transposingSelf ? (columns, rows) : (rows, columns)
        let (otherK, n) = transposingOther ? (other.columns, other.rows) : (other.rows, other.columns)
        precondition(k == otherK, "\(rows)×\(columns)\(transposingSelf ? "ᵀ" : "") times \(other.rows)×\(other.columns)\(transposingOther ? "ᵀ" : "")")
        var result = Matrix(rows: m, columns: n)
        guard m > 0, n > 0, k > 0 else { return result }
        values.withUnsafeBufferPointer { a in
            other.values.withUnsafeBufferPointer { b in
                result.values.withUnsafeMutableBufferPointer { c in
                    cblas_dgemm(CblasColMajor, transposingSelf ? CblasTrans : CblasNoTrans, transposingOther ? CblasTrans : CblasNoTrans,
                                Int32(m), Int32(n), Int32(k), 1, a.baseAddress, Int32(max(rows, 1)), b.baseAddress,
                                Int32(max(other.rows, 1)), 0, c.baseAddress, Int32(m))
                }
            }
        }
        return result
    }

    /// selfᵀ × self (SYRK), the Gram matrix of the columns; both triangles filled.
    public func gram() -> Matrix {
        var result = Matrix(rows: columns, columns: columns)
        guard rows > 0, columns > 0 else { return result }
        values.withUnsafeBufferPointer { a in
            result.values.withUnsafeMutableBufferPointer { c in
                cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, Int32(columns), Int32(rows), 1, a.baseAddress, Int32(rows),
                            0, c.baseAddress, Int32(columns))
            }
        }
        for j in 0..<columns { for i in (j + 1)..<max(j + 1, columns) { result[i, j] = result[j, i] } }
        return result
    }

    /// self × vector (GEMV), or selfᵀ × vector with `transposed`.
    public func multiplied(by vector: [Double], transposed: Bool = false) -> [Double] {
        precondition(vector.count == (transposed ? rows : columns), "vector of \(vector.count) for a \(rows)×\(columns) matrix")
        var result = [Double](repeating: 0, count: transposed ? columns : rows)
        guard rows > 0, columns > 0 else { return result }
        values.withUnsafeBufferPointer { a in
            result.withUnsafeMutableBufferPointer { y in
                cblas_dgemv(CblasColMajor, transposed ? CblasTrans : CblasNoTrans, Int32(rows), Int32(columns), 1,
                            a.baseAddress, Int32(rows), vector, 1, 0, y.baseAddress, 1)
            }
        }
        return result
    }
}

/// Vector operations through BLAS.
public enum Vector {
    public static func dot(_ x: [Double], _ y: [Double]) -> Double {
        precondition(x.count == y.count)
        return cblas_ddot(Int32(x.count), x, 1, y, 1)
    }

    /// y += a·x (AXPY).
    public static func add(_ a: Double, times x: [Double], to y: inout [Double]) {
        precondition(x.count == y.count)
        y.withUnsafeMutableBufferPointer { cblas_daxpy(Int32(x.count), a, x, 1, $0.baseAddress, 1) }
    }
}
