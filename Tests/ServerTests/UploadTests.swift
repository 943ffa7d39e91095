import Foundation
import Hummingbird
import HummingbirdTesting
@testable import Server
import Testing
@testable import VanBanKit

@Suite struct UploadTests {
    static let doc = Array("Quyết định số 12/2024/QĐ-UBND về việc phối hợp tuyên truyền tại Quảng Trị.".utf8)

    @Test func tokenChecks() async throws {
        let f = try Fixture()
        // No token configured: writes are disabled, reads stay open.
        try await f.test(f.options(token: nil)) { client in
            let r = try await client.post("/documents", token: "anything", body: Self.doc)
            #expect(r.status == .forbidden)
            #expect(r.errorCode == "writes_disabled")
            #expect(try await client.get("/search?q=thanh").status == .ok)
        }
        try await f.test { client in
            var r = try await client.post("/documents", token: nil, body: Self.doc)
            #expect(r.status == .unauthorized)
            #expect(r.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
            r = try await client.post("/documents", token: "wrong-token", body: Self.doc)
            #expect(r.status == .unauthorized)
            #expect(r.errorCode == "unauthorized")
            r = try await client.post("/documents", token: Fixture.token + "x", body: Self.doc)
            #expect(r.status == .unauthorized)
            r = try await client.post("/documents", token: String(Fixture.token.dropLast()), body: Self.doc)
            #expect(r.status == .unauthorized)
            r = try await client.post("/documents", token: nil, headers: [.authorization: "Basic dXNlcjpwYXNz"], body: Self.doc)
            #expect(r.status == .unauthorized)
            r = try await client.post("/documents", token: nil, headers: [.authorization: "bearer \(Fixture.token)"], body: Self.doc)
            #expect(r.status == .created, "the scheme is case-insensitive")
        }
        // Nothing was written by the refused requests.
        #expect(try f.library.stats().documents == 7)
    }

    @Test func constantTimeComparison() {
        #expect(TokenCheck.constantTimeEqual(Array("abc".utf8), Array("abc".utf8)))
        #expect(!TokenCheck.constantTimeEqual(Array("abc".utf8), Array("abd".utf8)))
        #expect(!TokenCheck.constantTimeEqual(Array("abc".utf8), Array("abcd".utf8)))
        #expect(!TokenCheck.constantTimeEqual([], Array("a".utf8)))
        #expect(TokenCheck.constantTimeEqual([], []))
    }

    @Test func rawUploadIsImportedIndexedAndIdempotent() async throws {
        let f = try Fixture()
        try await f.test { client in
            let uri = "/documents?key=qd-12&title=Quy%E1%BA%BFt+%C4%91%E1%BB%8Bnh+12&source=ubnd&kind=decision&date=2024-03-15&filename=qd12.txt"
            var r = try await client.post(uri, headers: [.contentType: "text/plain; charset=utf-8"], body: Self.doc)
            #expect(r.status == .created, "\(r.text)")
            let id = try #require(r.json["id"] as? String)
            #expect(r.headers[.location] == "/documents/\(id)")
            #expect(r.json["status"] as? String == "imported")
            #expect(r.json["key"] as? String == "qd-12")
            #expect(r.json["title"] as? String == "Quyết định 12")
            #expect(r.json["date"] as? String == "2024-03-15")
            #expect(r.json["file_name"] as? String == "qd12.txt")
            #expect(r.json["versions"] as? Int == 1)
            #expect(r.json["text"] == nil)
            // The record JSON has the fields of GET /documents/{id}, without the text.
            let full = try await client.get("/documents/\(id)")
            var keys = Set(full.json.keys)
            keys.remove("text")
            keys.insert("status")
            #expect(Set(r.json.keys) == keys)

            // Searchable at once.
            let s = try await client.get("/search?q=quang+tri")
            #expect((s.json["hits"] as? [[String: Any]])?.first?["id"] as? String == id)

            // Same bytes again: 200, unchanged.
            r = try await client.post(uri, headers: [.contentType: "text/plain"], body: Self.doc)
            #expect(r.status == .ok)
            #expect(r.json["status"] as? String == "unchanged")
            #expect(r.json["id"] as? String == id)

            // New bytes under the same key: a new version.
            r = try await client.post("/documents?key=qd-12", body: Self.doc + Array(" Sửa đổi.".utf8))
            #expect(r.status == .created)
            #expect(r.json["id"] as? String == id)
            #expect(r.json["versions"] as? Int == 2)
        }
    }

