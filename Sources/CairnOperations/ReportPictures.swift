import CairnEngine
import CairnSupport
import Drift
import Glibc

/// The drift histograms of `cairn report` as inline SVG, and the colours its pictures share.
enum ReportPictures {
    /// Fill colours of a stage by its last status; a stage never run is grey.
    static let statusColors: [StageStatus: String] = [.ran: "#2e7d32", .restored: "#1565c0", .failed: "#c62828"]
    static let referenceColor = "#1f77b4", currentColor = "#ff7f0e", staleColor = "#ef6c00"

    /// Reference against current shares, bar beside bar: per decile bin of the reference for a
    /// numeric column, per category (most common first, at most 12) for a categorical one.
    static func histogram(_ column: DriftReport.ColumnReport) -> String {
        let bins: [(label: String, reference: Double, current: Double)]
        if let numeric = column.numeric {
            let histogram = numeric.histogram
            bins = histogram.reference.indices.map { index in
                let label = index < histogram.cuts.count ? "≤\(shortNumber(histogram.cuts[index]))" : ">\(shortNumber(histogram.cuts.last ?? 0))"
                return (label, histogram.reference[index], histogram.current[index])
            }
        } else {
            bins = (column.shares ?? [:]).sorted { ($0.value[0], $1.key) > ($1.value[0], $0.key) }.prefix(12)
                .map { ($0.key, $0.value[0], $0.value[1]) }
        }
        let (width, height, bottom) = (260.0, 90.0, 16.0)
        let top = max(bins.map { max($0.reference, $0.current) }.max() ?? 1, 1e-9)
        let slot = width / Double(max(bins.count, 1)), bar = slot * 0.4
        var body = ""
        for (index, bin) in bins.enumerated() {
            let x = Double(index) * slot + slot * 0.1
            for (offset, share, color, kind) in [(0.0, bin.reference, referenceColor, "reference"), (bar, bin.current, currentColor, "current")] {
                let barHeight = share / top * (height - bottom - 4)
                body += "<rect class=\"\(kind)\" x=\"\(Markup.number(x + offset))\" y=\"\(Markup.number(height - bottom - barHeight))\" width=\"\(Markup.number(bar))\" height=\"\(Markup.number(barHeight))\" fill=\"\(color)\"><title>\(Markup.escape(bin.label)): \(kind) \(shortNumber(share))</title></rect>"
            }
            body += "<text x=\"\(Markup.number(x + bar))\" y=\"\(height - 4)\" font-size=\"8\" text-anchor=\"middle\">"
                + "<title>\(Markup.escape(bin.label))</title>\(Markup.escape(Self.fitted(bin.label, width: slot)))</text>"
        }
        return Markup.svg(width: width, height: height, body + "\n")
    }

    /// A label as it fits `width` pixels at 8 px (about 4.6 px a character): whole, or cut with "…".
    static func fitted(_ label: String, width: Double) -> String {
        let room = max(2, Int(width / 4.6))
        return label.count <= room ? label : String(label.prefix(room - 1)) + "…"
    }

    /// A number in at most four significant digits.
    static func shortNumber(_ value: Double) -> String {
        if value == 0 { return "0" }
        let magnitude = abs(value)
        if magnitude >= 1e5 || magnitude < 1e-3 {
            let exponent = Int(log10(magnitude).rounded(.down)), mantissa = (value / pow(10, Double(exponent)) * 100).rounded() / 100
            return "\(mantissa)e\(exponent)"
        }
        let decimals = max(0, 3 - Int(log10(magnitude).rounded(.down)))
        let scale = pow(10, Double(decimals))
        let text = String((value * scale).rounded() / scale)
        return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
    }
}
