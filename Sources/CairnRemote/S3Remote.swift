import CairnEngine
import CairnSupport

/// A remote store under a prefix of an S3 bucket (`s3://bucket/prefix`), or of an S3-compatible
/// server (`endpoint_url`), spoken to over its REST API with Signature V4 requests.
///
/// Settings come from the remote's own settings first, then the AWS variables: the region from
/// `region`, `AWS_REGION`, `AWS_DEFAULT_REGION` (else us-east-1); the server from
/// `endpoint_url`, `AWS_ENDPOINT_URL_S3`, `AWS_ENDPOINT_URL` (else AWS's own, addressed by
/// bucket host name; another server is addressed by path, `ENDPOINT/bucket/key`).
public struct S3Remote: RemoteStore {
    public let location: String
    let bucket: String
    /// The key prefix, ending with `/` unless empty.
    let prefix: String
    let region: String
    /// The URL a key's path is appended to: `https://bucket.s3.REGION.amazonaws.com` or `ENDPOINT/bucket`.
    let base: String
    /// The bucket's own URL, which a listing's query follows.
    let bucketURL: String
    /// Where the credentials are looked up, when a connection opens.
    let profile: String?
    let environment: [String: String]

    public init(_ url: RemoteURL, environment: [String: String]) throws {
        location = url.text
        bucket = url.host
        prefix = url.path.isEmpty ? "" : url.path + "/"
        region = url.settings["region"] ?? environment["AWS_REGION"] ?? environment["AWS_DEFAULT_REGION"] ?? "us-east-1"
        if let endpoint = url.settings["endpoint_url"] ?? environment["AWS_ENDPOINT_URL_S3"] ?? environment["AWS_ENDPOINT_URL"] {
            guard endpoint.hasPrefix("http://") || endpoint.hasPrefix("https://") else {
                throw CairnError(.invalidValue, "\(url.text): the endpoint '\(endpoint)' is not an http:// or https:// URL")
            }
            base = String(endpoint.reversed().drop { $0 == "/" }.reversed()) + "/" + bucket
            bucketURL = base
        } else {
            base = "https://\(bucket).s3.\(region).amazonaws.com"
            bucketURL = base + "/"
        }
        profile = url.settings["profile"]
        self.environment = environment
    }

    public func connect() throws -> any RemoteConnection { try S3Connection(self) }

    /// A key's URL, each path segment percent-encoded as Signature V4 wants it.
    func url(of key: String) -> String {
        base + "/" + (prefix + key).split(separator: "/", omittingEmptySubsequences: false).map { Self.encode($0) }.joined(separator: "/")
    }

    /// RFC 3986 encoding of everything but the unreserved characters, with upper-case hex.
    static func encode<Text: StringProtocol>(_ text: Text) -> String {
        var encoded = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".utf8)
                encoded += "%" + String(decoding: [hex[Int(byte >> 4)], hex[Int(byte & 15)]], as: UTF8.self)
            }
        }
        return encoded
    }
}
