import Foundation
import HTTPClient
import Testing
import Warehouse
@testable import WarehouseBigQuery

/// Authentication: the service-account JWT (RS256, checked against openssl), the token exchange
/// with the local token endpoint (which verifies the signature with the public key), the refresh
/// before expiry, refresh tokens and application-default credentials.
@Suite struct BigQueryAuthTests {
    /// Our RS256 signature equals `openssl dgst -sha256 -sign` over the same signing input, for
    /// both PEM forms of the key (PKCS#1 and PKCS#8).
    @Test func jwtSignatureMatchesOpenSSL() throws {
        let env = try BigQueryTestEnvironment.get()
        for pem in [env.privateKeyPKCS8, env.privateKeyPKCS1] {
            let key = try ServiceAccountKey(["client_email": env.email, "private_key": pem, "private_key_id": "k1"], origin: "test")
            let jwt = try key.assertion(audience: "https://oauth2.googleapis.com/token", scopes: ["https://www.googleapis.com/auth/bigquery"],
                                        now: Date(timeIntervalSince1970: 1_700_000_000))
            let parts = jwt.split(separator: ".").map(String.init)
            #expect(parts.count == 3)
            let input = env.directory + "/jwt-input-\(UUID().uuidString)"
            try Data((parts[0] + "." + parts[1]).utf8).write(to: URL(fileURLWithPath: input))
            let oracle = BigQueryTestEnvironment.shell("openssl dgst -sha256 -sign '\(env.directory)/key.pem' '\(input)' | base64 -w0")
            #expect(oracle.status == 0)
            let expected = oracle.output.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
            #expect(parts[2] == expected)
            // The claims Google's documentation lists, decoded by Python (the oracle for base64url JSON).
            let claims = BigQueryTestEnvironment.shell(
                "python3 -c \"import base64,json,sys; p=sys.argv[1]; print(json.dumps(json.loads(base64.urlsafe_b64decode(p+'='*(-len(p)%4))), sort_keys=True))\" '\(parts[1])'")
            #expect(claims.output.trimmingCharacters(in: .whitespacesAndNewlines) == #"{"aud": "https://oauth2.googleapis.com/token", "exp": 1700003600, "iat": 1700000000, "iss": "\#(env.email)", "scope": "https://www.googleapis.com/auth/bigquery"}"#)
        }
    }

    /// The token endpoint accepts the signed JWT (it checks the signature with openssl) and the
    /// API accepts the token; the token is reused until five minutes before it expires.
    @Test func serviceAccountTokenIsExchangedAndRefreshedBeforeExpiry() throws {
        let env = try BigQueryTestEnvironment.get()
        let clock = TestClock()
        let adapter = try BigQueryAdapter(profile: BigQueryProfile(settings: env.settings()), now: { clock.now })
        #expect(adapter.tokenExchanges == 1)
        #expect(try adapter.scalar("select 40 + 2") == .integer(42))
        clock.advance(3600 - 301)
        _ = try adapter.query("select 1", limit: nil)
        #expect(adapter.tokenExchanges == 1)
        clock.advance(2)  // now within 5 minutes of expiry
        #expect(try adapter.scalar("select 'after refresh'") == .text("after refresh"))
        #expect(adapter.tokenExchanges == 2)
    }

    /// A key the token endpoint does not know is refused at connect time with the endpoint's
    /// reason, and neither the key nor a token appears in the message.
    @Test func wrongKeyIsRefusedWithoutLeakingIt() throws {
        let env = try BigQueryTestEnvironment.get()
        let dir = env.directory + "/other-\(UUID().uuidString.prefix(6))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        #expect(BigQueryTestEnvironment.shell("openssl genrsa -out '\(dir)/key.pem' 2048").status == 0)
        let pem = try String(contentsOfFile: dir + "/key.pem", encoding: .utf8)
        let key = ["type": "service_account", "client_email": env.email, "private_key": pem]
        var settings = env.settings()
        settings["method"] = "service-account-json"
        settings["keyfile"] = nil
        // keyfile_json arrives as Python's repr of the YAML mapping (the runner's text form of a dict).
        let repr = BigQueryTestEnvironment.shell("python3 -c 'import json,sys; print(repr(json.load(sys.stdin)))' < '\(try writeJSON(key, dir))'")
        settings["keyfile_json"] = repr.output.trimmingCharacters(in: .newlines)
        do {
            _ = try BigQueryAdapter(settings: settings)
            Issue.record("a foreign key was accepted")
        } catch let error as WarehouseError {
            #expect(error.kind == .connection)
            #expect(error.message.contains("invalid_grant: invalid signature"))
            #expect(!error.message.contains("PRIVATE KEY"))
        }
    }

    /// The same key inline (`keyfile_json` as Python's repr of the mapping) authenticates.
    @Test func keyfileJSONAuthenticates() throws {
        let env = try BigQueryTestEnvironment.get()
        var settings = env.settings()
        settings["method"] = "service-account-json"
        settings["keyfile"] = nil
        let repr = BigQueryTestEnvironment.shell("python3 -c 'import json,sys; print(repr(json.load(sys.stdin)))' < '\(env.keyfile)'")
        #expect(repr.output.contains("\\n"))  // the PEM's newlines are escaped in the repr
        settings["keyfile_json"] = repr.output.trimmingCharacters(in: .newlines)
        let adapter = try BigQueryAdapter(settings: settings)
        #expect(try adapter.scalar("select 'inline key'") == .text("inline key"))
    }

