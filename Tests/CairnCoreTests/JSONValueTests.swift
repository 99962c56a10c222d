import CairnCore
import Testing

@Suite struct JSONValueTests {
    /// JSON numbers are the shortest text that reads back to the same double, never rounded.
    @Test func jsonNumbersKeepEveryDigit() {
        for value in [0.1, 0.123456789012345, 1e-7, 123456789.5, -2.5e300, 5e-324, 1] as [Double] {
            #expect(Double(JSONValue.number(value).compact) == value)
        }
        #expect(JSONValue.number(0.0004).compact == "0.0004")
        #expect(JSONValue.number(.nan).compact == "null")
    }
}
