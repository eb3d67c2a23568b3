import Crypto
import Foundation
import HTTPClient
import Warehouse
import _CryptoExtras

/// Where access tokens come from, resolved from the profile (dbt-bigquery's four methods).
/// Holds secrets: never printed (no `CustomStringConvertible` reveals them).
enum CredentialSource: Sendable {
    /// A service account: sign a JWT with its key and exchange it (RFC 7523 `jwt-bearer`).
    case serviceAccount(ServiceAccountKey)
    /// A user's refresh token, exchanged for access tokens (RFC 6749 §6).
    case authorizedUser(clientId: String, clientSecret: String, refreshToken: String, tokenURI: String?)
    /// A fixed access token (`oauth-secrets` with `token`): used as is, never refreshed.
    case staticToken(String)

    static let googleTokenEndpoint = "https://oauth2.googleapis.com/token"

    /// The source the profile names.
    /// - Throws: ``WarehouseError`` (`connection`) when the key cannot be read; the message names
    ///   the file or the field, never its content.
    static func resolve(_ profile: BigQueryProfile, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> CredentialSource {
        switch profile.method {
        case .serviceAccount(let keyfile):
            return try fromFile(keyfile, what: "the keyfile")
        case .serviceAccountJSON:
            guard let object = PythonLiteral.parse(profile.keyfileJSON ?? "") as? [String: Any] else {
                throw WarehouseError(.connection, "keyfile_json is not a mapping of the key's fields")
            }
            return .serviceAccount(try ServiceAccountKey(object, origin: "keyfile_json"))
        case .oauthSecrets:
            if let refresh = profile.refreshToken, let id = profile.clientId, let secret = profile.clientSecret {
                return .authorizedUser(clientId: id, clientSecret: secret, refreshToken: refresh, tokenURI: profile.tokenURI)
            }
            if let token = profile.token { return .staticToken(token) }
            throw WarehouseError(.connection, "method oauth-secrets needs 'token', or 'refresh_token' with 'client_id' and 'client_secret'")
        case .oauth:
            // Application-default credentials, in google-auth's order (minus the metadata server).
            if let path = environment["GOOGLE_APPLICATION_CREDENTIALS"], !path.isEmpty {
                return try fromFile(path, what: "GOOGLE_APPLICATION_CREDENTIALS")
            }
            let config = environment["CLOUDSDK_CONFIG"].flatMap { $0.isEmpty ? nil : $0 }
                ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.config/gcloud")
            let path = config + "/application_default_credentials.json"
            if FileManager.default.fileExists(atPath: path) { return try fromFile(path, what: "gcloud's application-default credentials") }
            throw WarehouseError(.connection, "method oauth found no application-default credentials: set GOOGLE_APPLICATION_CREDENTIALS "
                                 + "or run `gcloud auth application-default login` (the metadata server of Google's VMs is not supported)")
        }
    }

    /// A credentials file: a service-account key or gcloud's `authorized_user` file.
    static func fromFile(_ path: String, what: String) throws -> CredentialSource {
        let expanded = (path as NSString).expandingTildeInPath
        guard let data = FileManager.default.contents(atPath: expanded) else {
            throw WarehouseError(.connection, "\(what) '\(path)' cannot be read")
        }
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw WarehouseError(.connection, "\(what) '\(path)' is not a JSON object")
        }
        if object["type"] as? String == "authorized_user" {
            guard let id = object["client_id"] as? String, let secret = object["client_secret"] as? String,
                  let refresh = object["refresh_token"] as? String else {
                throw WarehouseError(.connection, "\(what) '\(path)' lacks client_id, client_secret or refresh_token")
            }
            return .authorizedUser(clientId: id, clientSecret: secret, refreshToken: refresh, tokenURI: object["token_uri"] as? String)
        }
        return .serviceAccount(try ServiceAccountKey(object, origin: "\(what) '\(path)'"))
    }
}

/// A service-account key (the JSON Google's console downloads).
struct ServiceAccountKey: Sendable {
    var clientEmail: String
    var privateKeyId: String?
    var tokenURI: String?
    let signingKey: _RSA.Signing.PrivateKey

