import Foundation
import Testing
import Warehouse
@testable import WarehouseBigQuery

/// profiles.yml keys and defaults (dbt-bigquery's `BigQueryCredentials`), and the value formats
/// checked against Python oracles.
@Suite struct BigQueryProfileTests {
    let base = ["type": "bigquery", "method": "oauth", "project": "acme", "dataset": "analytics"]

    func profile(_ extra: [String: String]) throws -> BigQueryProfile {
        try BigQueryProfile(settings: base.merging(extra) { $1 })
    }

    @Test func defaults() throws {
        let p = try profile([:])
        #expect(p.method == .oauth)
        #expect(p.apiEndpoint == "https://bigquery.googleapis.com")
        #expect(p.tokenEndpoint == nil)
        #expect(p.jobRetries == 1)
        #expect(p.priority == "INTERACTIVE")
        #expect(p.threads == 1)
        #expect(p.executionProject == "acme")
        #expect(p.maximumBytesBilled == nil)
        #expect(p.jobExecutionTimeoutSeconds == nil)
        #expect(p.scopes == BigQueryProfile.defaultScopes)
        #expect(p.impersonateServiceAccount == nil)
        #expect(p.iamEndpoint == "https://iamcredentials.googleapis.com")
        #expect(p.description == "bigquery://acme/analytics (oauth)")
    }

    @Test func aliasesAndKeys() throws {
        let p = try BigQueryProfile(settings: [
            "method": "service-account", "keyfile": "/k.json", "database": "acme", "schema": "dev", "execution_project": "billing",
            "location": "EU", "threads": "8", "priority": "batch", "timeout_seconds": "120", "job_retries": "4",
            "maximum_bytes_billed": "1000000000", "api_endpoint": "http://127.0.0.1:9050/", "token_endpoint": "http://127.0.0.1:9051/token",
            "scopes": "['https://www.googleapis.com/auth/bigquery']",
        ])
        #expect(p.method == .serviceAccount(keyfile: "/k.json"))
        #expect((p.project, p.dataset, p.executionProject, p.location) == ("acme", "dev", "billing", "EU"))
        #expect((p.threads, p.priority, p.jobExecutionTimeoutSeconds, p.jobRetries) == (8, "BATCH", 120, 4))
        #expect(p.maximumBytesBilled == 1_000_000_000)
        #expect(p.apiEndpoint == "http://127.0.0.1:9050")
        #expect(p.tokenEndpoint == "http://127.0.0.1:9051/token")
        #expect(p.scopes == ["https://www.googleapis.com/auth/bigquery"])
    }

    @Test func clearErrors() throws {
        func message(_ settings: [String: String]) -> String? {
            do { _ = try BigQueryProfile(settings: settings); return nil } catch { return (error as? WarehouseError)?.message }
        }
        #expect(message(["dataset": "d"]) == "the bigquery target needs 'project' in profiles.yml")
        #expect(message(["project": "p"]) == "the bigquery target needs 'dataset' in profiles.yml")
        #expect(message(base.merging(["method": "service-account"]) { $1 }) == "method service-account needs 'keyfile' (the path of the service-account key JSON)")
        #expect(message(base.merging(["method": "magic"]) { $1 })?.contains("method 'magic' is not one of") == true)
        #expect(message(base.merging(["priority": "urgent"]) { $1 }) == "the bigquery target's 'priority' must be interactive or batch, not 'urgent'")
        #expect(message(base.merging(["maximum_bytes_billed": "lots"]) { $1 })?.contains("must be a positive integer") == true)
        #expect(message(base.merging(["method": "oauth-secrets"]) { $1 }) == "method oauth-secrets needs 'token', or 'refresh_token' with 'client_id' and 'client_secret'")
        // oauth without any application-default credentials says where it looked.
        let noADC = #expect(throws: WarehouseError.self) {
            _ = try CredentialSource.resolve(try profile([:]), environment: ["HOME": "/nonexistent"])
        }
        #expect(noADC?.message.contains("GOOGLE_APPLICATION_CREDENTIALS") == true)
    }

    /// Python's repr of a mapping (how the runner hands over `keyfile_json`) parses back to the
    /// same values; Python itself writes the repr (the oracle).
    @Test func pythonReprParses() throws {
        let script = #"print(repr({'type': 'service_account', 'private_key': "-----BEGIN-----\nab'c\\d\n", 'n': 3, 'ok': True, 'none': None, 'uni': 'é\x01'}))"#
        let repr = BigQueryTestEnvironment.shell("python3 -c '\(script.replacingOccurrences(of: "'", with: "'\\''"))'").output
        let parsed = try #require(PythonLiteral.parse(repr.trimmingCharacters(in: .newlines)) as? [String: Any])
        #expect(parsed["type"] as? String == "service_account")
        #expect(parsed["private_key"] as? String == "-----BEGIN-----\nab'c\\d\n")
        #expect(parsed["n"] as? Int == 3)
        #expect(parsed["ok"] as? Bool == true)
        #expect(parsed["none"] is NSNull)
        #expect(parsed["uni"] as? String == "é\u{1}")
        #expect(PythonLiteral.parse(#"{"a": [1, "b"]}"#) != nil)
        #expect(PythonLiteral.parse("{'a': ") == nil)
    }

    /// Job label values as dbt-bigquery sanitizes them (`re.sub(r"[^\w-]", "_", value.lower())[:63]`
    /// on ASCII text: Python is the oracle).
    @Test func labelValuesMatchDbtSanitizing() throws {
        let inputs = ["model.opsflow_analytics.mart_volume_forecast", "5E7A0C1D-2B3C-4D5E-8F90-ABCDEF012345",
                      "seed.pkg.raw orders (v2)", String(repeating: "x.", count: 40)]
        for input in inputs {
            let oracle = BigQueryTestEnvironment.shell(#"python3 -c 'import re,sys; print(re.sub(r"[^\w-]", "_", sys.argv[1].lower())[:63])' "# + "'\(input)'")
            #expect(BigQueryValues.labelValue(input) == oracle.output.trimmingCharacters(in: .newlines))
        }
    }

    /// Timestamps from microseconds, as Python's datetime renders them in BigQuery's form.
    @Test func timestampsFromMicroseconds() throws {
        for micros: Int64 in [0, 1_704_164_645_500_000, -1, 253_402_300_799_999_999, 951_782_400_000_001] {
            let oracle = BigQueryTestEnvironment.shell("""
                python3 -c 'import datetime,sys; m=int(sys.argv[1]); d=datetime.datetime(1970,1,1)+datetime.timedelta(microseconds=m); f=("."+("%06d" % d.microsecond).rstrip("0")) if d.microsecond else ""; print(d.strftime("%Y-%m-%d %H:%M:%S")+f+"+00")' \(micros)
                """)
            #expect(BigQueryValues.timestampText(String(micros)) == oracle.output.trimmingCharacters(in: .newlines))
        }
        #expect(BigQueryValues.timestampText("1.7041646455E9") == "2024-01-02 03:04:05.5+00")
    }
}
