import Foundation
import Hummingbird
import HummingbirdTesting
@testable import Server
import Testing
import VanBanKit

@Suite struct SearchAPITests {
    /// Same results and the same JSON shape as `vanban search --json` (SearchJSON), apart from
    /// the time taken.
    @Test func strictIsAFlag() async throws {
        let f = try Fixture()
        try await f.test { client in
            let on = try await client.get("/search?q=thanh+hoa&strict=true")
            #expect(on.status == .ok)
            #expect((on.json["reading"] as? [String: Any])?["strict"] as? Bool == true)
            let bad = try await client.get("/search?q=thanh+hoa&strict=maybe")
            #expect(bad.status == .badRequest)
            #expect(bad.text.contains("strict must be true or false"))
        }
    }

    @Test func searchMatchesTheCLIShape() async throws {
        let f = try Fixture()
        let direct = try f.library.search(SearchRequest(query: "thanh hoa", limit: 3))
        let expectedBytes = SearchJSON.encode(direct)
        try await f.test { client in
            let r = try await client.get("/search?q=thanh+hoa&limit=3")
            #expect(r.status == .ok)
            #expect(r.headers[.contentType] == "application/json; charset=utf-8")
            var got = r.json
            #expect(Set(got.keys) == Set(["query", "total", "collapsed", "took_ms", "reading", "hits"]))
            let reading = got["reading"] as? [String: Any]
            #expect(Set(reading?.keys.map { $0 } ?? []) == ["restored", "phrases", "synonyms", "soft", "optional", "question", "function_words", "frame_words", "strict"])
            #expect(reading?["restored"] as? String == "thanh hóa")
            #expect(got["took_ms"] is Double || got["took_ms"] is Int)
            got["took_ms"] = nil
            var want = try JSONSerialization.jsonObject(with: Data(expectedBytes)) as! [String: Any]
            want["took_ms"] = nil
            // A top-level JSON true decodes as a Bool on one side and an Int on the other
            // (swift-corelibs-foundation): compared as Bools.
            #expect(got["collapsed"] as? Bool == true && want["collapsed"] as? Bool == true)
            got["collapsed"] = nil
            want["collapsed"] = nil
            #expect(NSDictionary(dictionary: got).isEqual(to: want))
            #expect(got["total"] as? Int == 5)
            let hits = got["hits"] as! [[String: Any]]
            #expect(hits.count == 3)
            // Every metadata field (absent ones null), then the hit's own keys.
            #expect(Set(hits[0].keys) == Set(["id", "score", "snippet", "snippet_text", "highlights", "location", "number_match", "duplicates"] + DocumentMetadata.fields.map(\.name)))
            #expect((hits[0]["snippet"] as! String).contains("<mark>"))
        }
    }

    @Test func parametersAndFilters() async throws {
        let f = try Fixture()
        try await f.test { client in
            // %-escapes and + as space, UTF-8 query
            var r = try await client.get("/search?q=Thanh%20H%C3%B3a&limit=1&offset=1")
            #expect(r.status == .ok)
            #expect(r.json["query"] as? String == "Thanh Hóa")
            #expect((r.json["hits"] as? [Any])?.count == 1)
            // kind filter: only the hostile document is "news"
            r = try await client.get("/search?q=th%C3%B4ng&kind=news")
            #expect(r.status == .ok)
            let hits = r.json["hits"] as! [[String: Any]]
            #expect(hits.map { $0["id"] as! String } == [f.xssID])
            // date range, filters alone (no words)
            r = try await client.get("/search?from=2021-01-01&to=2021-12-31")
            #expect(r.status == .ok)
            #expect(r.json["total"] as? Int == 1)
            r = try await client.get("/search?q=thanh+hoa&source=%3Cb%3E")
            #expect(r.json["total"] as? Int == 0)
            r = try await client.get("/search?q=thanh+hoa&sort=date&limit=5")
            #expect(r.status == .ok)
            #expect((r.json["hits"] as? [Any])?.count == 5)
        }
    }

