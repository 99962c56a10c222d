import CairnSupport
import Tables

/// The evaluate stage's pictures as standalone SVG (no scripts, no fonts to fetch): ROC and
/// precision-recall curves, one line per class, and the confusion matrix as a shaded grid.
enum EvaluationPlots {
    static let colors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#7f7f7f"]

    /// Space between the frame and the unit square, so that a curve along 0 or 1 (a perfect
    /// classifier's) shows beside the frame instead of on it.
    static let inset = 8.0

    /// A unit-square line chart of `y` against `x` per class, from a curve table of the stage.
    static func curves(_ table: Table, x: String, y: String, title: String, diagonal: Bool) throws -> String {
        let (width, height, margin) = (420.0, 340.0, 48.0)
        func point(_ px: Double, _ py: Double) -> String {
            let (sx, sy) = place(px, py, width: width, height: height, margin: margin)
            return "\(Markup.number(sx)),\(Markup.number(sy))"
        }
        let classes = try table.column("class").strings().map { $0 ?? "" }
        let xs = try table.column(x).doubles()!, ys = try table.column(y).doubles()!
        var names: [String] = []
        for name in classes where !names.contains(name) { names.append(name) }
        var body = frame(width: width, height: height, margin: margin, title: title, xLabel: x.replacingUnderscores, yLabel: y.replacingUnderscores)
        if diagonal {
            let (start, end) = (place(0, 0, width: width, height: height, margin: margin), place(1, 1, width: width, height: height, margin: margin))
            body += "<line x1=\"\(start.x)\" y1=\"\(start.y)\" x2=\"\(end.x)\" y2=\"\(end.y)\" stroke=\"#bbb\" stroke-dasharray=\"4 4\"/>\n"
        }
        for (index, name) in names.enumerated() {
            let points = classes.indices.filter { classes[$0] == name }.map { point(xs[$0], ys[$0]) }
            let color = colors[index % colors.count]
            body += "<polyline class=\"curve\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\" points=\"\(points.joined(separator: " "))\"/>\n"
            body += "<text x=\"\(width - margin - 90)\" y=\"\(margin + 16 + Double(index) * 16)\" fill=\"\(color)\" font-size=\"12\">\(Markup.escape(name))</text>\n"
        }
        return Markup.svg(width: width, height: height, body)
    }

    /// The confusion matrix: true classes down, predicted across, darker for more rows.
    static func confusion(_ table: Table) throws -> String {
        let names = try table.column("class").strings().map { $0 ?? "" }
        let counts = try names.map { name in try table.column(name).doubles()! }  // column per predicted class
        let cell = 56.0, left = 110.0, top = 70.0
        let size = Double(names.count) * cell
        let largest = max(counts.flatMap { $0 }.max() ?? 1, 1)
        var body = "<text x=\"\(left)\" y=\"24\" font-size=\"15\">confusion matrix</text>\n"
        body += "<text x=\"\(left + size / 2)\" y=\"\(top - 30)\" font-size=\"12\" text-anchor=\"middle\">predicted</text>\n"
        for (row, actual) in names.enumerated() {
            body += "<text x=\"\(left - 8)\" y=\"\(top + (Double(row) + 0.5) * cell + 4)\" font-size=\"12\" text-anchor=\"end\">\(Markup.escape(actual))</text>\n"
            for (column, predicted) in names.enumerated() {
                if row == 0 {
                    body += "<text x=\"\(left + (Double(column) + 0.5) * cell)\" y=\"\(top - 8)\" font-size=\"12\" text-anchor=\"middle\">\(Markup.escape(predicted))</text>\n"
                }
                let count = counts[column][row]
                let shade = Int(255 - 200 * count / largest)
                body += "<rect class=\"cell\" x=\"\(left + Double(column) * cell)\" y=\"\(top + Double(row) * cell)\" width=\"\(cell)\" height=\"\(cell)\" fill=\"rgb(\(shade),\(shade),255)\" stroke=\"#fff\"/>\n"
                body += "<text x=\"\(left + (Double(column) + 0.5) * cell)\" y=\"\(top + (Double(row) + 0.5) * cell + 5)\" font-size=\"14\" text-anchor=\"middle\">\(Int(count))</text>\n"
            }
        }
        return Markup.svg(width: left + size + 20, height: top + size + 20, body)
    }

    /// Where (px, py) of the unit square lies in the picture.
    private static func place(_ px: Double, _ py: Double, width: Double, height: Double, margin: Double) -> (x: Double, y: Double) {
        (margin + inset + px * (width - 2 * margin - 2 * inset), height - margin - inset - py * (height - 2 * margin - 2 * inset))
    }

    private static func frame(width: Double, height: Double, margin: Double, title: String, xLabel: String, yLabel: String) -> String {
        var body = "<text x=\"\(margin)\" y=\"24\" font-size=\"15\">\(Markup.escape(title))</text>\n"
        body += "<rect x=\"\(margin)\" y=\"\(margin)\" width=\"\(width - 2 * margin)\" height=\"\(height - 2 * margin)\" fill=\"none\" stroke=\"#333\"/>\n"
        for tick in stride(from: 0.0, through: 1.0, by: 0.25) {
            let (tx, ty) = place(tick, tick, width: width, height: height, margin: margin)
            body += "<text x=\"\(Markup.number(tx))\" y=\"\(height - margin + 16)\" font-size=\"10\" text-anchor=\"middle\">\(tick)</text>\n"
            body += "<text x=\"\(margin - 6)\" y=\"\(Markup.number(ty + 3))\" font-size=\"10\" text-anchor=\"end\">\(tick)</text>\n"
        }
        body += "<text x=\"\(width / 2)\" y=\"\(height - 10)\" font-size=\"12\" text-anchor=\"middle\">\(Markup.escape(xLabel))</text>\n"
        body += "<text x=\"14\" y=\"\(height / 2)\" font-size=\"12\" text-anchor=\"middle\" transform=\"rotate(-90 14 \(height / 2))\">\(Markup.escape(yLabel))</text>\n"
        return body
    }

}

private extension String {
    var replacingUnderscores: String { replacing("_", with: " ") }
}
