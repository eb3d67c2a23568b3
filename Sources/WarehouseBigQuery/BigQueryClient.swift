import Foundation
import HTTPClient
import Warehouse

/// An error BigQuery reported: its `reason` (the documented error code, e.g. `notFound`,
/// `rateLimitExceeded`) and its message (cloud.google.com/bigquery/docs/error-messages).
struct BigQueryAPIError: Error, Sendable {
    var httpStatus: Int?
    var reason: String
    var message: String
    var location: String?
    /// The job that failed, when a job did.
    var jobId: String?
    /// Seconds the server asked to wait (`Retry-After`).
    var retryAfterSeconds: Double?

    /// The reasons BigQuery's error table says to retry with exponential back-off, and the job
    /// variants of them (cloud.google.com/bigquery/docs/error-messages#errortable).
    static let retryableReasons: Set<String> = [
        "backendError", "rateLimitExceeded", "internalError", "jobBackendError", "jobInternalError",
        "jobRateLimitExceeded",
    ]

    var isRetryable: Bool {
        if Self.retryableReasons.contains(reason) { return true }
        guard let httpStatus else { return false }
        return httpStatus == 429 || httpStatus == 502 || httpStatus == 503 || httpStatus == 504
            || (httpStatus == 500 && reason.isEmpty)
    }

    /// Reads `{"error": {"code", "message", "errors": [{"reason", "message"}]}}`.
    init(status: Int, body: Data) {
        httpStatus = status
        let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
        let error = object?["error"] as? [String: Any]
        let first = (error?["errors"] as? [[String: Any]])?.first
        reason = first?["reason"] as? String ?? (error?["status"] as? String) ?? ""
        message = first?["message"] as? String ?? error?["message"] as? String
            ?? String(decoding: body.prefix(300), as: UTF8.self)
        location = first?["location"] as? String
    }

    /// Reads a job's `status.errorResult`.
    init(errorResult: [String: Any]) {
        httpStatus = nil
        reason = errorResult["reason"] as? String ?? ""
        message = errorResult["message"] as? String ?? "the job failed"
        location = errorResult["location"] as? String
    }
}

/// The REST API v2 calls the adapter makes, with authentication, retries and back-off.
///
/// Every request carries `Authorization: Bearer <token>`; a 401 forgets the token and retries
/// once. Retryable failures (no answer, HTTP 429/5xx, the reasons in
/// ``BigQueryAPIError/retryableReasons``) are retried `job_retries` times, waiting
/// `initialRetryDelaySeconds`·2ⁿ (at most `maximumRetryDelaySeconds`, or what `Retry-After` says),
/// and never after `job_retry_deadline_seconds`.
final class BigQueryClient: @unchecked Sendable {
    let profile: BigQueryProfile
    let transport: any HTTPTransport
    let tokens: TokenProvider
    /// Sleeps between retries and polls (tests make it instant).
    var sleep: @Sendable (Double) -> Void = { Thread.sleep(forTimeInterval: $0) }

    init(profile: BigQueryProfile, transport: any HTTPTransport, tokens: TokenProvider) {
        self.profile = profile
        self.transport = transport
        self.tokens = tokens
    }

    var apiRoot: String { profile.apiEndpoint + "/bigquery/v2" }

