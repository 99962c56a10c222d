import CCurl
import CairnEngine
import CairnSupport

/// One worker's HTTP connection to S3 (a libcurl handle, which keeps the connection open between
/// requests). curl signs each request (Signature V4) with the payload's SHA-256 — for an
/// upload, the object's own hash — so S3 refuses a body that does not have it. A PUT is atomic
/// on S3: an interrupted upload leaves no object.
final class S3Connection: RemoteConnection {
    let remote: S3Remote
    let credentials: AWSCredentials
    private let curl: UnsafeMutableRawPointer
    /// The SHA-256 of no bytes, the payload hash of a GET or HEAD.
    private static let emptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    /// libcurl's global set-up, which is not thread-safe: done once, before any handle.
    private static let initialized: Bool = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK

    init(_ remote: S3Remote) throws {
        credentials = try AWSCredentials.find(profile: remote.profile, environment: remote.environment)
        guard Self.initialized, let curl = curl_easy_init() else { throw CairnError(.io, "\(remote.location): cannot start libcurl") }
        self.remote = remote
        self.curl = curl
    }

    deinit { curl_easy_cleanup(curl) }

    func list(_ folder: String) throws -> [String] {
        let (keys, prefixes) = try listing(folder, delimited: true)
        return keys + prefixes.filter { $0.hasSuffix("/") && $0.count > 1 }.map { String($0.dropLast()) }
    }

    func listTree(_ folder: String) throws -> [String]? { try listing(folder, delimited: false).keys }

    /// The keys under `folder` relative to it, page by page (ListObjectsV2); `delimited`: only those
    /// directly under it, with the sub-folders as common prefixes.
    private func listing(_ folder: String, delimited: Bool) throws -> (keys: [String], prefixes: [String]) {
        let listed = remote.prefix + folder + "/"
        var keys: [String] = [], prefixes: [String] = []
        var token: String?
        repeat {
            var query = [("list-type", "2"), ("prefix", listed)]
            if delimited { query.insert(("delimiter", "/"), at: 0) }
            if let token { query.insert(("continuation-token", token), at: 0) }
            let url = remote.bucketURL + "?" + query.map { "\($0.0)=\(S3Remote.encode($0.1))" }.joined(separator: "&")
            let response = try perform("GET", url, what: "list \(listed)")
            guard response.status == 200 else { throw failure(response, "list \(listed)") }
            let xml = XMLElements(response.body)
            keys += xml.texts("Key").filter { $0.hasPrefix(listed) }.map { String($0.dropFirst(listed.count)) }
            prefixes += xml.texts("Prefix").filter { $0.count > listed.count && $0.hasPrefix(listed) }.map { String($0.dropFirst(listed.count)) }
            guard let truncated = xml.texts("IsTruncated").first else {
                throw CairnError(.io, "\(remote.location): the listing of \(listed) is not a ListObjectsV2 answer")
            }
            token = nil
            if truncated == "true" {
                guard let next = xml.texts("NextContinuationToken").first, !next.isEmpty else {
                    throw CairnError(.io, "\(remote.location): the listing of \(listed) stops without saying where it goes on")
                }
                token = next
            }
        } while token != nil
        return (keys, prefixes)
    }

    func exists(_ key: String) throws -> Bool {
        let response = try perform("HEAD", remote.url(of: key), what: "look up \(key)")
        if response.status == 404 { return false }
        guard response.status == 200 else { throw failure(response, "look up \(key)") }
        return true
    }

    func put(_ key: String, from source: ObjectReader) throws {
        source.rewind()
        let response = try perform("PUT", remote.url(of: key), what: "upload \(key)", upload: source)
        guard response.status == 200 else { throw failure(response, "upload \(key)") }
    }

    func get(_ key: String, into sink: (UnsafeRawBufferPointer) throws -> Void) throws -> Bool {
        let response = try withoutActuallyEscaping(sink) { sink in
            try perform("GET", remote.url(of: key), what: "download \(key)", sink: sink)
        }
        if response.status == 404 { return false }
        guard response.status == 200 else { throw failure(response, "download \(key)") }
        return true
    }

    struct Response {
        var status = 0
        /// The body of any answer but a streamed 200: a listing, or an error's code and message.
        var body: [UInt8] = []
    }

    /// What the callbacks of one request share with it.
    private final class Exchange {
        let curl: UnsafeMutableRawPointer
        var response = Response()
        var sink: ((UnsafeRawBufferPointer) throws -> Void)?
        var upload: ObjectReader?
        /// What a callback threw, rethrown once curl returns.
        var failure: (any Error)?

        init(curl: UnsafeMutableRawPointer) { self.curl = curl }
    }

