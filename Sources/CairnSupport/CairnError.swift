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
        /// A stored object whose bytes no longer have its hash.
        case storeDamaged
        /// A stage's process was killed by SIGKILL (most often for memory) or ran past its `timeout:`.
        case stageKilled, stageTimedOut
        /// A remote store could not be reached (worth trying again), or refused the credentials.
        case remoteUnavailable, remoteDenied
        // Data a stage read is wrong (a ragged CSV row, a contract violation, an unknown column): exit 1.
        case invalidData

        /// Exit status for a process that stops on this error.
        public var exitCode: Int32 {
            switch self {
            case .yamlSyntax, .unknownKey, .invalidValue, .unknownStageKind, .unknownReference,
                 .duplicateOutput, .cycle, .pathEscapesWorkspace, .unknownParam, .missingInput, .usage:
                return 2
            case .stageFailed, .missingOutput, .storeMissing, .storeDamaged, .io, .workspaceLocked, .interrupted, .invalidData,
                 .stageKilled, .stageTimedOut, .remoteUnavailable, .remoteDenied:
                return 1
            }
        }
    }

    public var code: Code
    public var message: String
    /// How to fix it, e.g. "did you mean 'clean'?".
    public var hint: String?
    public var location: SourceLocation?
    /// The data row the problem is in (counted from 0, shown from 1), kept apart from the message
    /// so that a caller working on part of a table can say where the row is in the whole.
    public var row: Int?
    /// A lower-level reason (an errno text, a child's exit status).
    public var cause: String?

    public init(_ code: Code, _ message: String, at location: SourceLocation? = nil, row: Int? = nil,
                hint: String? = nil, cause: String? = nil) {
        self.code = code
        self.message = message
        self.location = location
        self.row = row
        self.hint = hint
        self.cause = cause
    }

    /// `FILE:LINE:COL: error: [row N: ]MESSAGE` then the cause and the hint on lines of their own.
    public var description: String {
        var text = location.map { "\($0): error: " } ?? "error: "
        text += row.map { "row \($0 + 1): " } ?? ""
        text += message
        if let cause { text += "\n  cause: \(cause)" }
        if let hint { text += "\n  hint: \(hint)" }
        return text
    }
}