    /// `oauth-secrets` with a refresh token, and `oauth` through GOOGLE_APPLICATION_CREDENTIALS
    /// pointing at gcloud's `authorized_user` file.
    @Test func refreshTokenCredentials() throws {
        let env = try BigQueryTestEnvironment.get()
        var settings = env.settings()
        settings["keyfile"] = nil
        settings["method"] = "oauth-secrets"
        settings["refresh_token"] = "test-refresh"
        settings["client_id"] = "test-client"
        settings["client_secret"] = "test-secret"
        #expect(try BigQueryAdapter(settings: settings).scalar("select 7") == .integer(7))

        settings["refresh_token"] = "revoked"
        #expect(throws: WarehouseError.self) { try BigQueryAdapter(settings: settings) }

        let file = try writeJSON(["type": "authorized_user", "client_id": "test-client", "client_secret": "test-secret",
                                  "refresh_token": "test-refresh"], env.directory)
        var adc = env.settings()
        adc["keyfile"] = nil
        adc["method"] = "oauth"
        let adapter = try BigQueryAdapter(profile: BigQueryProfile(settings: adc), environment: ["GOOGLE_APPLICATION_CREDENTIALS": file])
        #expect(try adapter.scalar("select 'adc'") == .text("adc"))
    }

    /// A token the API does not accept (401) is dropped and a new one obtained, once.
    @Test func unauthorizedAnswerRefreshesTheToken() throws {
        let env = try BigQueryTestEnvironment.get()
        let adapter = try env.adapter()
        let marker = "reauth_\(UUID().uuidString.prefix(8))"
        try env.control("/__inject", ["status": 401, "reason": "authError", "message": "Invalid Credentials", "path": "/jobs", "body": marker])
        #expect(try adapter.scalar("select '\(marker)'") == .text(marker))
        #expect(adapter.tokenExchanges == 2)
    }

    /// `oauth-secrets` with a bare `token` uses it as is: no exchange at all.
    @Test func staticTokenIsUsedAsIs() throws {
        let env = try BigQueryTestEnvironment.get()
        let issued = try URLSessionTransport().send(HTTPRequest(
            method: "POST", url: Secret(env.tokenEndpoint), headers: ["Content-Type": Secret("application/x-www-form-urlencoded")],
            body: Data("grant_type=refresh_token&client_id=test-client&client_secret=test-secret&refresh_token=test-refresh".utf8)))
        let token = try #require((try JSONSerialization.jsonObject(with: issued.body) as? [String: Any])?["access_token"] as? String)
        var settings = env.settings()
        settings["keyfile"] = nil
        settings["method"] = "oauth-secrets"
        settings["token"] = token
        let before = try env.exchanges()
        let adapter = try BigQueryAdapter(settings: settings)
        #expect(try adapter.scalar("select 'static'") == .text("static"))
        #expect(adapter.tokenExchanges == 0)
        #expect(try env.exchanges() >= before)
    }

    /// An API endpoint that does not answer: each attempt is retried with back-off, then the
    /// error names the host only (no token, no header).
    @Test func unreachableEndpointIsRetriedThenReported() throws {
        let env = try BigQueryTestEnvironment.get()
        let pauses = PauseLog()
        // A port nothing listens on (bound then released).
        let port = BigQueryTestEnvironment.shell("python3 -c 'import socket; s=socket.socket(); s.bind((\"127.0.0.1\", 0)); print(s.getsockname()[1])'").output
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let adapter = try env.adapter(extra: ["api_endpoint": "http://127.0.0.1:\(port)", "job_retries": "2"], pauses: pauses)
        let error = #expect(throws: WarehouseError.self) { try adapter.execute("select 1") }
        #expect(error?.kind == .connection)
        #expect(error?.message.hasPrefix("could not reach 127.0.0.1") == true)
        #expect(error?.message.contains("ya29") == false)
        #expect(pauses.all == [1, 2])
    }

    /// impersonate_service_account: the key's token is traded for the account's through the IAM
    /// Credentials API (served by the test server at `iam_endpoint`), and that token runs the jobs.
    @Test func impersonation() throws {
        let env = try BigQueryTestEnvironment.get()
        let account = "opsflow-runner@opsflow-test.iam.gserviceaccount.com"
        let adapter = try env.adapter(extra: ["impersonate_service_account": account, "iam_endpoint": env.endpoint])
        let marker = "runner_\(UUID().uuidString.prefix(8))"
        #expect(try adapter.scalar("select '\(marker)'") == .text(marker))
        #expect(adapter.tokenExchanges == 1)
        // The job ran with the impersonated account's token, not the key's.
        #expect(try env.requests(path: "/jobs", mentioning: marker).map { $0["token"] as? String } == ["impersonated"])
        let refused = #expect(throws: WarehouseError.self) {
            try env.adapter(extra: ["impersonate_service_account": "someone-else@x.iam.gserviceaccount.com", "iam_endpoint": env.endpoint])
        }
        #expect(refused?.message == "impersonating someone-else@x.iam.gserviceaccount.com was refused (HTTP 403, Permission 'iam.serviceAccounts.getAccessToken' denied)")
    }

    private func writeJSON(_ object: [String: String], _ dir: String) throws -> String {
        let path = dir + "/\(UUID().uuidString.prefix(8)).json"
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: path))
        return path
    }
}

/// A clock tests move forward.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current = Date()
    var now: Date { lock.lock(); defer { lock.unlock() }; return current }
    func advance(_ seconds: Double) { lock.lock(); current += seconds; lock.unlock() }
}