    /// - Throws: ``WarehouseError`` (`connection`) naming the missing field or an unreadable key.
    init(_ object: [String: Any], origin: String) throws {
        guard let email = object["client_email"] as? String, !email.isEmpty else {
            throw WarehouseError(.connection, "\(origin) has no client_email (is it a service-account key?)")
        }
        guard let pem = object["private_key"] as? String else {
            throw WarehouseError(.connection, "\(origin) has no private_key")
        }
        do {
            signingKey = try _RSA.Signing.PrivateKey(pemRepresentation: pem)
        } catch {
            throw WarehouseError(.connection, "\(origin): private_key is not an RSA private key in PEM form")
        }
        clientEmail = email
        privateKeyId = object["private_key_id"] as? String
        tokenURI = object["token_uri"] as? String
    }

    /// The signed JWT assertion (RFC 7519, RS256 = RSASSA-PKCS1-v1_5 with SHA-256, RFC 7518 §3.3)
    /// Google's token endpoint exchanges: `iss` the service account, `aud` the token endpoint,
    /// valid one hour from `now` (developers.google.com/identity/protocols/oauth2/service-account).
    func assertion(audience: String, scopes: [String], now: Date) throws -> String {
        var header: [String: Any] = ["alg": "RS256", "typ": "JWT"]
        if let privateKeyId { header["kid"] = privateKeyId }
        let issued = Int(now.timeIntervalSince1970)
        let claims: [String: Any] = [
            "iss": clientEmail, "scope": scopes.joined(separator: " "), "aud": audience,
            "iat": issued, "exp": issued + 3600,
        ]
        let headerData = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        let claimsData = try JSONSerialization.data(withJSONObject: claims, options: [.sortedKeys, .withoutEscapingSlashes])
        let signingInput = Base64URL.encode(headerData) + "." + Base64URL.encode(claimsData)
        let signature = try signingKey.signature(for: Data(signingInput.utf8), padding: .insecurePKCS1v1_5)
        return signingInput + "." + Base64URL.encode(signature.rawRepresentation)
    }
}

