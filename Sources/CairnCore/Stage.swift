import CairnSupport
/// A step of a pipeline. The engine knows stages only through this protocol: it hashes what a
/// stage declares, decides whether it is stale, and calls `run` with paths to read and write.
public protocol Stage: Sendable {
    /// Decoded from the stage's `with:` block by `ConfigDecoder`.
    associatedtype Config: Decodable & Sendable

    /// The name a pipeline uses after `uses:`.
    static var kind: String { get }
    /// Bump when the stage's behaviour changes, so that every stage of this kind reruns.
    static var version: Int { get }
    /// One line for `cairn stages`.
    static var summary: String { get }
    static var slots: StageSlots { get }
    /// The config's keys with their help, for `cairn stages` (usually `Config.CodingKeys`).
    associatedtype ConfigKeys: ConfigKey = NoConfigKeys

    init(config: Config)
    /// The config read from its node; by default `ConfigDecoder`'s decoding, which names the
    /// line and column of a mistake.
    static func config(from node: ConfigNode) throws -> Config

    /// Checked when the pipeline loads, so that a mistake is a spec error before anything runs.
    func validate(_ interface: StageInterface) throws
    /// Params read beyond those the pipeline lists for the stage (e.g. `${params.KEY}` in a command).
    var impliedParams: [String] { get }

    /// Reads `context.inputs`, writes every path in `context.outputs`; throws to fail the stage.
    func run(_ context: StageContext) throws
}

extension Stage {
    /// Config keys with a line of help each, for `cairn stages`.
    public static var configKeys: [(name: String, help: String)] { ConfigKeys.allCases.map { ($0.stringValue, $0.help) } }

    public static func config(from node: ConfigNode) throws -> Config { try ConfigDecoder().decode(Config.self, from: node) }

    public func validate(_ interface: StageInterface) throws {}
    public var impliedParams: [String] { [] }
}

/// The input and output names a stage has.
public struct StageSlots: Sendable {
    public struct Slot: Sendable {
        public var name: String
        public var optional: Bool
        /// What an output holds, for tools that show it (`cairn report`); nil: nothing special.
        public var role: OutputRole?
        public init(_ name: String, optional: Bool = false, role: OutputRole? = nil) {
            self.name = name
            self.optional = optional
            self.role = role
        }
    }

    /// What an output holds, for the diffs, the watch and the report; a pipeline marks a
    /// command stage's with `metrics: [NAME]` and `plots: [NAME]`.
    public enum OutputRole: String, Sendable, CaseIterable {
        /// Flat JSON of named values: compared by `cairn metrics diff`, shown in the report.
        case metrics
        /// An SVG picture, or a folder of them, shown as they are.
        case plots
        /// A drift report (JSON), shown as a table.
        case driftReport = "drift_report"
    }

    /// The role of the output `name`, if the stage gives it one.
    public func role(ofOutput name: String) -> OutputRole? { outputs.first { $0.name == name }?.role }

    public var inputs: [Slot]
    public var outputs: [Slot]
    /// True for stages whose inputs and outputs are whatever the pipeline file declares (commands).
    public var declaredByPipeline: Bool

    public init(inputs: [Slot], outputs: [Slot]) {
        self.inputs = inputs
        self.outputs = outputs
        self.declaredByPipeline = false
    }

    public static let declaredByPipeline = StageSlots(declared: ())

    private init(declared: Void) {
        inputs = []
        outputs = []
        declaredByPipeline = true
    }
}

/// What a stage was given in the pipeline file, for `Stage.validate`.
public struct StageInterface: Sendable {
    public var inputs: Set<String>
    public var outputs: Set<String>
    public var params: Set<String>
    /// Where the stage's definition is, to point errors at.
    public var location: SourceLocation

    public init(inputs: Set<String>, outputs: Set<String>, params: Set<String>, location: SourceLocation) {
        self.inputs = inputs
        self.outputs = outputs
        self.params = params
        self.location = location
    }
}
