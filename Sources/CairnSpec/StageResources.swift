import CairnCore
import CairnSupport

/// `resources:` of a stage: what its cluster job asks for, `mem` and `time` in Slurm's own
/// syntax, checked when the pipeline loads. Not part of the fingerprint: the same work with more
/// memory is the same work. Unset fields take the `slurm:` defaults of `.cairn/config`.
public struct StageResources: Sendable, Equatable, Decodable {
    public var cpus: Int?
    public var mem: SlurmMemory?
    public var time: SlurmTime?
    public var gpus: Int?
    public var partition: String?
    public var account: String?
    /// More `sbatch` options, as written (`--constraint=avx2`).
    public var extra: [String] = []

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable { case cpus, mem, time, gpus, partition, account, extra }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        cpus = try container.decodeIfPresent(Int.self, forKey: .cpus)
        mem = try container.decodeIfPresent(SlurmMemory.self, forKey: .mem)
        time = try container.decodeIfPresent(SlurmTime.self, forKey: .time)
        gpus = try container.decodeIfPresent(Int.self, forKey: .gpus)
        partition = try container.decodeIfPresent(String.self, forKey: .partition)
        account = try container.decodeIfPresent(String.self, forKey: .account)
        extra = try container.decodeIfPresent([String].self, forKey: .extra) ?? []
        for (value, name) in [(cpus, "cpus"), (gpus, "gpus")] where (value ?? 1) < (name == "gpus" ? 0 : 1) {
            throw CairnError(.invalidValue, "'\(name)' must be at least \(name == "gpus" ? 0 : 1)")
        }
    }

    /// These, with each field unset here taken from `defaults`.
    public func over(_ defaults: StageResources) -> StageResources {
        var merged = self
        merged.cpus = cpus ?? defaults.cpus
        merged.mem = mem ?? defaults.mem
        merged.time = time ?? defaults.time
        merged.gpus = gpus ?? defaults.gpus
        merged.partition = partition ?? defaults.partition
        merged.account = account ?? defaults.account
        merged.extra = defaults.extra + extra
        return merged
    }
}

/// Memory as `sbatch --mem` takes it: a whole number with K, M (the default), G or T.
public struct SlurmMemory: Sendable, Equatable, Decodable {
    public var megabytes: Int

    public init(megabytes: Int) { self.megabytes = megabytes }

    public init(from decoder: any Decoder) throws {
        let text = try scalarText(decoder)
        let factors: [Character: Double] = ["K": 1.0 / 1024, "M": 1, "G": 1024, "T": 1024 * 1024]
        let unit = text.last.flatMap { factors[Character($0.uppercased())] }
        guard let number = Int(unit == nil ? text : String(text.dropLast())), number > 0 else {
            throw CairnError(.invalidValue, "'\(text)' is not a Slurm memory size", hint: "write a whole number with K, M, G or T, as `sbatch --mem` takes it: 500M, 4G")
        }
        megabytes = max(1, Int((Double(number) * (unit ?? 1)).rounded(.up)))
    }

    public var text: String { "\(megabytes)M" }
}

/// A time limit as `sbatch --time` takes it: `MINUTES`, `MINUTES:SECONDS`, `HOURS:MINUTES:SECONDS`,
/// `DAYS-HOURS`, `DAYS-HOURS:MINUTES` or `DAYS-HOURS:MINUTES:SECONDS`.
public struct SlurmTime: Sendable, Equatable, Decodable {
    public var seconds: Int

    public init(seconds: Int) { self.seconds = seconds }

    public init(from decoder: any Decoder) throws {
        let text = try scalarText(decoder)
        guard let seconds = Self.parse(text), seconds > 0 else {
            throw CairnError(.invalidValue, "'\(text)' is not a Slurm time limit",
                             hint: "write MINUTES, MINUTES:SECONDS, HOURS:MINUTES:SECONDS or DAYS-HOURS[:MINUTES[:SECONDS]], as `sbatch --time` takes it")
        }
        self.seconds = seconds
    }

    static func parse(_ text: String) -> Int? {
        let dayParts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard dayParts.count <= 2 else { return nil }
        let days = dayParts.count == 2 ? Int(dayParts[0]) : 0
        let clock = dayParts.last!.split(separator: ":", omittingEmptySubsequences: false).map { Int($0) }
        guard let days, clock.allSatisfy({ $0 != nil && $0! >= 0 }), (1...3).contains(clock.count) else { return nil }
        let numbers = clock.map { $0! }
        if dayParts.count == 2 {
            // DAYS-HOURS[:MINUTES[:SECONDS]]
            let padded = numbers + Array(repeating: 0, count: 3 - numbers.count)
            return ((days * 24 + padded[0]) * 60 + padded[1]) * 60 + padded[2]
        }
        switch numbers.count {
        case 1: return numbers[0] * 60
        case 2: return numbers[0] * 60 + numbers[1]
        default: return (numbers[0] * 60 + numbers[1]) * 60 + numbers[2]
        }
    }

    /// `DAYS-HH:MM:SS`, which `sbatch` reads back as these seconds.
    public var text: String {
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let days = seconds / 86_400, rest = seconds % 86_400
        return "\(days)-\(two(rest / 3600)):\(two(rest % 3600 / 60)):\(two(rest % 60))"
    }
}

/// `timeout:` of a stage: how long it may run before it is stopped and fails — `90s`, `5m`,
/// `2h`, `1d`, or a number of seconds.
public struct StageTimeout: Sendable, Equatable, Decodable {
    public var duration: Duration

    public init(from decoder: any Decoder) throws {
        let text = try scalarText(decoder).filter { $0 != " " }
        let factors: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
        let unit = text.last.flatMap { factors[$0] }
        guard let number = Double(unit == nil ? text : String(text.dropLast())), number > 0, number < 1e9 else {
            throw CairnError(.invalidValue, "'\(text)' is not a duration", hint: "write 90s, 5m, 2h, 1d, or a number of seconds")
        }
        duration = .milliseconds(Int((number * (unit ?? 1) * 1000).rounded()))
    }
}

/// A scalar value as its text, whether YAML wrote it as a number or a string ("" for anything else).
private func scalarText(_ decoder: any Decoder) throws -> String {
    let container = try decoder.singleValueContainer()
    return (try? container.decode(String.self)) ?? (try? container.decode(Double.self)).map { number in
        number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
    } ?? ""
}
