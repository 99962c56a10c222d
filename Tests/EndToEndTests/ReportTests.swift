import Foundation
import Testing

/// `cairn report` on the example, read as text and rendered by a real headless Chromium, whose
/// screenshot must show the pictures: the stages' green, the histograms' blue and orange.
@Suite struct ReportTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    @Test func theReportIsWholeAndRendersItsPictures() throws {
        let workspace = try MonitorTests.workspace(onDrift: "warn")
        #expect(try workspace.cairn("run").status == 0)
        let result = try workspace.cairn("report", "-o", "out/report.html")
        #expect(result.status == 0, "\(result.stderr)")
        let page = try workspace.read("out/report.html")
        // Nothing to fetch: no scripts, no external links, images or styles.
        for banned in ["<script", " src=", "href=\"http", "url(http", "@import", "<link"] { #expect(!page.contains(banned), "\(banned)") }
        // The DAG, ROC, precision-recall and confusion pictures, a histogram per column and for the predictions.
        #expect(page.components(separatedBy: "<svg").count - 1 == 1 + 3 + 6 + 1)
        for text in ["monitor", "ran · ", "The data has drifted", "bill_length_mm", "accuracy", "ROC curve", "confusion matrix",
                     "The model on the new rows", ">Torgersen</text>", ">Chinstrap</text>"] {
            #expect(page.contains(text), "\(text)")
        }
        // The perfect ROC curves lie inside the frame (x 48–372, y 48–292), not on it.
        let roc = String(page[page.range(of: "ROC curve")!.lowerBound...].prefix(20_000))
        for line in roc.components(separatedBy: "<polyline class=\"curve\"").dropFirst().map({ Self.attribute("points", in: $0) }) {
            for point in line.split(separator: " ").map({ $0.split(separator: ",").map { Double($0)! } }) {
                #expect(point[0] > 50 && point[0] < 370 && point[1] > 50 && point[1] < 290, "\(point)")
            }
        }

        let screenshot = workspace.root.appendingPathComponent("out/report.png").path
        let chromium = Process()
        chromium.executableURL = URL(fileURLWithPath: "/usr/bin/chromium")
        chromium.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1280,3200",
                              "--screenshot=\(screenshot)", "file://" + workspace.root.appendingPathComponent("out/report.html").path]
        chromium.standardOutput = FileHandle.nullDevice
        chromium.standardError = FileHandle.nullDevice
        try chromium.run()
        chromium.waitUntilExit()
        #expect(chromium.terminationStatus == 0)
        let counter = Process()
        counter.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        counter.arguments = [Self.fixtures.appendingPathComponent("png_colors.py").path, screenshot, "#2e7d32", "#1f77b4", "#ff7f0e"]
        let out = Pipe()
        counter.standardOutput = out
        try counter.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        counter.waitUntilExit()
        let counts = try JSONSerialization.jsonObject(with: data) as! [String: Int]
        // Seven green boxes of 124 × 44; bars of reference and current in every histogram.
        #expect(counts["#2e7d32"]! > 7 * 100 * 30, "\(counts)")
        #expect(counts["#1f77b4"]! > 3000 && counts["#ff7f0e"]! > 3000, "\(counts)")
    }

    /// Before any run: every stage grey and stale, no sections for outputs that do not exist yet.
    @Test func beforeAnyRunThePageSaysSo() throws {
        let workspace = try MonitorTests.workspace(onDrift: "warn")
        let result = try workspace.cairn("report")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("7 stages, 0 metrics files, 0 plots, 0 drift reports"))
        let page = try workspace.read("artifacts/penguins/report.html")
        #expect(page.components(separatedBy: "never ran").count - 1 == 7 + 1)  // seven boxes and the legend
        #expect(page.components(separatedBy: "stroke-dasharray=\"6 3\"").count - 1 == 7)
        #expect(!page.contains("<h2>Drift") && !page.contains("<h2>Metrics"))
    }

    /// Ten stages, two of them sources: the DAG fits a 1,400-pixel window (top to bottom when
    /// left to right would not), every edge ends at the box of the stage it feeds, and no edge
    /// passes through another box.
    @Test func theDagFitsAndEdgesReachTheirStages() throws {
        let stages = [("a", []), ("b", []), ("c", ["a"]), ("d", ["c"]), ("e", ["d", "b"]), ("f", ["e"]), ("g", ["f"]),
                      ("h", ["g", "a"]), ("i", ["h"]), ("j", ["i", "b"])]
        var yaml = "stages:\n"
        for (name, inputs) in stages {
            let ins = inputs.map { "\($0): \($0).out" }.joined(separator: ", ")
            yaml += "  \(name):\n    cmd: echo \(name) > ${outputs.out}\n    outputs: { out: out/\(name).txt }\n"
                + (inputs.isEmpty ? "" : "    inputs: { \(ins) }\n")
        }
        let workspace = try TestWorkspace(files: ["pipelines/ten.yaml": yaml])
        #expect(try workspace.cairn("report").status == 0)
        let page = try workspace.read("artifacts/ten/report.html")
        let svg = String(page[page.range(of: "<svg")!.lowerBound...].prefix { $0 != "\n" })
        let width = try #require(Double(Self.attribute("width", in: svg)))
        #expect(width <= 1136 && svg.contains("max-width:100%"), "\(svg)")
        var boxes: [String: (x: Double, y: Double, w: Double, h: Double)] = [:]
        for group in page.components(separatedBy: "<g class=\"stage\"><title>").dropFirst() {
            let name = String(group.prefix { $0 != " " })
            let rect = String(group[group.range(of: "<rect")!.lowerBound...].prefix { $0 != ">" })
            boxes[name] = try (Self.number("x", rect), Self.number("y", rect), Self.number("width", rect), Self.number("height", rect))
        }
        #expect(boxes.count == 10)
        let edges = page.components(separatedBy: "<path class=\"edge\"").dropFirst()
        #expect(edges.count == 11)
        for edge in edges {
            let from = Self.attribute("data-from", in: edge), to = Self.attribute("data-to", in: edge)
            let points = Self.attribute("d", in: edge).split(whereSeparator: { " MLQC".contains($0) }).map { pair in
                pair.split(separator: ",").map { Double($0)! }
            }
            let target = try #require(boxes[to]), end = points.last!
            // The arrow ends on the target's left side (left to right) or top (top to bottom).
            let onLeft = abs(end[0] - target.x) < 0.2 && end[1] > target.y && end[1] < target.y + target.h
            let onTop = abs(end[1] - target.y) < 0.2 && end[0] > target.x && end[0] < target.x + target.w
            #expect(onLeft || onTop, "\(from) → \(to) ends at \(end)")
            for point in points.dropFirst().dropLast() {
                for (name, box) in boxes where point[0] > box.x + 0.5 && point[0] < box.x + box.w - 0.5
                    && point[1] > box.y + 0.5 && point[1] < box.y + box.h - 0.5 {
                    Issue.record("edge \(from) → \(to) passes through \(name) at \(point)")
                }
            }
        }
    }

    /// "Before" is what HEAD committed, not the last run; the colour says better or worse by
    /// what the metric measures (lower log loss is better).
    @Test func metricsCompareWithHeadAndColourByMeaning() throws {
        let pipeline = """
            params: params.yaml
            stages:
              score:
                cmd: "printf '{\\"accuracy\\": %s, \\"log_loss\\": %s}' ${params.accuracy} ${params.loss} > ${outputs.metrics}"
                outputs: { metrics: out/metrics.json }
                metrics: [metrics]
            """
        let workspace = try TestWorkspace(files: ["pipelines/p.yaml": pipeline, "params.yaml": "accuracy: 0.8\nloss: 0.5\n"])
        #expect(try workspace.cairn("init").status == 0)
        #expect(try workspace.cairn("run").status == 0)
        try LineageTests.git(workspace, "add", "-A")
        try LineageTests.git(workspace, "commit", "-qm", "first")
        try workspace.write("params.yaml", "accuracy: 0.7\nloss: 0.4\n")
        #expect(try workspace.cairn("run").status == 0)
        try workspace.write("params.yaml", "accuracy: 0.9\nloss: 0.6\n")
        #expect(try workspace.cairn("run").status == 0)
        #expect(try workspace.cairn("report").status == 0)
        let page = try workspace.read("artifacts/p/report.html")
        #expect(page.contains("<tr><td>accuracy</td><td>0.9</td><td>0.8</td><td class=\"better\">+0.1</td></tr>"), "\(page)")
        #expect(page.contains("<tr><td>log_loss</td><td>0.6</td><td>0.5</td><td class=\"worse\">+0.1</td></tr>"))
    }

    static func attribute(_ name: String, in text: String) -> String {
        guard let start = text.range(of: " \(name)=\"") else { return "" }
        return String(text[start.upperBound...].prefix { $0 != "\"" })
    }

    static func number(_ name: String, _ text: String) throws -> Double { try #require(Double(attribute(name, in: text))) }
}
