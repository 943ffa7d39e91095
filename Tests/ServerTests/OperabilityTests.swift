import Foundation
import Hummingbird
import HummingbirdTesting
@testable import Server
import Testing
import VanBanKit

/// `/metrics`, live and ready, the budget over HTTP, and the HTML-safe snippet (issue 11).
@Suite struct OperabilityTests {
    @Test func metricsCountRequestsByRouteAndStatus() async throws {
        let f = try Fixture()
        try await f.test { client in
            _ = try await client.get("/search?q=thanh+hoa")
            _ = try await client.get("/search?q=thanh+hoa&limit=0")
            _ = try await client.get("/documents/\(f.seedIDs.values.first!)")
            _ = try await client.get("/no/such/path")
            _ = try await client.post("/documents", body: Array("Thông báo mới về lịch tiếp dân.".utf8))
            let r = try await client.get("/metrics")
            #expect(r.status == .ok)
            #expect(r.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8")
            let text = r.text
            #expect(text.contains(#"vanban_http_requests_total{route="/search",method="GET",status="200"} 1"#))
            #expect(text.contains(#"vanban_http_requests_total{route="/search",method="GET",status="400"} 1"#))
            // The pattern, not the id: one series whatever document is asked for.
            #expect(text.contains(#"vanban_http_requests_total{route="/documents/{id}",method="GET",status="200"} 1"#))
            #expect(text.contains(#"vanban_http_requests_total{route="unmatched",method="GET",status="404"} 1"#))
            #expect(text.contains(#"vanban_http_request_duration_seconds_bucket{route="/search",le="+Inf"} 2"#))
            #expect(text.contains(#"vanban_uploads_documents_total{result="imported"} 1"#))
            #expect(text.contains("vanban_index_documents 7"))
            #expect(text.contains("vanban_index_generation 1"))
            #expect(text.contains("vanban_index_ready 1"))
            #expect(text.contains("# TYPE vanban_http_request_duration_seconds histogram"))
        }
    }

    @Test func liveAndReadyAreDistinct() async throws {
        let f = try Fixture()
        try await f.test { client in
            var r = try await client.get("/health/live")
            #expect(r.status == .ok)
            #expect(r.json["status"] as? String == "live")
            r = try await client.get("/health/ready")
            #expect(r.status == .ok)
            #expect(r.json["status"] as? String == "ready")
            // A document archived by another process, not indexed yet: live, but not ready.
            var options = ImportOptions()
            options.indexing = false
            let other = try Library(archive: f.library.archiveURL, index: f.library.indexURL)
            try other.importDocuments([.payload(ImportPayload(name: "x", bytes: Array("Quyết định về phòng chống thiên tai".utf8)))],
                                      options: options)
            r = try await client.get("/health/ready")
            #expect(r.status == .serviceUnavailable)
            #expect(r.json["status"] as? String == "catching_up")
            #expect(r.json["index_lag"] as? Int == 1)
            #expect(try await client.get("/health/live").status == .ok)
            #expect(try await client.get("/metrics").text.contains("vanban_index_ready 0"))
        }
    }

    /// A search over its budget is a 400 naming the query, counted as slow and too broad; the
    /// budget is a step count here, so the test does not depend on the machine's speed.
    @Test func aSearchOverItsBudgetIsAClearError() async throws {
        let f = try Fixture()
        var configuration = Library.Configuration()
        configuration.searchBudget = SearchBudget(steps: 0)
        let tight = try Library(archive: f.library.archiveURL, index: f.library.indexURL, configuration: configuration)
        try await Application(router: VanBanServer.router(library: tight, options: f.options())).test(.router) { client in
            let r = try await client.get("/search?q=kind%3Anews+th%C3%B4ng*")
            #expect(r.status == .badRequest)
            #expect(r.errorCode == "query_too_broad")
            #expect(r.errorMessage?.hasPrefix(#"query too broad: "kind:news thông*" needs more work than one search may take"#) == true)
            let metrics = try await client.get("/metrics").text
            #expect(metrics.contains("vanban_search_too_broad_total 1"))
            #expect(metrics.contains("vanban_search_slow_total 1"))
        }
    }

    /// The JSON snippet can go into a page as it is: the document's own markup is escaped and
    /// the only tags are <mark>; the plain text and the UTF-16 ranges of the matches come beside it.
    @Test func snippetIsHTMLSafeWithPlainTextAndRanges() async throws {
        let f = try Fixture()
        try await f.test { client in
            let r = try await client.get("/search?q=ki%E1%BB%83m+th%E1%BB%AD")
            #expect(r.status == .ok)
            let hit = try #require((r.json["hits"] as? [[String: Any]])?.first)
            #expect(hit["id"] as? String == f.xssID)
            let snippet = try #require(hit["snippet"] as? String)
            let text = try #require(hit["snippet_text"] as? String)
            #expect(text.contains("<img src=x onerror=alert(2)> \"quotes\" & 'apostrophes' </textarea></div>"))
            #expect(snippet.contains("&lt;img src=x onerror=alert(2)&gt; &quot;quotes&quot; &amp; &#39;apostrophes&#39; &lt;/textarea&gt;&lt;/div&gt;"))
            let tags = snippet.matches(of: /<[^>]*>/).map { String($0.output) }
            #expect(!tags.isEmpty && tags.allSatisfy { $0 == "<mark>" || $0 == "</mark>" }, "\(tags)")
            // Ranges in UTF-16 code units: what NSString and JavaScript index by.
            let ranges = try #require(hit["highlights"] as? [[Int]])
            let marked = ranges.map { (text as NSString).substring(with: NSRange(location: $0[0], length: $0[1])) }
            #expect(marked == ["kiểm", "thử"])
            // The marked words of the HTML snippet are the same.
            #expect(snippet.matches(of: /<mark>([^<]*)<\/mark>/).map { String($0.output.1) } == marked)
        }
    }
}
