@testable import CairnRemote
import CairnEngine
import CairnSupport
import Testing

/// The pieces of the S3 remote that need no server: key encoding, S3's XML answers, the
/// credentials file, and how settings and the environment choose the server.
@Suite struct S3PartsTests {
    @Test func keysAreEncodedAsSignatureV4Wants() {
        #expect(S3Remote.encode("objects/ab") == "objects%2Fab")
        #expect(S3Remote.encode("a b+c~d_e.f-g") == "a%20b%2Bc~d_e.f-g")
        #expect(S3Remote.encode("é") == "%C3%A9")
    }

    @Test func listingsAndErrorsAreRead() {
        let listing = XMLElements(Array("""
            <?xml version="1.0"?><ListBucketResult><Prefix>p/objects/</Prefix><IsTruncated>true</IsTruncated>
            <Contents><Key>p/objects/a&amp;b</Key></Contents><Contents><Key>p/objects/&#x41;&#66;</Key></Contents>
            <CommonPrefixes><Prefix>p/objects/0a/</Prefix></CommonPrefixes><NextContinuationToken>t&lt;1&gt;</NextContinuationToken>
            </ListBucketResult>
            """.utf8))
        #expect(listing.texts("Key") == ["p/objects/a&b", "p/objects/AB"])
        #expect(listing.texts("Prefix") == ["p/objects/", "p/objects/0a/"])
        #expect(listing.texts("NextContinuationToken") == ["t<1>"])
        #expect(XMLElements(Array("<Error><Code>AccessDenied</Code></Error>".utf8)).texts("Message") == [])
        #expect(XMLElements.decode("&bogus; &amp") == "&bogus; &amp", "what is not an entity stays as written")
    }

    @Test func theCredentialsFileIsReadByProfile() throws {
        let sections = try AWSCredentials.parseINI("""
            # comment
            [default]
            aws_access_key_id = AKIA1
            aws_secret_access_key=secret=with=equals
            ; another
            [team]
              aws_access_key_id   =   AKIA2\r
            """, file: "credentials")
        #expect(sections["default"]?["aws_secret_access_key"] == "secret=with=equals")
        #expect(sections["team"]?["aws_access_key_id"] == "AKIA2")
        #expect(throws: CairnError.self) { try AWSCredentials.parseINI("key = value before any section\n", file: "credentials") }
        #expect(throws: CairnError.self) { try AWSCredentials.parseINI("[unclosed\n", file: "credentials") }
    }

    @Test func theEnvironmentKeyComesFirstUnlessTheRemoteNamesAProfile() throws {
        let environment = ["AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "s", "HOME": "/nonexistent"]
        #expect(try AWSCredentials.find(profile: nil, environment: environment).origin == "AWS_ACCESS_KEY_ID in the environment")
        #expect(throws: CairnError.self) { try AWSCredentials.find(profile: "team", environment: environment) }
    }

    @Test func settingsChooseTheServerBeforeTheEnvironment() throws {
        let url = try RemoteURL(parsing: "s3://my-bucket/team/cairn", settings: ["endpoint_url": "http://minio:9000/", "region": "eu-west-1"],
                                at: nil, origin: nil)
        let remote = try S3Remote(url, environment: ["AWS_ENDPOINT_URL": "http://elsewhere", "AWS_REGION": "us-west-2"])
        #expect(remote.url(of: "objects/ab/cd") == "http://minio:9000/my-bucket/team/cairn/objects/ab/cd")
        #expect(remote.bucketURL == "http://minio:9000/my-bucket" && remote.region == "eu-west-1")
        let aws = try S3Remote(try RemoteURL(parsing: "s3://my-bucket", settings: [:], at: nil, origin: nil), environment: ["AWS_REGION": "us-west-2"])
        #expect(aws.url(of: "runs/ab/cd.json") == "https://my-bucket.s3.us-west-2.amazonaws.com/runs/ab/cd.json")
        #expect(aws.bucketURL == "https://my-bucket.s3.us-west-2.amazonaws.com/")
    }
}
