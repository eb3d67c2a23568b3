import Foundation
import HTTPClient
import Warehouse

extension HTTPTransport {
    /// Sends one request to BigQuery, the token endpoint or IAM, and returns the answer whatever
    /// its status; the adapter's own policy (retries, 401, BigQuery's reasons) reads it.
    ///
    /// The URLs are not secret here (project, dataset and job ids); the headers are (a bearer token)
    /// and travel as ``Secret``s.
    /// - Throws: ``WarehouseError`` `.timeout` or `.connection` when no answer arrives; the message
    ///   names the host, never a header. Errors other than ``HTTPError`` (a test transport's)
    ///   pass through unchanged.
    func bigQuerySend(_ method: String, _ url: String, headers: [String: String] = [:], body: Data = Data(),
                      timeoutSeconds: Double) throws -> HTTPResponse {
        let request = HTTPRequest(method: method, url: Secret(url), headers: headers.mapValues(Secret.init), body: body,
                                  timeoutSeconds: timeoutSeconds)
        do {
            return try send(request)
        } catch let error as HTTPError {
            throw WarehouseError.bigQuery(error, url: url, timeoutSeconds: timeoutSeconds)
        }
    }
}

extension WarehouseError {
    /// A transport failure as the adapter reports it: the host and what went wrong.
    static func bigQuery(_ error: HTTPError, url: String, timeoutSeconds: Double) -> WarehouseError {
        let host = URL(string: url)?.host ?? "?"
        switch error.kind {
        case .timeout:
            return WarehouseError(.timeout, "no answer from \(host) within \(Int(timeoutSeconds)) s")
        case .badURL:
            return WarehouseError(.connection, "'\(url.prefix(80))' is not an http(s) URL (check api_endpoint and token_endpoint)")
        case .connection, .status:
            return WarehouseError(.connection, "could not reach \(host): \(error.message)")
        }
    }
}
