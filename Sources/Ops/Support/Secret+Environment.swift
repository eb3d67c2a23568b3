import Foundation
import HTTPClient

extension Secret {
    /// The value of an environment variable as a secret.
    ///
    /// ```swift
    /// let token = try Secret.fromEnvironment("WMS_TOKEN")
    /// print(token)                     // <redacted>
    /// ```
    /// - Throws: ``OpsError`` `.config` when the variable is unset or empty (its name is given, never a value).
    public static func fromEnvironment(_ name: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Secret {
        guard let value = environment[name], !value.isEmpty else {
            throw OpsError(.config, "the environment variable \(name) is not set", hint: "export \(name)=… before running")
        }
        return Secret(value)
    }
}
