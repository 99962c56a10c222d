import CairnSupport
import Glibc
import Learn

/// The experiments section's picture: a metric against the one param swept (a point per
/// experiment, joined in the param's order), or, when several params were, parallel
/// coordinates — an axis per param and one for the metric, a line per experiment coloured by
/// its metric. Numbers get a linear axis (logarithmic when positive and spread over two
/// decades or more), other values one place each. Failed and queued experiments are left out.
struct ExperimentPicture {
    let experiments: [Experiment]
    let params: [String]
    let metric: String

    static let width = 640.0, height = 300.0, margin = (left: 64.0, right: 24.0, top: 24.0, bottom: 48.0)

    /// The picture for `experiments`: against the params whose value differs between them (all
    /// when none does), of the main metric — among those that differ, a score (accuracy, R², …)
    /// before a loss or anything else. Nil when there is no param or metric.
    init?(experiments: [Experiment], params: [String], metrics: [String]) {
        let succeeded = experiments.filter { $0.status == .succeeded }
        func varies(_ value: (Experiment) -> String?) -> Bool { Set(succeeded.map(value)).count > 1 }
        let swept = params.filter { key in varies { $0.param(key) } }
        let moving = metrics.filter { key in varies { $0.metrics[key] } }
        let candidates = moving.isEmpty ? metrics : moving
        let score = candidates.first { key in MetricName(rawValue: String(key.split(separator: ":").last ?? "")).map { !$0.isLoss } ?? false }
        guard !params.isEmpty, let metric = score ?? candidates.first else { return nil }
        self.experiments = experiments
        self.params = swept.isEmpty ? params : swept
        self.metric = metric
    }

    /// Where a value sits along an axis, from 0 to 1.
    struct Axis {
        var name: String
        var numbers: [Double]?
        var places: [String]
        var logarithmic: Bool

        init(name: String, values: [String]) {
            self.name = name
            places = []
            for value in values where !places.contains(value) { places.append(value) }
            let parsed = values.compactMap(Double.init)
            numbers = parsed.count == values.count && !values.isEmpty ? parsed : nil
            logarithmic = (parsed.min() ?? 0) > 0 && (parsed.max() ?? 0) / (parsed.min() ?? 1) >= 100 && numbers != nil
            if numbers != nil { places.sort { Double($0)! < Double($1)! } }
        }

        func position(_ value: String) -> Double {
            guard let numbers, let number = Double(value) else {
                return places.count < 2 ? 0.5 : Double(places.firstIndex(of: value) ?? 0) / Double(places.count - 1)
            }
            let scale: (Double) -> Double = logarithmic ? { log10($0) } : { $0 }
            let low = scale(numbers.min()!), high = scale(numbers.max()!)
            return high == low ? 0.5 : (scale(number) - low) / (high - low)
        }

        /// Tick labels with their positions: every place, or five for a numeric axis with more.
        var ticks: [(label: String, at: Double)] {
            guard let numbers, places.count > 5 else { return places.map { ($0, position($0)) } }
            return (0...4).map { step in
                let fraction = Double(step) / 4
                let low = numbers.min()!, high = numbers.max()!
                let value = logarithmic ? pow(10, log10(low) + fraction * (log10(high) - log10(low))) : low + fraction * (high - low)
                return (ReportPictures.shortNumber(value), fraction)
            }
        }
    }

    var svg: String {
        let shown = experiments.filter { $0.status == .succeeded && $0.metrics[metric] != nil }
        guard !shown.isEmpty else { return "" }
        return params.count == 1 ? scatter(shown) : parallel(shown)
    }

    private func scatter(_ shown: [Experiment]) -> String {
        let (m, w, h) = (Self.margin, Self.width, Self.height)
        let x = Axis(name: params[0], values: shown.map { $0.param(params[0]) ?? "" })
        let y = Axis(name: metric.split(separator: ":").last.map(String.init) ?? metric, values: shown.map { $0.metrics[metric]! })
        func point(_ experiment: Experiment) -> (Double, Double) {
            (m.left + x.position(experiment.param(params[0]) ?? "") * (w - m.left - m.right),
             h - m.bottom - y.position(experiment.metrics[metric]!) * (h - m.top - m.bottom))
        }
        var body = frame(x: x, y: y)
        let ordered = shown.sorted { x.position($0.param(params[0]) ?? "") < x.position($1.param(params[0]) ?? "") }
        body += "<polyline fill=\"none\" stroke=\"#90caf9\" stroke-width=\"1.5\" points=\""
            + ordered.map { let (px, py) = point($0); return "\(Markup.number(px)),\(Markup.number(py))" }.joined(separator: " ") + "\"/>"
        for experiment in ordered {
            let (px, py) = point(experiment)
            body += "<circle class=\"experiment\" cx=\"\(Markup.number(px))\" cy=\"\(Markup.number(py))\" r=\"4\" fill=\"#1565c0\">"
                + "<title>\(Markup.escape(experiment.name)): \(Markup.escape(params[0]))=\(Markup.escape(experiment.param(params[0]) ?? "")), "
                + "\(Markup.escape(metric))=\(Markup.escape(experiment.metrics[metric]!))</title></circle>"
        }
        return Markup.svg(width: w, height: h, scalable: true, body + "\n")
    }

