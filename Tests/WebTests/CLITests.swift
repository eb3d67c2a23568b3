import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
@testable import Web

/// The verbs through the built binary: its stdout and exit code.
@Suite struct ServeAndDocsCommandTests {
    static let binary = repoRoot.appendingPathComponent(".build/debug/opsflow").path

    @Test func serveBindsLoopbackAndAnswers() async throws {
        let example = try Example.get()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = ["serve", "--project-dir", example.projectDir.path, "--port", "0", "--token", "t0ken"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer {
            process.terminate()
            let pid = process.processIdentifier
            DispatchQueue.global().asyncAfter(deadline: .now() + 5) { kill(pid, SIGKILL) }
            process.waitUntilExit()
        }
        // The first line names the bound address.
        let line: String = try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                var data = Data()
                while !data.contains(UInt8(ascii: "\n")) {
                    let chunk = out.fileHandleForReading.availableData
                    if chunk.isEmpty { break }
                    data.append(chunk)
                }
                continuation.resume(returning: String(decoding: data, as: UTF8.self))
            }
        }
        #expect(line.hasPrefix("Serving \(example.projectDir.path) at http://127.0.0.1:"))
        let port = try #require(line.split(separator: ":").last.flatMap { Int($0.prefix { $0.isNumber }) })
        let base = "http://127.0.0.1:\(port)"
        let (_, denied) = try await URLSession.shared.data(from: try #require(URL(string: base + "/")))
        #expect((denied as? HTTPURLResponse)?.statusCode == 401)
        let (data, ok) = try await URLSession.shared.data(from: try #require(URL(string: base + "/?token=t0ken")))
        #expect((ok as? HTTPURLResponse)?.statusCode == 200)
        #expect(String(decoding: data, as: UTF8.self).contains("<svg id=\"lineage\""))
    }

    @Test func aPortInUseIsExitCodeTwoWithoutUsageText() throws {
        let example = try Example.get()
        // Hold a port with a listening socket of our own.
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { ptr in
            ptr.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && listen(fd, 1) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        try #require(bound)
        let port = Int(UInt16(bigEndian: address.sin_port))
        let result = try runCommand(Self.binary, ["serve", "--project-dir", example.projectDir.path, "--port", "\(port)"], timeout: 20)
        #expect(result.status == 2)
        #expect(result.stderr.contains("Address already in use"))
        #expect(!result.stderr.contains("Usage"))
    }

    @Test func docsGenerateWritesIndexAndPages() throws {
        let example = try Example.get()
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("opsflow-docs-cli-\(UUID().uuidString)")
        let result = try runCommand(Self.binary, ["docs", "generate", "--project-dir", example.projectDir.path, "--output", out.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("Wrote "))
        let index = try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(index.contains("<svg id=\"lineage\""))
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("assets/app.js").path))
        let missing = try runCommand(Self.binary, ["docs", "generate", "--project-dir", "/nonexistent-project"])
        #expect(missing.status != 0)
    }
}
