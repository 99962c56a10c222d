/// Categories in order of first appearance, each with its code: how text becomes a categorical column.
struct CategoryIndex {
    private(set) var categories: [String] = []
    private var codes: [String: Int32] = [:]

    mutating func code(for text: String) -> Int32 {
        if let code = codes[text] { return code }
        let code = Int32(categories.count)
        categories.append(text)
        codes[text] = code
        return code
    }
}
