import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
@testable import Server
import Testing
import VanBanKit

/// Every HTTP error has the JSON error shape, including requests the HTTP parser refuses, and
/// HTTP/1.0 connections close after their response (issue 11). These go through a real socket
/// to the server's own channel (`VanBanHTTPChannel`), since the router tests never parse HTTP.
@Suite struct MalformedRequestTests {
    func live(_ body: @escaping @Sendable (Int) async throws -> Void) async throws {
        let f = try Fixture()
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let app = Application(router: VanBanServer.router(library: f.library, options: f.options()),
                              server: VanBanHTTPChannel.builder(idleTimeout: nil), logger: logger)
        try await app.test(.live) { client in
            let port = try #require(client.port)
            try await body(port)
        }
    }

    static func request(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func malformedRequestsGetTheJSONErrorShape() async throws {
        let cases: [(name: String, bytes: [UInt8], status: Int, words: String)] = [
            ("bad request line", Self.request("THIS IS NOT HTTP\r\n\r\n"), 400, "malformed HTTP request"),
            ("80 KB URL", Self.request("GET /search?q=" + String(repeating: "thanh+h%C3%B3a+", count: 6000) + " HTTP/1.1\r\nHost: x\r\n\r\n"),
             431, "too long"),
            ("Content-Length with Transfer-Encoding",
             Self.request("POST /documents HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
             400, "Content-Length and Transfer-Encoding cannot both be given"),
            ("chunked not last", Self.request("POST /documents HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n"),
             400, "framing is invalid"),
            ("negative Content-Length", Self.request("POST /documents HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n"),
             400, "Content-Length header is not a non-negative number"),
        ]
        try await live { port in
            for c in cases {
                let answer = try await RawExchange.send(c.bytes, port: port)
                #expect(answer.status == c.status, "\(c.name)")
                #expect(answer.headers["content-type"] == "application/json; charset=utf-8", "\(c.name)")
                #expect(answer.errorCode == "malformed_request", "\(c.name): \(String(decoding: answer.body, as: UTF8.self))")
                #expect(answer.errorMessage?.contains(c.words) == true, "\(c.name): \(answer.errorMessage ?? "no message")")
                #expect(answer.closedByServer, "\(c.name)")
            }
            // The server still answers well-formed requests afterwards.
            let ok = try await RawExchange.send(Self.request("GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), port: port)
            #expect(ok.status == 200)
        }
    }

    @Test func http10ConnectionsCloseAfterTheResponse() async throws {
        try await live { port in
            let answer = try await RawExchange.send(Self.request("GET /search?q=thanh+hoa HTTP/1.0\r\n\r\n"), port: port)
            #expect(answer.status == 200)
            #expect(answer.headers["connection"]?.lowercased() == "close")
            #expect(answer.json["total"] as? Int == 5)
            #expect(answer.closedByServer)
            // An HTTP/1.1 request keeps its connection (the read ends by timeout, not by a close):
            // not asserted here, as it would wait for the timeout.
        }
    }
}