    @Test func badParametersAre400WithJSONErrors() async throws {
        let f = try Fixture()
        try await f.test { client in
            let cases: [(String, String)] = [
                ("/search", "bad_query"),
                ("/search?q=", "bad_query"),
                ("/search?q=-thanh", "bad_query"),
                ("/search?q=thanh&limit=0", "bad_parameter"),
                ("/search?q=thanh&limit=1001", "bad_parameter"),
                ("/search?q=thanh&limit=abc", "bad_parameter"),
                // A single-valued parameter given twice with different values is not guessed at.
                ("/search?q=thanh&limit=abc&limit=", "bad_parameter"),
                ("/search?q=thanh&limit=", "bad_parameter"),
                ("/search?q=thanh&limit=5&limit=6", "bad_parameter"),
                ("/search?q=thanh&q=hoa", "bad_parameter"),
                ("/search?q=thanh&offset=-1", "bad_parameter"),
                ("/search?q=thanh&offset=100001", "bad_parameter"),
                ("/search?q=thanh&sort=random", "bad_parameter"),
                ("/search?q=%zz", "bad_parameter"),
                ("/search?q=%C3", "bad_parameter"),
                ("/search?q=thanh&from=2021-13", "bad_query"),
                ("/search?q=thanh&from=2022-01-01&to=2021-01-01", "bad_query"),
                ("/search?q=" + String(repeating: "a+", count: 1500), "bad_query"),
            ]
            for (uri, code) in cases {
                let r = try await client.get(uri)
                #expect(r.status == .badRequest, "\(uri)")
                #expect(r.errorCode == code, "\(uri): \(r.text)")
                #expect(r.errorMessage?.isEmpty == false)
            }
        }
    }

    /// Whatever a person types: a result or a 400, never a 500, never SQLite's words.
    @Test func hostileQueriesNeverFail() async throws {
        let f = try Fixture()
        let queries = ["\"", "\"\"", "(", ")", "((((", "*", "**", "-", "--", "NOT", "AND", "OR", "a OR", "OR b", "NEAR(a b)",
                       "title:", "title:\"", "source:", "kind:", "from:", "year:abc", "{title}:x", "^a", "a:b:c", "'", ";",
                       "DROP TABLE documents;", "%", "\\", "\u{0}", "\u{1F600}", "thanh* hoa*", "\"thanh hoa", "thanh\"hoa\"",
                       "-\"thanh hoa\"", "(thanh OR) hoa", "a AND (b", "col:val", "fts MATCH", String(repeating: "(", count: 500),
                       String(repeating: "x ", count: 900), "45/2010/NĐ-CP", "NĐ-CP", "/", "//", "-/-"]
        try await f.test { client in
            for q in queries {
                let r = try await client.get("/search?q=" + PercentEncoding.component(q))
                #expect(r.status == .ok || r.status == .badRequest, "\(q.debugDescription): \(r.status)")
                #expect(!r.text.lowercased().contains("sqlite"), "\(q.debugDescription): \(r.text)")
                #expect(!r.text.contains("fts5"), "\(q.debugDescription): \(r.text)")
                if r.status == .badRequest { #expect(r.errorCode == "bad_query" || r.errorCode == "bad_parameter") }
            }
        }
    }
}

@Suite struct DocumentAPITests {
    @Test func documentJSONMatchesTheCLIShape() async throws {
        let f = try Fixture()
        let id = f.seedIDs["001_f06a74d7aed0fe0b.txt"]!
        let expected = DocumentJSON.object(try f.library.documentView(idOrKey: id)).finish()
        try await f.test { client in
            for uri in ["/documents/\(id)", "/documents/\(id.prefix(8))", "/documents/\(id.uppercased())"] {
                let r = try await client.get(uri)
                #expect(r.status == .ok, "\(uri)")
                #expect(r.bytes == expected, "\(uri)")
            }
            // by key, percent-encoded
            let r = try await client.get("/documents/xss-key")
            #expect(r.status == .ok)
            #expect(r.json["id"] as? String == f.xssID)
            #expect(r.json["title"] as? String == Fixture.xssTitle)
        }
    }

