extension String {
    /// Without white space at either end: a pid file's line, a tool's answer.
    public var trimmingSpaces: String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
