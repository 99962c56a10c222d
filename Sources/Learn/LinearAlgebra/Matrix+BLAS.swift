import COpenBLAS

/// BLAS level 1–3 on `Matrix` and vectors (`[Double]`).
extension Matrix {
    /// self × other (GEMM).
    public func multiplied(by other: Matrix) -> Matrix {
        precondition(columns == other.rows, "\(rows)×\(columns) times \(other.rows)×\(other.columns)")
        var result = Matrix(rows: rows, columns: other.columns)
        guard rows > 0, other.columns > 0, columns > 0 else { return result }
        values.withUnsafeBufferPointer { a in
            other.values.withUnsafeBufferPointer { b in
                result.values.withUnsafeMutableBufferPointer { c in
                    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, Int32(rows), Int32(other.columns), Int32(columns),
                                1, a.baseAddress, Int32(rows), b.baseAddress, Int32(other.rows), 0, c.baseAddress, Int32(rows))
                }
            }
        }
        return result
    }

    /// selfᵀ × other (GEMM with the first operand transposed).
    public func transposedMultiplied(by other: Matrix) -> Matrix {
        precondition(rows == other.rows, "\(rows)×\(columns) transposed times \(other.rows)×\(other.columns)")
        var result = Matrix(rows: columns, columns: other.columns)
        guard rows > 0, columns > 0, other.columns > 0 else { return result }
        values.withUnsafeBufferPointer { a in
            other.values.withUnsafeBufferPointer { b in
                result.values.withUnsafeMutableBufferPointer { c in
                    cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, Int32(columns), Int32(other.columns), Int32(rows),
                                1, a.baseAddress, Int32(rows), b.baseAddress, Int32(other.rows), 0, c.baseAddress, Int32(columns))
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