    /// Axes with ticks and names; the y axis's values are the metric's.
    private func frame(x: Axis, y: Axis) -> String {
        let (m, w, h) = (Self.margin, Self.width, Self.height)
        var body = "<line x1=\"\(m.left)\" y1=\"\(h - m.bottom)\" x2=\"\(w - m.right)\" y2=\"\(h - m.bottom)\" stroke=\"#888\"/>"
            + "<line x1=\"\(m.left)\" y1=\"\(m.top)\" x2=\"\(m.left)\" y2=\"\(h - m.bottom)\" stroke=\"#888\"/>"
        for tick in x.ticks {
            let px = m.left + tick.at * (w - m.left - m.right)
            body += "<text x=\"\(Markup.number(px))\" y=\"\(h - m.bottom + 14)\" font-size=\"10\" text-anchor=\"middle\">\(Markup.escape(ReportPictures.fitted(tick.label, width: 60)))</text>"
        }
        for tick in y.ticks {
            let py = h - m.bottom - tick.at * (h - m.top - m.bottom)
            body += "<text x=\"\(m.left - 6)\" y=\"\(Markup.number(py + 3))\" font-size=\"10\" text-anchor=\"end\">\(Markup.escape(Double(tick.label).map(ReportPictures.shortNumber) ?? tick.label))</text>"
        }
        body += "<text x=\"\(Markup.number((m.left + w - m.right) / 2))\" y=\"\(h - 10)\" font-size=\"12\" text-anchor=\"middle\">\(Markup.escape(x.name))\(x.logarithmic ? " (log scale)" : "")</text>"
        body += "<text x=\"14\" y=\"\(Markup.number((m.top + h - m.bottom) / 2))\" font-size=\"12\" text-anchor=\"middle\" transform=\"rotate(-90 14 \(Markup.number((m.top + h - m.bottom) / 2)))\">\(Markup.escape(ReportPictures.fitted(y.name, width: h - m.top - m.bottom)))</text>"
        return body
    }

    private func parallel(_ shown: [Experiment]) -> String {
        let (m, w, h) = (Self.margin, Self.width, Self.height)
        let axes = params.map { key in Axis(name: key, values: shown.map { $0.param(key) ?? "" }) }
            + [Axis(name: metric.split(separator: ":").last.map(String.init) ?? metric, values: shown.map { $0.metrics[metric]! })]
        let spacing = (w - m.left - m.right) / Double(axes.count - 1)
        func y(_ fraction: Double) -> Double { h - m.bottom - fraction * (h - m.top - m.bottom) }
        var body = ""
        for (index, axis) in axes.enumerated() {
            let px = m.left + Double(index) * spacing
            body += "<line x1=\"\(Markup.number(px))\" y1=\"\(m.top)\" x2=\"\(Markup.number(px))\" y2=\"\(h - m.bottom)\" stroke=\"#888\"/>"
            body += "<text x=\"\(Markup.number(px))\" y=\"\(h - m.bottom + 28)\" font-size=\"11\" text-anchor=\"middle\"><title>\(Markup.escape(axis.name))</title>\(Markup.escape(ReportPictures.fitted(axis.name, width: spacing)))</text>"
            for tick in axis.ticks {
                body += "<text x=\"\(Markup.number(px + 4))\" y=\"\(Markup.number(y(tick.at) + 3))\" font-size=\"9\">\(Markup.escape(Double(tick.label).map(ReportPictures.shortNumber) ?? ReportPictures.fitted(tick.label, width: spacing / 2)))</text>"
            }
        }
        let metricAxis = axes.last!
        for experiment in shown {
            let values = params.map { experiment.param($0) ?? "" } + [experiment.metrics[metric]!]
            let points = zip(axes, values).enumerated().map { index, pair in
                "\(Markup.number(m.left + Double(index) * spacing)),\(Markup.number(y(pair.0.position(pair.1))))"
            }
            let heat = metricAxis.position(experiment.metrics[metric]!)
            let color = "rgb(\(Int(30 + 200 * heat)),\(Int(90 + 40 * (1 - heat))),\(Int(200 - 170 * heat)))"
            body += "<polyline class=\"experiment\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\" opacity=\"0.8\" points=\"\(points.joined(separator: " "))\">"
                + "<title>\(Markup.escape(experiment.name)): " + Markup.escape(zip(axes, values).map { "\($0.name)=\($1)" }.joined(separator: ", ")) + "</title></polyline>"
        }
        return Markup.svg(width: w, height: h, scalable: true, body + "\n")
    }
}