    private func perform(_ method: String, _ url: String, what: String, upload: ObjectReader? = nil,
                         sink: ((UnsafeRawBufferPointer) throws -> Void)? = nil) throws -> Response {
        let exchange = Exchange(curl: curl)
        exchange.sink = sink
        exchange.upload = upload
        curl_easy_reset(curl)
        cairn_curl_set_string(curl, CURLOPT_URL, url)
        cairn_curl_set_string(curl, CURLOPT_PROTOCOLS_STR, "http,https")
        cairn_curl_set_long(curl, CURLOPT_NOSIGNAL, 1)
        cairn_curl_set_long(curl, CURLOPT_CONNECTTIMEOUT, 10)
        cairn_curl_set_long(curl, CURLOPT_LOW_SPEED_LIMIT, 1)
        cairn_curl_set_long(curl, CURLOPT_LOW_SPEED_TIME, 30)
        cairn_curl_set_long(curl, CURLOPT_BUFFERSIZE, 512 << 10)
        cairn_curl_set_string(curl, CURLOPT_AWS_SIGV4, "aws:amz:\(remote.region):s3")
        cairn_curl_set_string(curl, CURLOPT_USERNAME, credentials.keyID)
        cairn_curl_set_string(curl, CURLOPT_PASSWORD, credentials.secret)
        var headers: UnsafeMutablePointer<curl_slist>?
        headers = curl_slist_append(headers, "x-amz-content-sha256: \(upload?.sha256 ?? Self.emptyHash)")
        if let token = credentials.sessionToken { headers = curl_slist_append(headers, "x-amz-security-token: \(token)") }
        defer { curl_slist_free_all(headers) }
        cairn_curl_set_headers(curl, headers)
        switch method {
        case "HEAD":
            cairn_curl_set_long(curl, CURLOPT_NOBODY, 1)
        case "PUT":
            cairn_curl_set_long(curl, CURLOPT_UPLOAD, 1)
            cairn_curl_set_long(curl, CURLOPT_UPLOAD_BUFFERSIZE, 2 << 20)
            cairn_curl_set_offset(curl, CURLOPT_INFILESIZE_LARGE, curl_off_t(upload!.size))
            cairn_curl_set_read_function(curl) { buffer, size, count, context in
                let exchange = Unmanaged<Exchange>.fromOpaque(context!).takeUnretainedValue()
                do {
                    return try exchange.upload!.read(into: UnsafeMutableRawBufferPointer(start: buffer, count: size * count))
                } catch {
                    exchange.failure = error
                    return Int(CURL_READFUNC_ABORT)
                }
            }
        default:
            break
        }
        cairn_curl_set_write_function(curl) { data, size, count, context in
            let exchange = Unmanaged<Exchange>.fromOpaque(context!).takeUnretainedValue()
            let bytes = UnsafeRawBufferPointer(start: data, count: size * count)
            if exchange.response.status == 0 {
                var status = 0
                cairn_curl_response_code(exchange.curl, &status)
                exchange.response.status = status
            }
            if exchange.response.status == 200, let sink = exchange.sink {
                do { try sink(bytes) } catch {
                    exchange.failure = error
                    return 0
                }
            } else if exchange.response.status == 200 {
                // A listing's page (1,000 keys is about 300 KiB); a server sending far more is not followed.
                guard exchange.response.body.count + bytes.count <= 16 << 20 else {
                    exchange.failure = CairnError(.io, "the server's answer is larger than 16 MiB")
                    return 0
                }
                exchange.response.body.append(contentsOf: bytes)
            } else if exchange.response.body.count < 1 << 16 {
                exchange.response.body.append(contentsOf: bytes)  // an error's code and message
            }
            return bytes.count
        }
        let context = Unmanaged.passUnretained(exchange).toOpaque()
        cairn_curl_set_pointer(curl, CURLOPT_WRITEDATA, context)
        cairn_curl_set_pointer(curl, CURLOPT_READDATA, context)
        let code = withExtendedLifetime(exchange) { curl_easy_perform(curl) }
        if let failure = exchange.failure { throw failure }
        guard code == CURLE_OK else {
            throw CairnError(.remoteUnavailable, "\(remote.location): cannot \(what)", cause: String(cString: curl_easy_strerror(code)))
        }
        var status = 0
        cairn_curl_response_code(curl, &status)
        exchange.response.status = status
        return exchange.response
    }

    /// An answer other than success as a Cairn error: a refused key names the credential that
    /// was tried; a busy or failing server is worth trying again.
    private func failure(_ response: Response, _ action: String) -> CairnError {
        let xml = XMLElements(response.body)
        let code = xml.texts("Code").first
        let cause = [code, xml.texts("Message").first].compactMap { $0 }.joined(separator: ": ")
        let message = "\(remote.location): cannot \(action): the server answered \(response.status)"
        switch response.status {
        case 401, 403:
            return CairnError(.remoteDenied, message, hint: "the key tried was \(credentials.keyID), from \(credentials.origin)",
                              cause: cause.isEmpty ? nil : cause)
        case 404 where code == "NoSuchBucket":
            return CairnError(.io, "\(remote.location): the bucket '\(remote.bucket)' does not exist", hint: "create it, or fix the remote's URL")
        case 429, 500...599:
            return CairnError(.remoteUnavailable, message, cause: cause.isEmpty ? nil : cause)
        default:
            return CairnError(.io, message, cause: cause.isEmpty ? nil : cause)
        }
    }
}
