/// Quantiles with linear interpolation between order statistics (numpy's and pandas' default).
public enum Quantile {
    /// The `q` quantile of values already sorted ascending.
    public static func ofSorted(_ sorted: [Double], _ q: Double) -> Double {
        let position = q * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - Double(lower))
    }

    /// The `q` quantiles of `values` without sorting them all: each needs one selection, O(n)
    /// on average, where a sort of a million-row column costs twenty times as much. Reorders `values`.
    public static func select(_ values: inout [Double], _ qs: [Double]) -> [Double] {
        qs.map { q in
            let position = q * Double(values.count - 1)
            let lower = Int(position.rounded(.down))
            let low = nth(&values, lower)
            guard lower + 1 < values.count, position > Double(lower) else { return low }
            // After the selection everything right of `lower` is at least as large; its minimum is the next statistic.
            let high = values[(lower + 1)...].min()!
            return low + (high - low) * (position - Double(lower))
        }
    }

    /// Puts the `k`-th smallest value at index `k`, smaller ones before and larger ones after
    /// (quickselect with a median-of-three pivot), and returns it.
    static func nth(_ values: inout [Double], _ k: Int) -> Double {
        var low = 0, high = values.count - 1
        values.withUnsafeMutableBufferPointer { v in
            while high > low {
                let middle = low + (high - low) / 2
                if v[middle] < v[low] { v.swapAt(middle, low) }
                if v[high] < v[low] { v.swapAt(high, low) }
                if v[high] < v[middle] { v.swapAt(high, middle) }
                let pivot = v[middle]
                var i = low, j = high
                while i <= j {
                    while v[i] < pivot { i += 1 }
                    while pivot < v[j] { j -= 1 }
                    if i <= j {
                        v.swapAt(i, j)
                        i += 1
                        j -= 1
                    }
                }
                if k <= j { high = j } else if k >= i { low = i } else { break }
            }
        }
        return values[k]
    }
}
