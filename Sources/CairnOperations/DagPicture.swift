import CairnEngine
import CairnSupport

/// The pipeline's DAG as inline SVG for `cairn report`: stages in layers by depth (one layer
/// after the deepest stage each reads from), left to right, or top to bottom when that would be
/// too wide for the page. Within a layer, stages sit in the order of the mean place of what they
/// read from, which keeps edges short and uncrossed. An edge to the next layer is an S-curve in
/// the gap between the layers; a longer one runs in a lane of its own outside every box, so that
/// no edge passes through a stage it does not feed. The picture scales down to fit the page.
struct DagPicture {
    /// Wider than this, left to right no longer fits the report's column: lay out top to bottom.
    static let pageWidth = 1136.0

    let graph: PipelineGraph
    let history: StageHistory
    let stale: Set<String>

    private let boxHeight = 44.0, margin = 12.0, laneSpacing = 7.0, corner = 6.0

    /// Box width: room for the longest name at 13 px bold.
    private var boxWidth: Double { max(124, Double(graph.nodes.map(\.name.count).max() ?? 0) * 8.2 + 20) }

    var svg: String {
        let layers = layerOrder()
        let depth = Dictionary(uniqueKeysWithValues: layers.enumerated().flatMap { index, names in names.map { ($0, index) } })
        let longEdges = graph.nodes.flatMap { node in node.upstream.filter { depth[node.name]! - depth[$0]! > 1 }.map { ($0, node.name) } }
        let horizontalWidth = 2 * margin + Double(layers.count) * boxWidth + Double(layers.count - 1) * 36
        let flow = Flow(horizontal: horizontalWidth <= Self.pageWidth, boxWidth: boxWidth, boxHeight: boxHeight)
        // Layout space: u along the flow, v across it; lanes for long edges before the first slot.
        let laneRoom = longEdges.isEmpty ? 0 : Double(longEdges.count) * laneSpacing + 10
        var place: [String: (u: Double, v: Double)] = [:]
        for (layer, names) in layers.enumerated() {
            for (slot, name) in names.enumerated() {
                place[name] = (margin + Double(layer) * (flow.boxU + flow.gapU), margin + laneRoom + Double(slot) * (flow.boxV + flow.gapV))
            }
        }
        var body = "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\">"
            + "<path d=\"M0,0 L10,5 L0,10 z\" fill=\"#555\"/></marker></defs>\n"
        var lane = 0
        for node in graph.nodes {
            let to = place[node.name]!
            for source in node.upstream {
                let from = place[source]!
                let start = (u: from.u + flow.boxU, v: from.v + flow.boxV / 2), end = (u: to.u, v: to.v + flow.boxV / 2)
                let path: String
                if depth[node.name]! - depth[source]! == 1 {
                    let middle = (start.u + end.u) / 2
                    path = "M\(flow.point(start.u, start.v)) C\(flow.point(middle, start.v)) \(flow.point(middle, end.v)) \(flow.point(end.u, end.v))"
                } else {
                    // Out into the gap after the source, across to its lane, along it, back in before the target.
                    let out = start.u + flow.gapU / 2, back = end.u - flow.gapU / 2
                    let laneV = margin + Double(lane) * laneSpacing
                    lane += 1
                    path = "M\(flow.point(start.u, start.v)) L\(flow.point(out - corner, start.v)) "
                        + "Q\(flow.point(out, start.v)) \(flow.point(out, start.v - corner)) L\(flow.point(out, laneV + corner)) "
                        + "Q\(flow.point(out, laneV)) \(flow.point(out + corner, laneV)) L\(flow.point(back - corner, laneV)) "
                        + "Q\(flow.point(back, laneV)) \(flow.point(back, laneV + corner)) L\(flow.point(back, end.v - corner)) "
                        + "Q\(flow.point(back, end.v)) \(flow.point(back + corner, end.v)) L\(flow.point(end.u, end.v))"
                }
                body += "<path class=\"edge\" data-from=\"\(Markup.escape(source))\" data-to=\"\(Markup.escape(node.name))\" d=\"\(path)\" "
                    + "fill=\"none\" stroke=\"#555\" stroke-width=\"1.5\" marker-end=\"url(#arrow)\"/>\n"
            }
        }
        for node in graph.nodes {
            let at = place[node.name]!, (x, y) = flow.corner(at.u, at.v), entry = history.stages[node.name]
            let fill = entry.flatMap { ReportPictures.statusColors[$0.status] } ?? "#9e9e9e"
            let border = stale.contains(node.name) ? " stroke=\"\(ReportPictures.staleColor)\" stroke-width=\"3\" stroke-dasharray=\"6 3\"" : ""
            let detail = entry.map { "\($0.status.displayName) · \($0.seconds.secondsText)" } ?? "never ran"
            body += "<g class=\"stage\"><title>\(Markup.escape(node.name)) (\(Markup.escape(node.kind.name)))</title>"
                + "<rect x=\"\(Markup.number(x))\" y=\"\(Markup.number(y))\" width=\"\(Markup.number(boxWidth))\" height=\"\(boxHeight)\" rx=\"6\" fill=\"\(fill)\"\(border)/>"
                + "<text x=\"\(Markup.number(x + 10))\" y=\"\(Markup.number(y + 20))\" fill=\"#fff\" font-size=\"13\" font-weight=\"bold\">\(Markup.escape(node.name))</text>"
                + "<text x=\"\(Markup.number(x + 10))\" y=\"\(Markup.number(y + 36))\" fill=\"#fff\" font-size=\"11\">\(Markup.escape(detail))</text></g>\n"
        }
        let slots = Double(layers.map(\.count).max() ?? 1)
        let extentU = 2 * margin + Double(layers.count) * flow.boxU + Double(layers.count - 1) * flow.gapU
        let extentV = 2 * margin + laneRoom + slots * flow.boxV + (slots - 1) * flow.gapV
        let (width, height) = flow.horizontal ? (extentU, extentV) : (extentV, extentU)
        return Markup.svg(width: width, height: height, scalable: true, body)
    }

