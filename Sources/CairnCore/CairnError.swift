/// The one error Cairn reports to a person: what went wrong, where, and how to fix it.
public struct CairnError: Error, Sendable, CustomStringConvertible {
    /// What kind of problem this is; it decides the exit code and lets tests match errors without parsing text.
    public enum Code: String, Sendable, Codable {
        // The pipeline as written is wrong: exit 2, nothing runs.
        case yamlSyntax, unknownKey, invalidValue, unknownStageKind, unknownReference
        case duplicateOutput, cycle, pathEscapesWorkspace, unknownParam, missingInput
        case usage
        // Running went wrong: exit 1.
        case stageFailed, missingOutput, storeMissing, io, workspaceLocked, interrupted
        // Data a stage read is wrong (a ragged CSV row, a contract violation, an unknown column): exit 1.
        case invalidData

        /// Exit status for a process that stops on this error.
        public var exitCode: Int32 {
            switch self {
            case .yamlSyntax, .unknownKey, .invalidValue, .unknownStageKind, .unknownReference,
                 .duplicateOutput, .cycle, .pathEscapesWorkspace, .unknownParam, .missingInput, .usage:
                return 2
            case .stageFailed, .missingOutput, .storeMissing, .io, .workspaceLocked, .interrupted, .invalidData:
                return 1
            }
        }
    }

    public var code: Code
    public var message: String
    /// How to fix it, e.g. "did you mean 'clean'?".
    public var hint: String?
    public var location: SourceLocation?
    /// A lower-level reason (an errno text, a child's exit status).
    public var cause: String?

    public init(_ code: Code, _ message: String, at location: SourceLocation? = nil,
                hint: String? = nil, cause: String? = nil) {
        self.code = code
        self.message = message
        self.location = location
        self.hint = hint
        self.cause = cause
    }

    /// `FILE:LINE:COL: error: MESSAGE` then the cause and the hint on lines of their own.
    public var description: String {
        var text = location.map { "\($0): error: " } ?? "error: "
        text += message
        if let cause { text += "\n  cause: \(cause)" }
        if let hint { text += "\n  hint: \(hint)" }
        return text
    }
}
