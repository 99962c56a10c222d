import CairnGit
import CairnSupport
import Drift
import Learn

/// `cairn report`'s page: one HTML file with its style inline and every picture inline SVG —
/// nothing to fetch, so it opens the same offline, in a mail, or years later.
public struct ReportPage {
    public struct Metrics {
        public var file: String
        public var values: [String: String]
        /// As HEAD committed them; nil without lineage.
        public var previous: [String: String]?
    }

    public var pipeline: String
    public var dag: String
    public var source: RunRecord.Source?
    public var metrics: [Metrics] = []
    /// SVG pictures, inline.
    public var plots: [String] = []
    public var drift: [(stage: String, report: DriftReport)] = []
    /// The workspace's experiments, oldest first, with the metrics files of this pipeline.
    public var experiments: [Experiment] = []

    init(pipeline: String, dag: String, source: RunRecord.Source?) {
        (self.pipeline, self.dag, self.source) = (pipeline, dag, source)
    }

    public var html: String {
        var body = "<h1>\(Markup.escape(pipeline))</h1>\n"
        if let source, let commit = source.commit {
            body += "<p class=\"source\">commit \(Markup.escape(String(commit.prefix(10)))) \(Markup.escape(source.subject ?? ""))"
                + (source.dirty ? " · <b>uncommitted changes</b>" : "") + "</p>\n"
        }
        body += "<h2>Stages</h2>\n<p class=\"legend\">\(legend)</p>\n<div class=\"picture\">\(dag)</div>\n"
        for section in metrics { body += metricsTable(section) }
        if !plots.isEmpty { body += "<h2>Evaluation</h2>\n<div class=\"plots\">" + plots.joined() + "</div>\n" }
        for (stage, report) in drift { body += driftSection(stage, report) }
        if !experiments.isEmpty { body += experimentsSection }
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>\(Markup.escape(pipeline)) — cairn report</title>
            <style>\(Self.style)</style></head>
            <body>
            \(body)</body></html>

            """
    }

    private var legend: String {
        ReportPictures.statusColors.sorted { $0.key.rawValue < $1.key.rawValue }.map { "<span class=\"swatch\" style=\"background:\($0.value)\"></span>\($0.key.displayName)" }
            .joined(separator: " ") + " <span class=\"swatch\" style=\"background:#9e9e9e\"></span>never ran"
            + " <span class=\"swatch stale\"></span>stale now"
    }

    private func metricsTable(_ section: Metrics) -> String {
        var rows = ""
        for key in section.values.keys.sorted() {
            let now = section.values[key]!, before = section.previous?[key]
            var change: Double?
            if let current = Double(now), let earlier = before.flatMap(Double.init) { change = current - earlier }
            var row = "<tr><td>\(Markup.escape(key))</td><td>\(Markup.escape(Self.display(now)))</td>"
            if section.previous != nil {
                row += "<td>\(before.map { Markup.escape(Self.display($0)) } ?? "–")</td>"
                row += "<td class=\"\(Self.changeClass(change, metric: key))\">\(change.map(Self.signed) ?? "")</td>"
            }
            rows += row + "</tr>\n"
        }
        let head = "<tr><th>metric</th><th>now</th>" + (section.previous == nil ? "" : "<th>before</th><th>change</th>") + "</tr>"
        let note = section.previous == nil ? "<p class=\"note\">No earlier version in the lineage to compare with.</p>" : ""
        return "<h2>Metrics <small>\(Markup.escape(section.file))</small></h2>\n\(note)<table class=\"metrics\">\(head)\n\(rows)</table>\n"
    }

    /// The experiments as `cairn exp show` lists them, and the picture of the main metric
    /// against what was swept.
    private var experimentsSection: String {
        let table = ExperimentTable(experiments)
        var html = "<h2>Experiments <small>\(experiments.count) · as `cairn exp show` lists them</small></h2>\n<div class=\"picture\"><table class=\"experiments\"><tr>"
            + table.columns.map { "<th><span title=\"\(Markup.escape($0.key))\">\(Markup.escape($0.title))</span></th>" }.joined() + "</tr>\n"
        for row in table.rows {
            html += "<tr class=\"\(row.status.rawValue)\">" + table.columns.map { column in
                let text = column.field == .created ? LocalTime.minute(row.created) : table.value(row, column).map(Self.display) ?? "–"
                return "<td\(column.field == .status && row.error != nil ? " title=\"\(Markup.escape(row.error!))\"" : "")>\(Markup.escape(text))</td>"
            }.joined() + "</tr>\n"
        }
        html += "</table></div>\n"
        let params = table.columns.compactMap { if case .param(let key) = $0.field { key } else { nil } }
        let metrics = table.columns.compactMap { if case .metric(let key) = $0.field { key } else { nil } }
        if let chart = ExperimentPicture(experiments: experiments, params: params, metrics: metrics) {
            let picture = chart.svg, params = chart.params
            let name = chart.metric.split(separator: ":").last.map(String.init) ?? chart.metric
            let caption = params.count == 1 ? "\(name) against \(params[0]), one point per experiment"
                : "parallel coordinates: one line per experiment through \(params.joined(separator: ", ")) and \(name); colour by \(name), blue lowest, red highest"
            if !picture.isEmpty { html += "<p class=\"note\">\(Markup.escape(caption))</p><div class=\"picture\">\(picture)</div>\n" }
        }
        return html
    }

    private func driftSection(_ stage: String, _ report: DriftReport) -> String {
        let verdict = report.verdict
        var html = "<h2>Drift <small>\(Markup.escape(stage)) · \(report.rows["current"] ?? 0) new rows against \(report.rows["reference"] ?? 0)</small></h2>\n"
        html += "<p class=\"verdict \(verdict.drift ? "drifted" : "steady")\">\(verdict.drift ? "The data has drifted" : "No drift"): "
            + "\(verdict.driftedColumns) of \(verdict.columns) columns (share \(ReportPictures.shortNumber(verdict.share)), threshold \(ReportPictures.shortNumber(verdict.threshold))); on drift: \(Markup.escape(report.onDrift))</p>\n"
        html += "<table class=\"drift\"><tr><th>column</th><th>test</th><th>value</th><th>threshold</th><th>effect size</th><th>drifted</th><th>missing</th><th>reference <span class=\"swatch\" style=\"background:\(ReportPictures.referenceColor)\"></span> against current <span class=\"swatch\" style=\"background:\(ReportPictures.currentColor)\"></span></th></tr>\n"
        let rows = report.columns.sorted { ($0.value.drifted ? 0 : 1, $0.key) < ($1.value.drifted ? 0 : 1, $1.key) }
            + (report.prediction.map { [("prediction", $0)] } ?? [])
        for (name, column) in rows {
            let new = column.categorical?.newCategories ?? []
            html += "<tr><td>\(Markup.escape(name))\(new.isEmpty ? "" : "<br><small>new: " + Markup.escape(new.joined(separator: ", ")) + "</small>")</td>"
                + "<td>\(column.test.rawValue)</td><td>\(ReportPictures.shortNumber(column.value))</td><td>\(ReportPictures.shortNumber(column.threshold))</td>"
                + "<td>\(ReportPictures.shortNumber(column.effectSize))</td>"
                + "<td class=\"\(column.drifted ? "drifted" : "steady")\">\(column.drifted ? "yes" : "no")</td>"
                + "<td>\(Self.percent(column.missing.reference)) → \(Self.percent(column.missing.current))</td>"
                + "<td>\(ReportPictures.histogram(column))</td></tr>\n"
        }
        html += "</table>\n"
        if let performance = report.performance {
            html += "<h3>The model on the new rows</h3>\n<table class=\"metrics\"><tr><th>metric</th><th>new rows</th><th>evaluation</th><th>change</th></tr>\n"
            for (name, value) in performance.sorted(by: { $0.key < $1.key }) {
                html += "<tr><td>\(Markup.escape(name))</td><td>\(ReportPictures.shortNumber(value.batch))</td>"
                    + "<td>\(value.evaluation.map(ReportPictures.shortNumber) ?? "–")</td><td class=\"\(Self.changeClass(value.change, metric: name))\">\(value.change.map(Self.signed) ?? "")</td></tr>\n"
            }
            html += "</table>\n"
        }
        return html
    }

    private static func display(_ value: String) -> String { Double(value).map(ReportPictures.shortNumber) ?? value }
    private static func signed(_ value: Double) -> String { (value > 0 ? "+" : "") + ReportPictures.shortNumber(value) }
    /// "better" or "worse" by what the metric measures: lower is better for losses and errors
    /// (log loss, MSE, RMSE, MAE, also as `cv_` means); a spread (`_std`) or an unknown key gets no colour.
    static func changeClass(_ value: Double?, metric key: String) -> String {
        let name = key.hasPrefix("cv_") ? String(key.dropFirst(3)) : key
        guard let value, value != 0, let metric = MetricName(rawValue: name) else { return "" }
        return (value < 0) == metric.isLoss ? "better" : "worse"
    }
    private static func percent(_ share: Double) -> String { ReportPictures.shortNumber(share * 100) + "%" }

    static let style = """
        body{font-family:sans-serif;margin:24px 32px;color:#222;max-width:1200px}
        h1{margin-bottom:4px}h2{margin-top:32px;border-bottom:1px solid #ddd;padding-bottom:4px}h2 small{color:#666;font-weight:normal}
        table{border-collapse:collapse;margin:8px 0}td,th{border-bottom:1px solid #e4e4e4;padding:4px 10px;text-align:left;vertical-align:middle}
        th{background:#f4f4f4}.picture,.plots{overflow-x:auto}.plots svg{margin:0 12px 12px 0}
        .swatch{display:inline-block;width:12px;height:12px;border-radius:2px;vertical-align:middle;margin:0 4px 0 10px}
        .swatch.stale{border:2px dashed #ef6c00;width:9px;height:9px}
        .drifted{color:#c62828;font-weight:bold}.steady{color:#2e7d32}.verdict{font-size:16px}
        table.experiments td{white-space:nowrap}tr.failed td{color:#c62828}tr.queued td{color:#888}.better{color:#2e7d32}.worse{color:#c62828}.source,.note{color:#666}
        """
}