    /// Stage names per layer: depth first, then, within a layer, the mean slot of the stages
    /// read from (ties in pipeline order).
    func layerOrder() -> [[String]] {
        var depth: [String: Int] = [:]
        for node in graph.nodes { depth[node.name] = (node.upstream.compactMap { depth[$0] }.max() ?? -1) + 1 }
        var layers = [[String]](repeating: [], count: (depth.values.max() ?? 0) + 1)
        for node in graph.nodes { layers[depth[node.name]!].append(node.name) }
        var slot: [String: Double] = [:]
        for index in layers.indices {
            let order = layers[index].enumerated().map { position, name -> (Double, Int, String) in
                let sources = graph.node(named: name)!.upstream.compactMap { slot[$0] }
                return (sources.isEmpty ? Double(position) : sources.reduce(0, +) / Double(sources.count), position, name)
            }.sorted { ($0.0, $0.1) < ($1.0, $1.1) }
            layers[index] = order.map(\.2)
            for (position, name) in layers[index].enumerated() { slot[name] = Double(position) }
        }
        return layers
    }

    /// Maps layout space (u along the flow, v across it) to the picture's x and y.
    private struct Flow {
        var horizontal: Bool
        var boxWidth: Double, boxHeight: Double
        var boxU: Double { horizontal ? boxWidth : boxHeight }
        var boxV: Double { horizontal ? boxHeight : boxWidth }
        var gapU: Double { horizontal ? 36 : 30 }
        var gapV: Double { horizontal ? 18 : 20 }

        func corner(_ u: Double, _ v: Double) -> (Double, Double) { horizontal ? (u, v) : (v, u) }

        /// An edge point; across a vertical flow edges run from a box's bottom to the next one's top.
        func point(_ u: Double, _ v: Double) -> String {
            let (x, y) = horizontal ? (u, v) : (v, u)
            return "\(Markup.number(x)),\(Markup.number(y))"
        }
    }
}
