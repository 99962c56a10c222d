import CairnSupport

/// The access key an S3 request is signed with, found where the AWS tools look: the
/// `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY` (and `AWS_SESSION_TOKEN`) variables, else the
/// profile (`profile` setting, `AWS_PROFILE`, else `default`) of `~/.aws/credentials`
/// (`AWS_SHARED_CREDENTIALS_FILE`).
struct AWSCredentials: Sendable {
    var keyID: String
    var secret: String
    var sessionToken: String?
    /// Where the key came from, for an error that says which credential was refused.
    var origin: String

    static func find(profile: String?, environment: [String: String]) throws -> AWSCredentials {
        let environment = environment.filter { !$0.value.isEmpty }
        if let keyID = environment["AWS_ACCESS_KEY_ID"], let secret = environment["AWS_SECRET_ACCESS_KEY"], profile == nil {
            return AWSCredentials(keyID: keyID, secret: secret, sessionToken: environment["AWS_SESSION_TOKEN"],
                                  origin: "AWS_ACCESS_KEY_ID in the environment")
        }
        let name = profile ?? environment["AWS_PROFILE"] ?? "default"
        let file = environment["AWS_SHARED_CREDENTIALS_FILE"] ?? (environment["HOME"] ?? "/root") + "/.aws/credentials"
        let sections = FileSystem.exists(file) ? try parseINI(String(decoding: FileSystem.readAll(file), as: UTF8.self), file: file) : [:]
        guard let section = sections[name], let keyID = section["aws_access_key_id"], let secret = section["aws_secret_access_key"] else {
            throw CairnError(.remoteDenied, "no AWS credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set, and \(file) has no profile [\(name)] with aws_access_key_id and aws_secret_access_key",
                             hint: "set them, or write the profile (`aws configure --profile \(name)` does)")
        }
        return AWSCredentials(keyID: keyID, secret: secret, sessionToken: section["aws_session_token"], origin: "profile [\(name)] of \(file)")
    }

    /// `[section]` headings and `key = value` lines; `#` and `;` start comments.
    static func parseINI(_ text: String, file: String) throws -> [String: [String: String]] {
        var sections: [String: [String: String]] = [:]
        var current: String?
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingWhitespace()
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]") else { throw CairnError(.invalidValue, "\(file):\(number + 1): a section heading must end with ']'") }
                current = String(line.dropFirst().dropLast()).trimmingWhitespace()
                continue
            }
            guard let current, let equals = line.firstIndex(of: "=") else {
                throw CairnError(.invalidValue, "\(file):\(number + 1): expected `[profile]` or `key = value`")
            }
            sections[current, default: [:]][String(line[..<equals]).trimmingWhitespace()] = String(line[line.index(after: equals)...]).trimmingWhitespace()
        }
        return sections
    }
}

private extension StringProtocol {
    func trimmingWhitespace() -> String {
        String(drop { $0 == " " || $0 == "\t" || $0 == "\r" }.reversed().drop { $0 == " " || $0 == "\t" || $0 == "\r" }.reversed())
    }
}
