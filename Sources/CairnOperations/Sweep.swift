import CairnCore
import CairnSpec
import CairnSupport
import Glibc

/// The variants `cairn exp run` tries: for each param key, the values it takes. From the
/// command line, `-S 'train.C=0.01,0.1,1'` (a list), `-S 'split.seed=range(1,4)'` (1, 2, 3:
/// the end is left out, as in Python and Hydra), `uniform(a,b)` or `loguniform(a,b)` (for
/// `--random` only), or one value; from a file, a `sweep:` block of key → list or one of those
/// texts. Every combination is a variant, or `random(N, seed:)` of them.
public struct Sweep: Sendable {
    public enum Axis: Sendable {
        case values([ConfigNode])
        /// A continuous interval, sampled evenly or (log) evenly in its logarithm.
        case interval(low: Double, high: Double, log: Bool)
    }

    /// One run's values, in the order the keys were given.
    public typealias Variant = [(key: String, value: ConfigNode)]

    public private(set) var axes: [(key: String, axis: Axis)] = []

    public init() {}

    /// `-S KEY=SPEC` assignments; a key given twice keeps the last.
    public init(assignments: [String]) throws {
        for assignment in assignments {
            let (key, spec) = try ParamOverrides.split(assignment)
            set(key, try Self.axis(spec, origin: "-S \(assignment)"))
        }
    }

    /// The `sweep:` block of a YAML file: KEY: [values] | "range(…)" | one value.
    public init(block node: ConfigNode) throws {
        guard let entries = node.entries else {
            throw CairnError(.invalidValue, "'sweep:' is a mapping of param key to the values it takes", at: node.location)
        }
        for entry in entries {
            if let items = entry.value.items {
                set(entry.name, .values(items))
            } else if let text = entry.value.scalarText, !text.isEmpty {
                set(entry.name, try Self.axis(text, origin: "\(entry.value.location)"))
            } else {
                throw CairnError(.invalidValue, "expected a list of values, range(a,b), uniform(a,b) or loguniform(a,b)", at: entry.value.location)
            }
        }
    }

    /// These axes with `other`'s added, or in place of the same key's.
    public func merging(_ other: Sweep) -> Sweep {
        var merged = self
        for (key, axis) in other.axes { merged.set(key, axis) }
        return merged
    }

    public var isEmpty: Bool { axes.isEmpty }
    public var keys: [String] { axes.map(\.key) }

    private mutating func set(_ key: String, _ axis: Axis) {
        axes.removeAll { $0.key == key }
        axes.append((key, axis))
    }

    /// Every combination, the last key varying fastest.
    public func grid() throws -> [Variant] {
        var variants: [Variant] = [[]]
        for (key, axis) in axes {
            guard case .values(let values) = axis else {
                throw CairnError(.usage, "\(key) is an interval; a grid needs values", hint: "add --random N to sample it")
            }
            variants = variants.flatMap { variant in values.map { variant + [(key, $0)] } }
        }
        return variants
    }

    /// `count` variants drawn with `seed`: each value at random from its list or interval. When
    /// every axis is a list, the variants are distinct combinations (all of them if there are
    /// fewer than `count`).
    public func random(_ count: Int, seed: UInt64) throws -> [Variant] {
        var generator = SeededRandom(seed: seed)
        if axes.allSatisfy({ if case .values = $0.axis { true } else { false } }) {
            var all = try grid()
            generator.shuffle(&all)
            return Array(all.prefix(count))
        }
        return (0..<count).map { _ in
            axes.map { key, axis in
                switch axis {
                case .values(let values): return (key, values[generator.below(values.count)])
                case .interval(let low, let high, let log):
                    let unit = generator.unit()
                    let value = log ? Glibc.exp(Glibc.log(low) + unit * (Glibc.log(high) - Glibc.log(low))) : low + unit * (high - low)
                    return (key, ConfigNode(.scalar(Self.shortText(value), quoted: false), at: SourceLocation(file: "--random", line: 1, column: 1)))
                }
            }
        }
    }

    /// Six significant digits: a sampled value as a person would write it.
    static func shortText(_ value: Double) -> String {
        guard value != 0, value.isFinite else { return String(value) }
        let scale = Glibc.pow(10, Double(5 - Int(Glibc.floor(Glibc.log10(Swift.abs(value))))))
        return String((value * scale).rounded() / scale)
    }

    static func axis(_ spec: String, origin: String) throws -> Axis {
        for (name, kind) in [("range", 0), ("uniform", 1), ("loguniform", 2)] where spec.hasPrefix(name + "(") && spec.hasSuffix(")") {
            let numbers = spec.dropFirst(name.count + 1).dropLast().split(separator: ",").map { $0.filter { $0 != " " } }
            let bad = CairnError(.usage, "'\(spec)' (\(origin)): expected \(name)(\(kind == 0 ? "start, stop[, step]" : "low, high")) with numbers")
            if kind == 0 {
                return .values(try range(numbers, origin: origin) ?? { throw bad }())
            }
            guard numbers.count == 2, let low = Double(numbers[0]), let high = Double(numbers[1]), low < high,
                  kind == 1 || low > 0 else { throw bad }
            return .interval(low: low, high: high, log: kind == 2)
        }
        return .values(try splitList(spec).map { try ParamOverrides.value($0, origin: origin) })
    }

    /// `range(1,4)` → 1, 2, 3; `range(0,1,0.25)` → 0, 0.25, 0.5, 0.75.
    private static func range(_ numbers: [String], origin: String) throws -> [ConfigNode]? {
        let location = SourceLocation(file: origin, line: 1, column: 1)
        if numbers.count == 2 || numbers.count == 3, let start = Int(numbers[0]), let stop = Int(numbers[1]),
           let step = numbers.count == 3 ? Int(numbers[2]) : 1, step != 0 {
            return Swift.stride(from: start, to: stop, by: step).map { ConfigNode(.scalar(String($0), quoted: false), at: location) }
        }
        guard numbers.count == 3, let start = Double(numbers[0]), let stop = Double(numbers[1]), let step = Double(numbers[2]),
              step != 0, ((stop - start) / step) < 100_000 else { return nil }
        return Swift.stride(from: start, to: stop, by: step).map { ConfigNode(.scalar(shortText($0), quoted: false), at: location) }
    }

    /// Splits at commas outside brackets and quotes: `[1,2],[3]` is two values.
    static func splitList(_ text: String) -> [String] {
        var parts: [String] = [], current = "", depth = 0
        var quote: Character?
        for character in text {
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "\"" || character == "'" {
                quote = character
            } else if "[{".contains(character) {
                depth += 1
            } else if "]}".contains(character) {
                depth -= 1
            } else if character == ",", depth == 0 {
                parts.append(current)
                current = ""
                continue
            }
            current.append(character)
        }
        return parts + [current]
    }
}
