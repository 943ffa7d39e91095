import Foundation
import Testing
import VanBanKit

/// The HTTP API reads packed objects as it reads loose ones.
@Suite struct PackedArchiveTests {
    @Test func originalsAndDocumentsFromAPackedArchive() async throws {
        let f = try Fixture()
        let report = try f.library.pack()
        #expect(report.objectsPacked == 6 && report.looseAfter == 0 && report.problems.isEmpty)
        try await f.test { client in
            for (name, id) in f.seedIDs {
                let bytes = try f.seedBytes(name)
                let r = try await client.get("/documents/\(id)/original")
                #expect(r.status == .ok)
                #expect(r.bytes == bytes, "\(name) from the pack")
                #expect(r.headers[.eTag] == "\"\(sha256Hex(bytes))\"")
                let doc = try await client.get("/documents/\(id)")
                #expect(doc.status == .ok && (doc.json["text"] as? String)?.isEmpty == false)
            }
            let page = try await client.get("/view/\(f.xssID)")
            #expect(page.status == .ok)
        }
    }
}
