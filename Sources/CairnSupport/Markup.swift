/// Text for SVG and HTML that Cairn writes (evaluation plots, `cairn report`): no scripts, no
/// fonts or images to fetch, so a page stays whole offline.
public enum Markup {
    /// `text` safe inside an element or a quoted attribute.
    public static func escape(_ text: String) -> String {
        text.replacing("&", with: "&amp;").replacing("<", with: "&lt;").replacing(">", with: "&gt;").replacing("\"", with: "&quot;")
    }

    /// A standalone SVG picture on a white ground.
    /// `scalable`: shrinks to the width of its container rather than overflow it.
    public static func svg(width: Double, height: Double, scalable: Bool = false, _ body: String) -> String {
        let size = "width=\"\(number(width))\" height=\"\(number(height))\""
            + (scalable ? " viewBox=\"0 0 \(number(width)) \(number(height))\" style=\"max-width:100%;height:auto\"" : "")
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" \(size) font-family=\"sans-serif\">\n"
            + "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n" + body + "</svg>\n"
    }

    /// A coordinate to one decimal, as pictures need no more.
    public static func number(_ value: Double) -> String { String((value * 10).rounded() / 10) }
}