/// base64url without padding (RFC 4648 §5), as JWTs use it.
enum Base64URL {
    static func encode(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

/// Hands out access tokens, exchanging a new one when none is cached or the cached one expires
/// within ``refreshMargin`` seconds; one exchange at a time (the lock), shared by every thread.
final class TokenProvider: @unchecked Sendable {
    let source: CredentialSource
    let endpoint: String?
    let scopes: [String]
    /// When set, the credentials' token is traded for one of this service account.
    let impersonate: String?
    let iamEndpoint: String
    let transport: any HTTPTransport
    let timeoutSeconds: Double
    /// The clock (tests move it forward to prove the refresh).
    let now: @Sendable () -> Date
    /// Seconds before expiry at which a token is replaced (google-auth refreshes 3 min 45 s early;
    /// five minutes leaves room for a slow request).
    let refreshMargin: Double = 300

    private let lock = NSLock()
    private var cached: (token: String, expiry: Date)?
    /// How many exchanges were made (for tests and `opsflow debug`).
    private(set) var exchanges = 0

    init(source: CredentialSource, endpoint: String?, scopes: [String], transport: any HTTPTransport,
         timeoutSeconds: Double, impersonate: String? = nil, iamEndpoint: String = "https://iamcredentials.googleapis.com",
         now: @escaping @Sendable () -> Date = { Date() }) {
        self.source = source
        self.endpoint = endpoint
        self.scopes = scopes
        self.impersonate = impersonate
        self.iamEndpoint = iamEndpoint
        self.transport = transport
        self.timeoutSeconds = timeoutSeconds
        self.now = now
    }

    /// A valid access token.
    /// - Throws: ``WarehouseError`` (`connection`) with the token endpoint's `error` and
    ///   `error_description`, never the assertion or a token.
    func token() throws -> String {
        lock.lock()
        defer { lock.unlock() }
        if case .staticToken(let token) = source, impersonate == nil { return token }
        if let cached, cached.expiry.timeIntervalSince(now()) > refreshMargin { return cached.token }
        var (token, lifetime) = try exchange()
        if let impersonate { (token, lifetime) = try impersonated(impersonate, source: token) }
        exchanges += 1
        cached = (token, now().addingTimeInterval(lifetime))
        return token
    }

    /// Forgets the cached token (after a 401: the token was revoked or the clock is off).
    func invalidate() {
        lock.lock()
        cached = nil
        lock.unlock()
    }

    private func exchange() throws -> (String, Double) {
        var form: [(String, String)]
        let url: String
        switch source {
        case .staticToken(let token):
            return (token, .infinity)
        case .serviceAccount(let key):
            url = endpoint ?? key.tokenURI ?? CredentialSource.googleTokenEndpoint
            let assertion: String
            do {
                // The JWT's times are wall-clock times (the token endpoint checks them); `now` only
                // decides when the cached token is replaced.
                assertion = try key.assertion(audience: url, scopes: scopes, now: Date())
            } catch {
                throw WarehouseError(.connection, "could not sign the service-account JWT for \(key.clientEmail)")
            }
            form = [("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"), ("assertion", assertion)]
        case .authorizedUser(let id, let secret, let refresh, let tokenURI):
            url = endpoint ?? tokenURI ?? CredentialSource.googleTokenEndpoint
            form = [("grant_type", "refresh_token"), ("client_id", id), ("client_secret", secret), ("refresh_token", refresh)]
        }
        let body = form.map { "\($0.0)=\(Self.formEscape($0.1))" }.joined(separator: "&")
        let response = try transport.bigQuerySend("POST", url, headers: ["Content-Type": "application/x-www-form-urlencoded"],
                                                  body: Data(body.utf8), timeoutSeconds: timeoutSeconds)
        let object = (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any] ?? [:]
        guard response.isSuccess, let token = object["access_token"] as? String, !token.isEmpty else {
            let reason = [object["error"] as? String, object["error_description"] as? String].compactMap { $0 }.joined(separator: ": ")
            throw WarehouseError(.connection, "the token endpoint refused the credentials (HTTP \(response.status)"
                                 + (reason.isEmpty ? ")" : ", \(reason))"))
        }
        let lifetime = (object["expires_in"] as? Double) ?? (object["expires_in"] as? String).flatMap(Double.init) ?? 3600
        return (token, lifetime)
    }

    /// A token of `account` obtained with the source credentials' token (IAM Credentials API
    /// `projects/-/serviceAccounts/{account}:generateAccessToken`, lifetime one hour).
    /// - Throws: ``WarehouseError`` (`connection`) with the API's status and message.
    private func impersonated(_ account: String, source: String) throws -> (String, Double) {
        let url = iamEndpoint + "/v1/projects/-/serviceAccounts/" + BigQueryClient.segment(account) + ":generateAccessToken"
        let body = try JSONSerialization.data(withJSONObject: ["scope": scopes, "lifetime": "3600s"], options: [.sortedKeys])
        let response = try transport.bigQuerySend(
            "POST", url, headers: ["Content-Type": "application/json", "Authorization": "Bearer " + source],
            body: body, timeoutSeconds: timeoutSeconds)
        let object = (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any] ?? [:]
        guard response.isSuccess, let token = object["accessToken"] as? String, !token.isEmpty else {
            let message = (object["error"] as? [String: Any])?["message"] as? String ?? ""
            throw WarehouseError(.connection, "impersonating \(account) was refused (HTTP \(response.status)"
                                 + (message.isEmpty ? ")" : ", \(message))"))
        }
        let expiry = (object["expireTime"] as? String).flatMap { ISO8601DateFormatter().date(from: $0) }
        return (token, expiry.map { $0.timeIntervalSince(Date()) } ?? 3600)
    }

    /// `application/x-www-form-urlencoded` escaping (unreserved characters kept).
    static func formEscape(_ text: String) -> String {
        BigQueryClient.segment(text)
    }
}
