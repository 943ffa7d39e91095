import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
@testable import Server
import Testing
import TestSupport
import VanBanKit

/// A temporary archive holding the five seed documents and one hostile document, opened as
/// the server opens it (with a result cache), and the server's router over it.
final class Fixture: @unchecked Sendable {
    let dir: URL
    let library: Library
    /// Seed file name -> document id.
    private(set) var seedIDs: [String: String] = [:]
    private(set) var xssID = ""

    static let seedsDirectory = Fixtures.seeds
    static let token = "test-token-0123456789abcdef"

    static let xssTitle = "<script>alert(\"title\")</script> Văn bản độc hại"
    static let xssText = """
        <script>alert(1)</script> Thông báo về việc kiểm thử an toàn.
        <img src=x onerror=alert(2)> "quotes" & 'apostrophes' </textarea></div>
        """

    init() throws {
        dir = TempDir("vanban-server-test").url
        var configuration = Library.Configuration()
        configuration.cacheEntries = 4096
        configuration.searchBudget = .unlimited  // outcomes never depend on the clock (see SearchBudgetTests)
        library = try Library(archive: dir.appendingPathComponent("archive"), index: dir.appendingPathComponent("index"),
                              create: true, configuration: configuration)
        let seeds = try FileManager.default.contentsOfDirectory(atPath: Self.seedsDirectory.path).filter { $0.hasSuffix(".txt") }.sorted()
        precondition(seeds.count == 5, "expected the five seed documents in \(Self.seedsDirectory.path)")
        var ids: [String: String] = [:]
        try library.importDocuments(seeds.map { .path(Self.seedsDirectory.appendingPathComponent($0).path) }) { result in
            ids[(result.input as NSString).lastPathComponent] = result.id
        }
        let xss = ImportPayload(name: "xss", bytes: Array(Self.xssText.utf8), fileName: "xss<b>.txt",
                                metadata: DocumentMetadata(key: "xss-key", title: Self.xssTitle, source: "<b>nguồn</b>",
                                                           kind: "news", date: "2021-06-28", url: "javascript:alert(3)"))
        var xss_id = ""
        try library.importDocuments([.payload(xss)]) { xss_id = $0.id ?? "" }
        seedIDs = ids
        xssID = xss_id
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    func options(token: String? = Fixture.token, bodyLimit: Int = 1_000_000, pageSize: Int = 10) -> ServerOptions {
        var o = ServerOptions()
        o.token = token
        o.bodyLimit = bodyLimit
        o.pageSize = pageSize
        return o
    }

    func app(_ options: ServerOptions? = nil) -> some ApplicationProtocol {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return Application(router: VanBanServer.router(library: library, options: options ?? self.options()), logger: logger)
    }

    /// Runs `body` with a client talking to the router directly.
    func test(_ options: ServerOptions? = nil, _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await app(options).test(.router) { client in try await body(client) }
    }

    func seedBytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: Self.seedsDirectory.appendingPathComponent(name)))
    }
}

/// SHA-256 as lower-case hex: what the server sends as an original's ETag.
func sha256Hex(_ bytes: [UInt8]) -> String {
    SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
}

extension TestClientProtocol {
    func get(_ uri: String, headers: HTTPFields = [:]) async throws -> TestResponse {
        try await executeRequest(uri: uri, method: .get, headers: headers, body: nil)
    }

    func post(_ uri: String, token: String? = Fixture.token, headers: HTTPFields = [:], body: [UInt8]) async throws -> TestResponse {
        var headers = headers
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await executeRequest(uri: uri, method: .post, headers: headers, body: ByteBuffer(bytes: body))
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }
    var bytes: [UInt8] { Array(body.readableBytesView) }
    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any] ?? [:] }
    /// The error code of a `{"error": {"code", "message"}}` body.
    var errorCode: String? { (json["error"] as? [String: Any])?["code"] as? String }
    var errorMessage: String? { (json["error"] as? [String: Any])?["message"] as? String }
    func header(_ name: String) -> String? { headers[HTTPFields.Element.Name(name)!] }
}
