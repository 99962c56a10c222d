import CairnSupport
import Glibc

/// One hyperparameter value: what a search tries and a trial table shows.
public enum ParameterValue: Codable, Sendable, Equatable, CustomStringConvertible {
    case number(Double)
    case integer(Int)
    case text(String)
    case flag(Bool)

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let flag = try? container.decode(Bool.self) { self = .flag(flag) }
        else if let integer = try? container.decode(Int.self) { self = .integer(integer) }
        else if let number = try? container.decode(Double.self) { self = .number(number) }
        else { self = .text(try container.decode(String.self)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .number(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .text(let value): try container.encode(value)
        case .flag(let value): try container.encode(value)
        }
    }

    /// The value as a number, for numeric hyperparameters.
    public var number: Double? {
        switch self {
        case .number(let value): value
        case .integer(let value): Double(value)
        case .text, .flag: nil
        }
    }

    public var description: String {
        switch self {
        case .number(let value): String(value)
        case .integer(let value): String(value)
        case .text(let value): value
        case .flag(let value): String(value)
        }
    }
}

/// Where one hyperparameter may range: a list of values, or an interval of integers or numbers
/// (`log: true` draws on a log scale, for values like C or alpha).
public enum ParameterRange: Codable, Sendable, Equatable {
    case values([ParameterValue])
    case integers(ClosedRange<Int>)
    case numbers(low: Double, high: Double, log: Bool)

    enum CodingKeys: String, CodingKey { case low, high, log }

    public init(from decoder: any Decoder) throws {
        if let values = try? decoder.singleValueContainer().decode([ParameterValue].self) {
            guard !values.isEmpty else { throw CairnError(.invalidValue, "a list of values to search needs at least one") }
            self = .values(values)
            return
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let log = try container.decodeIfPresent(Bool.self, forKey: .log) ?? false
        if !log, let low = try? container.decode(Int.self, forKey: .low), let high = try? container.decode(Int.self, forKey: .high) {
            guard low <= high else { throw CairnError(.invalidValue, "low (\(low)) must not exceed high (\(high))") }
            self = .integers(low...high)
            return
        }
        let low = try container.decode(Double.self, forKey: .low), high = try container.decode(Double.self, forKey: .high)
        guard low <= high, !log || low > 0 else {
            throw CairnError(.invalidValue, log ? "a log range needs 0 < low ≤ high" : "low (\(low)) must not exceed high (\(high))")
        }
        self = .numbers(low: low, high: high, log: log)
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .values(let values):
            var container = encoder.singleValueContainer()
            try container.encode(values)
        case .integers(let range):
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(range.lowerBound, forKey: .low)
            try container.encode(range.upperBound, forKey: .high)
        case .numbers(let low, let high, let log):
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(low, forKey: .low)
            try container.encode(high, forKey: .high)
            try container.encode(log, forKey: .log)
        }
    }

    /// The values a grid search tries: the list, every integer, or `points` spaced evenly (on a
    /// log scale for log ranges) from low to high.
    func grid(points: Int = 5) -> [ParameterValue] {
        switch self {
        case .values(let values): return values
        case .integers(let range): return range.map(ParameterValue.integer)
        case .numbers(let low, let high, let log):
            guard points > 1, low < high else { return [.number(low)] }
            return (0..<points).map { step in
                let fraction = Double(step) / Double(points - 1)
                return .number(log ? Glibc.exp(Glibc.log(low) + fraction * (Glibc.log(high) - Glibc.log(low)))
                               : low + fraction * (high - low))
            }
        }
    }

    /// One value drawn uniformly (on a log scale for log ranges).
    func sample(_ random: inout SeededRandom) -> ParameterValue { value(at: random.unit()) }

    /// The value a fraction of the way through the range (0 ≤ fraction < 1): how searches that
    /// work in the unit cube, random and Bayesian, turn points into hyperparameters.
    func value(at fraction: Double) -> ParameterValue {
        switch self {
        case .values(let values): return values[min(Int(fraction * Double(values.count)), values.count - 1)]
        case .integers(let range): return .integer(range.lowerBound + min(Int(fraction * Double(range.count)), range.count - 1))
        case .numbers(let low, let high, let log):
            return .number(log ? Glibc.exp(Glibc.log(low) + fraction * (Glibc.log(high) - Glibc.log(low)))
                           : low + fraction * (high - low))
        }
    }
}
