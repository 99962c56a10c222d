import CairnSupport
import FoundationEssentials
import Tables

/// Every fitted feature step, in order, with the columns it expects and produces: what the
/// features stage writes as its `transform` artifact and what batch scoring applies to new
/// data. Fitting and applying share `apply`, so training and scoring cannot drift apart.
public struct FeatureTransform: Codable, Sendable, Equatable, VersionedArtifact {
    public struct ColumnSchema: Codable, Sendable, Equatable {
        public var name: String
        public var type: ColumnType
    }

    public static let formatName = "cairn-transform"
    public var format = FeatureTransform.formatName
    public var version = 1
    /// Passed through untouched; absent from the data at scoring time.
    public var target: String?
    public var input: [ColumnSchema]
    /// The steps as the pipeline wrote them, to fit again (cross-validation).
    public var specs: [FeatureStepSpec]
    public var steps: [FittedStep]
    public var output: [ColumnSchema]

    /// Fits each step on the table the previous steps produced from `train`.
    /// Consuming `train`: a caller that hands over its last reference lets the steps change its
    /// columns in place instead of holding the input and every step's output at once.
    public static func fit(_ specs: [FeatureStepSpec], on train: consuming Table, target: String?) throws -> (FeatureTransform, Table) {
        if let target { _ = try train.column(target) }
        let input = schema(of: train)
        var table = train
        var steps: [FittedStep] = []
        for (index, spec) in specs.enumerated() {
            do {
                let step = try spec.fit(table, target: target)
                table = try step.apply(to: consume table)
                steps.append(step)
            } catch var error as CairnError {
                error.message = "step \(index + 1): " + error.message
                throw error
            }
        }
        let transform = FeatureTransform(target: target, input: input, specs: specs, steps: steps, output: schema(of: table))
        return (transform, table)
    }

    /// The steps applied to `table`, which needs the training input's columns (the target may be absent).
    public func apply(to table: consuming Table) throws -> Table {
        for column in input where column.name != target {
            let present = try table.column(column.name)
            if present.type != column.type, !(present.type.isNumeric && column.type.isNumeric),
               !(present.type.isTextual && column.type.isTextual) {
                throw CairnError(.invalidData, "column '\(column.name)' is \(present.type.rawValue); the transform was fitted on \(column.type.rawValue)")
            }
        }
        var result = table
        for (index, step) in steps.enumerated() {
            do {
                result = try step.apply(to: consume result)
            } catch var error as CairnError {
                error.message = "step \(index + 1) (\(step.name)): " + error.message
                throw error
            }
        }
        return result
    }

    private static func schema(of table: Table) -> [ColumnSchema] {
        table.columns.map { ColumnSchema(name: $0.name, type: $0.type) }
    }

    // MARK: Files

    public func write(to path: String) throws { try JSONFile.write(self, to: path) }

    public static func read(_ path: String, displayName: String? = nil) throws -> FeatureTransform {
        let transform = try JSONFile.read(FeatureTransform.self, from: path, displayName: displayName, what: "transform")
        if let problem = transform.steps.lazy.compactMap(\.categoryProblem).first {
            throw CairnError(.invalidData, "\(displayName ?? path) is not a usable transform: \(problem)",
                             hint: "the file was edited or damaged; run the features stage again")
        }
        return transform
    }
}