    @Test func unknownAndInvalidIDs() async throws {
        let f = try Fixture()
        try await f.test { client in
            for uri in ["/documents/0000000000000000", "/documents/nope", "/documents/..%2F..%2Fetc%2Fpasswd",
                        "/documents/..%2F..%2Fetc%2Fpasswd/original", "/documents/%2E%2E/original", "/view/..%2F..%2Fetc%2Fpasswd",
                        "/documents/..%252F..%252Fetc%252Fpasswd", "/documents/%2Fetc%2Fpasswd/original"] {
                let r = try await client.get(uri)
                #expect(r.status == .notFound, "\(uri)")
                #expect(!r.text.contains("root:"), "\(uri)")
                if !uri.hasPrefix("/view") { #expect(r.errorCode == "not_found", "\(uri)") }
            }
            for uri in ["/documents/%zz", "/documents/%00abc", "/documents/a%0Ab", "/documents/" + String(repeating: "k", count: 1100)] {
                let r = try await client.get(uri)
                #expect(r.status == .badRequest, "\(uri)")
                #expect(r.errorCode == "bad_id", "\(uri)")
            }
            // an ambiguous prefix: 6+ hex digits shared by two documents is unlikely; a short
            // prefix is just not found
            let r = try await client.get("/documents/abc")
            #expect(r.status == .notFound)
        }
    }

    @Test func originalBytesWithTypeNameAndETag() async throws {
        let f = try Fixture()
        let name = "003_4860862a9c49c086.txt"
        let id = f.seedIDs[name]!
        let bytes = try f.seedBytes(name)
        let hash = sha256Hex(bytes)
        try await f.test { client in
            let r = try await client.get("/documents/\(id)/original")
            #expect(r.status == .ok)
            #expect(r.bytes == bytes)
            #expect(r.headers[.contentType] == "text/plain; charset=utf-8")
            #expect(r.headers[.eTag] == "\"\(hash)\"")
            #expect(r.headers[.contentDisposition] == "attachment; filename=\"\(name)\"; filename*=UTF-8''\(name)")
            #expect(r.headers[.contentSecurityPolicy]?.hasPrefix("sandbox") == true)
            #expect(r.header("X-Content-Type-Options") == "nosniff")

            let cached = try await client.get("/documents/\(id)/original", headers: [.ifNoneMatch: "\"\(hash)\""])
            #expect(cached.status == .notModified)
            #expect(cached.body.readableBytes == 0)
            let stale = try await client.get("/documents/\(id)/original", headers: [.ifNoneMatch: "\"0000\""])
            #expect(stale.status == .ok)

            // a file name with markup and quotes is made safe for the header
            let x = try await client.get("/documents/xss-key/original")
            #expect(x.status == .ok)
            #expect(x.headers[.contentDisposition] == "attachment; filename=\"xss<b>.txt\"; filename*=UTF-8''xss%3Cb%3E.txt")
        }
    }

    @Test func healthAndStats() async throws {
        let f = try Fixture()
        try await f.test { client in
            let h = try await client.get("/health")
            #expect(h.status == .ok)
            #expect(h.json["status"] as? String == "ok")
            #expect(h.json["documents"] as? Int == 6)
            #expect(h.json["caught_up"] as? Bool == true)
            #expect(h.json["index_lag"] as? Int == 0)
            #expect(h.json["manifest_seq"] as? Int == 6)

            let s = try await client.get("/stats")
            #expect(s.status == .ok)
            #expect(s.json["documents"] as? Int == 6)
            #expect(s.json["versions"] as? Int == 6)
            #expect(Set(s.json.keys) == ["documents", "versions", "objects", "original_bytes", "stored_bytes", "ratio", "by_source", "by_kind"])
            #expect(((s.json["by_kind"] as? [String: Any])?["news"] as? [String: Any])?["documents"] as? Int == 1)

            let head = try await client.executeRequest(uri: "/health", method: .head, headers: [:], body: nil)
            #expect(head.status == .ok)
            #expect(head.body.readableBytes == 0)
        }
    }

    /// The index lags when another process imports without indexing (`import --no-index`);
    /// /health says so until the catch-up.
    @Test func healthReportsLagUntilCatchUp() async throws {
        let f = try Fixture()
        let other = try Library(archive: f.library.archiveURL, index: f.library.indexURL)
        var archiveOnly = ImportOptions()
        archiveOnly.indexing = false
        try other.importDocuments([.payload(ImportPayload(name: "late", bytes: Array("tài liệu đến muộn".utf8)))], options: archiveOnly)
        try await f.test { client in
            var h = try await client.get("/health")
            #expect(h.json["caught_up"] as? Bool == false)
            #expect(h.json["index_lag"] as? Int == 1)
            #expect(try f.library.catchUp() == 1)
            h = try await client.get("/health")
            #expect(h.json["caught_up"] as? Bool == true)
            let r = try await client.get("/search?q=den+muon")
            #expect(r.json["total"] as? Int == 1)
        }
    }

    @Test func unknownRoutesAndMethods() async throws {
        let f = try Fixture()
        try await f.test { client in
            var r = try await client.get("/nope")
            #expect(r.status == .notFound)
            #expect(r.errorCode == "not_found")
            r = try await client.executeRequest(uri: "/search", method: .delete, headers: [:], body: nil)
            #expect(r.status == .methodNotAllowed)
            #expect(r.headers[.allow] == "GET, HEAD")
            #expect(r.errorCode == "method_not_allowed")
            r = try await client.get("/documents")
            #expect(r.status == .methodNotAllowed)
            #expect(r.headers[.allow] == "POST")
            r = try await client.executeRequest(uri: "/documents/abc", method: .put, headers: [:], body: nil)
            #expect(r.status == .methodNotAllowed)
        }
    }
}
