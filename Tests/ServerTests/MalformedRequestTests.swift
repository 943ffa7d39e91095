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

    /// openapi.yaml's limits (lengths in Unicode scalars) keep every schema-valid request under
    /// NIO's 80 KB request head: the longest query with every filter at its longest, each
    /// character a 4-byte one (12 bytes percent-encoded), is answered, not refused with a 431;
    /// one character more than a limit is a 400 naming it, counted in characters, not bytes.
    @Test func theLongestValidRequestsFitTheRequestHead() async throws {
        let wide = "𠀀"  // U+20000: 4 bytes in UTF-8, 12 percent-encoded
        let encoded = wide.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        let value: @Sendable (Int) -> String = { String(repeating: encoded, count: $0) }
        var longestSearch = "/search?q=thanh+" + value(QueryParser.maxQueryCharacters - 6)
        for name in ["source", "kind", "type", "number", "issuer", "signer", "cites"] {
            for _ in 0..<SearchResource.maxFilterValues { longestSearch += "&\(name)=" + value(SearchResource.maxFilterValueCharacters) }
        }
        let search = longestSearch
        let upload = "/documents?" + ["key", "title", "source", "kind", "url", "filename"]
            .map { "\($0)=" + value(UploadFields.maxValueCharacters) }.joined(separator: "&")
        try await live { port in
            let longest = try await RawExchange.send(Self.request("GET \(search) HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), port: port)
            #expect(search.utf8.count > 70_000)
            #expect(longest.status != 431)
            // A number filter of wide characters is not a document number: refused by meaning.
            #expect(longest.errorMessage?.contains("is not a document number") == true, "\(longest.errorMessage ?? "no message")")
            let body = "Ủy ban nhân dân tỉnh Thanh Hóa"
            let imported = try await RawExchange.send(Self.request(
                "POST \(upload) HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(Fixture.token)\r\nContent-Type: text/plain\r\n"
                + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"), port: port)
            #expect(imported.status == 201, "\(String(decoding: imported.body, as: UTF8.self).prefix(300))")

            let query = try await RawExchange.send(Self.request(
                "GET /search?q=\(value(QueryParser.maxQueryCharacters + 1)) HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), port: port)
            #expect(query.status == 400)
            #expect(query.errorMessage?.contains("\(QueryParser.maxQueryCharacters + 1) characters") == true, "\(query.errorMessage ?? "")")
            let filter = try await RawExchange.send(Self.request(
                "GET /search?q=hoa&source=\(String(repeating: "a", count: SearchResource.maxFilterValueCharacters + 1)) HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), port: port)
            #expect(filter.status == 400)
            #expect(filter.errorMessage?.contains("source: at most") == true, "\(filter.errorMessage ?? "")")
            let many = try await RawExchange.send(Self.request(
                "GET /search?q=hoa" + String(repeating: "&kind=news", count: SearchResource.maxFilterValues + 1) + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), port: port)
            #expect(many.status == 400)
            let title = try await RawExchange.send(Self.request(
                "POST /documents?title=\(String(repeating: "a", count: UploadFields.maxValueCharacters + 1)) HTTP/1.1\r\nHost: x\r\n"
                + "Authorization: Bearer \(Fixture.token)\r\nContent-Type: text/plain\r\nContent-Length: 4\r\nConnection: close\r\n\r\nHà N"), port: port)
            #expect(title.status == 400)
            #expect(title.errorMessage?.contains("longer than \(UploadFields.maxValueCharacters) characters") == true, "\(title.errorMessage ?? "")")
        }
    }

    /// An empty upload field is an absent one (as a JSON Lines "" is), so `date=` is no date.
    @Test func emptyUploadFieldsAreAbsent() async throws {
        try await live { port in
            let body = "Hà Nội"
            let answer = try await RawExchange.send(Self.request(
                "POST /documents?date=&source=&ocr=&key=k1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(Fixture.token)\r\n"
                + "Content-Type: text/plain\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"), port: port)
            #expect(answer.status == 201, "\(String(decoding: answer.body, as: UTF8.self))")
            #expect(answer.json["key"] as? String == "k1")
            let bad = try await RawExchange.send(Self.request(
                "POST /documents?ocr=maybe HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(Fixture.token)\r\n"
                + "Content-Type: text/plain\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"), port: port)
            #expect(bad.status == 400)
            #expect(bad.errorMessage?.contains("ocr must be on or off") == true)
            // The body's good date does not hide the query string's bad one.
            let json = #"{"text": "Hà Nội mới", "date": "2024-06-30"}"#
            let hidden = try await RawExchange.send(Self.request(
                "POST /documents?date=2024-13-01 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(Fixture.token)\r\n"
                + "Content-Type: application/json\r\nContent-Length: \(json.utf8.count)\r\nConnection: close\r\n\r\n\(json)"), port: port)
            #expect(hidden.status == 400)
            #expect(hidden.errorMessage?.contains("in the query string") == true, "\(hidden.errorMessage ?? "")")
        }
    }
}
