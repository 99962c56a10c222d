extension Duration {
    /// The duration as fractional seconds, for reports.
    public var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}

extension Double {
    /// Seconds as a person reads them: two decimals below ten ("1.25s"), whole above ("42s").
    public var secondsText: String {
        guard self < 10 else { return String(Int(rounded())) + "s" }
        let hundredths = Int((self * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100)." + (fraction < 10 ? "0" : "") + "\(fraction)s"
    }
}