    /// A path segment escaped for a URL (dataset and table ids may hold spaces or quotes).
    static func segment(_ text: String) -> String {
        var allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    /// Sends one API request and returns the decoded JSON object of a 2xx answer.
    /// - Parameters:
    ///   - url: the full URL (the caller builds the path from ``apiRoot``).
    ///   - json: the request body, sent as JSON.
    ///   - raw: a prepared body and its content type (multipart uploads).
    ///   - tolerated: non-2xx statuses returned as `nil` instead of thrown (404 for lookups, 409 for creates).
    /// - Throws: ``BigQueryAPIError`` with BigQuery's reason and message, or ``WarehouseError``
    ///   (`connection`/`timeout`) when the network failed on every attempt.
    func call(_ method: String, _ url: String, json: [String: Any]? = nil, raw: (Data, String)? = nil,
              tolerated: Set<Int> = []) throws -> (status: Int, object: [String: Any])? {
        var body = Data()
        var headers: [String: String] = [:]
        if let json {
            body = try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys])
            headers["Content-Type"] = "application/json; charset=UTF-8"
        } else if let raw {
            body = raw.0
            headers["Content-Type"] = raw.1
        }
        var reauthorized = false
        return try retrying { _ in
            headers["Authorization"] = "Bearer " + (try tokens.token())
            let response: HTTPResponse
            do {
                response = try transport.bigQuerySend(method, url, headers: headers, body: body,
                                                      timeoutSeconds: profile.requestTimeoutSeconds)
            } catch let error as WarehouseError {
                throw NetworkFailure(error: error)
            }
            if response.isSuccess {
                let object = response.body.isEmpty ? [:] : ((try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any] ?? [:])
                return (response.status, object)
            }
            if tolerated.contains(response.status) { return nil }
            if response.status == 401 && !reauthorized {
                reauthorized = true
                tokens.invalidate()
                throw RetryNow()
            }
            var error = BigQueryAPIError(status: response.status, body: response.body)
            error.retryAfterSeconds = response.retryAfterSeconds
            throw error
        }
    }

    /// A marker: retry at once without counting an attempt (a refreshed token).
    struct RetryNow: Error {}

    /// No answer from the API (timeout, refused or dropped connection): worth another attempt.
    struct NetworkFailure: Error { var error: WarehouseError }

    /// Runs `body` until it succeeds, a non-retryable error occurs, or the retries are spent.
    /// - Parameter jobFailures: retry only jobs that failed with a retryable reason (the API
    ///   calls inside the body retry on their own).
    func retrying<T>(jobFailures: Bool = false, _ body: (Int) throws -> T) throws -> T {
        let started = Date()
        var attempt = 0
        var free = 1
        while true {
            do {
                return try body(attempt)
            } catch is RetryNow where free > 0 {
                free -= 1
                continue
            } catch let error as BigQueryAPIError where error.isRetryable && (!jobFailures || error.jobId != nil) {
                try wait(after: error, attempt: &attempt, started: started)
            } catch let failure as NetworkFailure {
                do {
                    try wait(after: failure.error, attempt: &attempt, started: started)
                } catch {
                    throw failure.error
                }
            }
        }
    }

    private func wait(after error: any Error, attempt: inout Int, started: Date) throws {
        guard attempt < profile.jobRetries else { throw error }
        var delay = min(profile.maximumRetryDelaySeconds, profile.initialRetryDelaySeconds * pow(2, Double(attempt)))
        if let seconds = (error as? BigQueryAPIError)?.retryAfterSeconds {
            delay = min(profile.maximumRetryDelaySeconds, max(delay, seconds))
        }
        if let deadline = profile.jobRetryDeadlineSeconds, Date().timeIntervalSince(started) + delay > deadline { throw error }
        attempt += 1
        sleep(delay)
    }

    // MARK: - Jobs

    /// Inserts a job and waits until it is done (jobs.insert, then jobs.get polling).
    /// Job-level failures with a retryable reason are resubmitted under a new job id.
    /// - Parameter upload: data for a load job, sent as a multipart upload.
    /// - Returns: the finished job resource.
    /// - Throws: ``BigQueryAPIError`` (the job's `errorResult`, or the API's error),
    ///   ``WarehouseError`` `.timeout` after `job_execution_timeout_seconds` (the job is cancelled).
    func runJob(configuration: [String: Any], upload: (Data, String)? = nil) throws -> [String: Any] {
        try retrying(jobFailures: true) { _ in
            let jobId = "opsflow_" + UUID().uuidString.replacingOccurrences(of: "-", with: "_").lowercased()
            var reference: [String: Any] = ["projectId": profile.executionProject, "jobId": jobId]
            if let location = profile.location { reference["location"] = location }
            let resource: [String: Any] = ["jobReference": reference, "configuration": configuration]
            var job = try insertJob(resource, upload: upload)
            let started = Date()
            var pause = 0.05
            while (job["status"] as? [String: Any])?["state"] as? String != "DONE" {
                if let limit = profile.jobExecutionTimeoutSeconds, Date().timeIntervalSince(started) > limit {
                    _ = try? call("POST", jobURL(job) + "/cancel" + locationQuery(job, first: true), tolerated: [400, 404])
                    throw WarehouseError(.timeout, "the job \(jobIdentifier(job)) did not finish within job_execution_timeout_seconds (\(Int(limit)) s) and was cancelled")
                }
                sleep(pause)
                pause = min(1, pause * 2)
                job = try call("GET", jobURL(job) + locationQuery(job, first: true))?.object ?? job
            }
            if let failure = (job["status"] as? [String: Any])?["errorResult"] as? [String: Any] {
                var error = BigQueryAPIError(errorResult: failure)
                error.jobId = jobIdentifier(job)
                throw error
            }
            return job
        }
    }

    /// jobs.insert under our own job id, so a retried insert is idempotent: when an earlier
    /// attempt created the job but its answer was lost, BigQuery answers the retry 409
    /// (`duplicate`) and the job is fetched instead of run twice.
    private func insertJob(_ resource: [String: Any], upload: (Data, String)?) throws -> [String: Any] {
        let project = Self.segment(profile.executionProject)
        let inserted: (status: Int, object: [String: Any])?
        if let upload {
            let boundary = "opsflow_" + UUID().uuidString
            var body = Data("--\(boundary)\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n".utf8)
            body.append(try JSONSerialization.data(withJSONObject: resource, options: [.sortedKeys]))
            body.append(Data("\r\n--\(boundary)\r\nContent-Type: \(upload.1)\r\n\r\n".utf8))
            body.append(upload.0)
            body.append(Data("\r\n--\(boundary)--\r\n".utf8))
            let url = profile.apiEndpoint + "/upload/bigquery/v2/projects/\(project)/jobs?uploadType=multipart"
            inserted = try call("POST", url, raw: (body, "multipart/related; boundary=\(boundary)"), tolerated: [409])
        } else {
            inserted = try call("POST", apiRoot + "/projects/\(project)/jobs", json: resource, tolerated: [409])
        }
        if let inserted { return inserted.object }
        // 409: the job exists already (an earlier attempt reached BigQuery).
        return try call("GET", jobURL(resource) + locationQuery(resource, first: true))?.object ?? resource
    }

    func jobIdentifier(_ job: [String: Any]) -> String {
        ((job["jobReference"] as? [String: Any])?["jobId"] as? String) ?? "?"
    }

    func jobURL(_ job: [String: Any]) -> String {
        let reference = job["jobReference"] as? [String: Any]
        let project = reference?["projectId"] as? String ?? profile.executionProject
        return apiRoot + "/projects/\(Self.segment(project))/jobs/\(Self.segment(jobIdentifier(job)))"
    }

    func locationQuery(_ job: [String: Any], first: Bool) -> String {
        let location = (job["jobReference"] as? [String: Any])?["location"] as? String ?? profile.location
        guard let location else { return "" }
        return (first ? "?" : "&") + "location=" + Self.segment(location)
    }

    /// The rows of a finished query job, page by page (jobs.getQueryResults with `pageToken`),
    /// timestamps as integer microseconds (`formatOptions.useInt64Timestamp`).
    /// - Returns: the schema's fields and at most `limit` rows (`f`/`v` cells as BigQuery sends them).
    func results(of job: [String: Any], limit: Int?) throws -> (fields: [[String: Any]], rows: [[Any]]) {
        let project = ((job["jobReference"] as? [String: Any])?["projectId"] as? String) ?? profile.executionProject
        let base = apiRoot + "/projects/\(Self.segment(project))/queries/\(Self.segment(jobIdentifier(job)))"
        var fields: [[String: Any]] = []
        var rows: [[Any]] = []
        var token: String?
        while true {
            var url = base + "?formatOptions.useInt64Timestamp=true&timeoutMs=10000"
            let wanted = limit.map { max(0, $0 - rows.count) }.map { min($0, profile.pageSize) } ?? profile.pageSize
            url += "&maxResults=\(wanted)" + locationQuery(job, first: false)
            if let token { url += "&pageToken=" + Self.segment(token) }
            guard let page = try call("GET", url)?.object else { break }
            if page["jobComplete"] as? Bool == false {
                sleep(0.2)
                continue
            }
            if fields.isEmpty { fields = (page["schema"] as? [String: Any])?["fields"] as? [[String: Any]] ?? [] }
            for row in page["rows"] as? [[String: Any]] ?? [] {
                rows.append((row["f"] as? [[String: Any]] ?? []).map { $0["v"] ?? NSNull() })
            }
            token = page["pageToken"] as? String
            if token == nil { break }
            if let limit, rows.count >= limit { break }
        }
        if fields.isEmpty, let schema = ((job["statistics"] as? [String: Any])?["query"] as? [String: Any])?["schema"] as? [String: Any] {
            fields = schema["fields"] as? [[String: Any]] ?? []
        }
        return (fields, rows)
    }
}