    @Test func multipartUpload() async throws {
        let f = try Fixture()
        let boundary = "----vanban-test-boundary"
        @Sendable func field(_ name: String, _ value: String) -> String {
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
        }
        let html = "<html><head><title>Tin Hà Tĩnh</title></head><body><p>Hội nghị phối hợp tại Hà Tĩnh.</p></body></html>"
        let body = field("source", "baohatinh.vn") + field("kind", "news") + field("date", "2023-05-06")
            + "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"tin-ha-tinh.html\"\r\nContent-Type: text/html\r\n\r\n\(html)\r\n"
            + "--\(boundary)--\r\n"
        try await f.test { client in
            let r = try await client.post("/documents", headers: [.contentType: "multipart/form-data; boundary=\(boundary)"], body: Array(body.utf8))
            #expect(r.status == .created, "\(r.text)")
            #expect(r.json["title"] as? String == "Tin Hà Tĩnh")
            #expect(r.json["source"] as? String == "baohatinh.vn")
            #expect(r.json["kind"] as? String == "news")
            #expect(r.json["file_name"] as? String == "tin-ha-tinh.html")
            #expect((r.json["media_type"] as? String)?.hasPrefix("text/html") == true)
            let id = r.json["id"] as! String
            let original = try await client.get("/documents/\(id)/original")
            #expect(original.text == html)

            // Malformed multipart bodies: 400.
            let bad: [(String, String)] = [
                ("multipart/form-data", body),
                ("multipart/form-data; boundary=\(boundary)", "no boundary here"),
                ("multipart/form-data; boundary=\(boundary)", field("title", "x") + "--\(boundary)--\r\n"),
                ("multipart/form-data; boundary=\(boundary)", "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\ntruncated"),
                ("multipart/form-data; boundary=\(boundary)", field("colour", "red") + body),
            ]
            for (type, b) in bad {
                let r = try await client.post("/documents", headers: [.contentType: type], body: Array(b.utf8))
                #expect(r.status == .badRequest, "\(b.prefix(60))")
                #expect(r.errorCode == "bad_multipart" || r.errorCode == "bad_metadata")
            }
        }
    }

    @Test func jsonUpload() async throws {
        let f = try Fixture()
        try await f.test { client in
            let doc = #"{"text": "Nghị quyết số 58-NQ/TW về xây dựng tỉnh Thanh Hóa", "title": "Nghị quyết 58", "key": "nq-58", "kind": "legal"}"#
            var r = try await client.post("/documents", headers: [.contentType: "application/json"], body: Array(doc.utf8))
            #expect(r.status == .created, "\(r.text)")
            #expect(r.json["key"] as? String == "nq-58")
            #expect(r.json["kind"] as? String == "legal")
            #expect(r.json["media_type"] as? String == "text/plain; charset=utf-8")
            for bad in [#"{"title": "no text"}"#, "not json", "[1,2]", #"{"text": 5}"#] {
                r = try await client.post("/documents", headers: [.contentType: "application/json"], body: Array(bad.utf8))
                #expect(r.status == .badRequest, "\(bad)")
                #expect(r.errorCode == "bad_json")
            }
        }
    }

    @Test func rejectedUploads() async throws {
        let f = try Fixture()
        try await f.test(f.options(bodyLimit: 4096)) { client in
            let cases: [(String, HTTPFields, [UInt8], HTTPResponse.Status, String)] = [
                ("/documents?date=2024-02-30", [:], Self.doc, .badRequest, "bad_metadata"),
                ("/documents?date=yesterday", [:], Self.doc, .badRequest, "bad_metadata"),
                ("/documents?colour=red", [:], Self.doc, .badRequest, "bad_metadata"),
                ("/documents", [:], [], .badRequest, "empty_body"),
                // An OLE header cut short: a damaged Word 97-2003 file (VanBan reads .doc now).
                ("/documents", [:], [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0, 0], .unprocessableContent, "unprocessable_content"),
                ("/documents", [:], [0x50, 0x4B, 0x03, 0x04, 0, 0, 0, 1, 2, 3, 0, 0], .unprocessableContent, "unprocessable_content"),
                ("/documents", [:], Array("abc".utf8) + [0, 1, 2, 3] + Array("def".utf8), .unsupportedMediaType, "unsupported_content"),
                // UTF-16 is read (a BOM); an unpaired surrogate is not.
                ("/documents", [:], [0xFF, 0xFE, 0x41, 0x00, 0x00, 0xD8], .unsupportedMediaType, "unsupported_content"),
                ("/documents", [:], [0x61, 0xC3, 0x28, 0x62], .unsupportedMediaType, "unsupported_content"),
                ("/documents", [.contentType: "application/pdf"], Self.doc, .unsupportedMediaType, "unsupported_content"),
                ("/documents", [.contentType: "text/html"], Array("<html><body>   </body></html>".utf8), .unprocessableContent, "unprocessable_content"),
                ("/documents", [:], Array("   \n\t  ".utf8), .unprocessableContent, "unprocessable_content"),
                ("/documents", [:], [UInt8](repeating: 0x61, count: 5000), .contentTooLarge, "too_large"),
            ]
            for (uri, headers, body, status, code) in cases {
                let r = try await client.post(uri, headers: headers, body: body)
                #expect(r.status == status, "\(uri) \(Array(body.prefix(12))): \(r.text)")
                #expect(r.errorCode == code, "\(uri): \(r.text)")
                #expect(r.errorMessage?.isEmpty == false)
            }
        }
        #expect(try f.library.stats().documents == 6, "nothing rejected was stored")
    }

    /// Readers never wait for the writer (WAL): searches complete while an upload's index
    /// transaction is open. The writer holds its transaction until every search has answered,
    /// so a search that waited for it would never finish (the time limit fails the test; a
    /// deadlock never ends, so the limit is wide enough for a run that starves the async
    /// tests of the two-thread cooperative pool).
    @Test(.timeLimit(.minutes(3)))
    func searchWhileAnUploadIsWriting() async throws {
        let f = try Fixture()
        let writing = AsyncStream.makeStream(of: Void.self)
        let searchesDone = DispatchSemaphore(value: 0)
        let writer = Task.detached {
            try f.library.withWriter { index in
                try index.write { _ in
                    writing.continuation.yield()
                    searchesDone.wait()
                }
            }
        }
        for await _ in writing.stream { break }
        try await f.test { client in
            try await withThrowingTaskGroup(of: Int.self) { group in
                for q in ["thanh hoa", "phối hợp", "truyền thông", "bình dương", "hồ chí minh", "chính phủ"] {
                    group.addTask { try await client.get("/search?q=" + PercentEncoding.component(q)).status.code }
                }
                for try await code in group { #expect(code == 200) }
            }
        }
        searchesDone.signal()
        try await writer.value
    }

    /// Real uploads running at the same time as searches: all answered, nothing lost. (No
    /// time limit: three 1.3 MB bodies indexed by a debug build take what the machine gives.)
    @Test func uploadsAndSearchesRunTogether() async throws {
        let f = try Fixture()
        let big = Array(String(repeating: "Chương trình phối hợp truyền thông giữa các sở ngành tỉnh Nghệ An. ", count: 20_000).utf8)
        try await f.test(f.options(bodyLimit: 10_000_000)) { client in
            try await withThrowingTaskGroup(of: (String, Int).self) { group in
                for k in 0..<3 {
                    group.addTask { ("upload", try await client.post("/documents?key=big-\(k)", body: big + Array("\(k)".utf8)).status.code) }
                }
                for k in 0..<30 {
                    group.addTask { ("search", try await client.get("/search?q=" + (k % 2 == 0 ? "thanh+hoa" : "nghe+an")).status.code) }
                }
                for try await (kind, code) in group { #expect(code == (kind == "upload" ? 201 : 200), "\(kind)") }
            }
            // The three bodies are reposts of one another: listed one by one.
            let r = try await client.get("/search?q=nghe+an&limit=20&collapse=false")
            let keys = Set((r.json["hits"] as? [[String: Any]] ?? []).compactMap { $0["key"] as? String })
            #expect(keys.isSuperset(of: ["big-0", "big-1", "big-2"]))
        }
    }
}
