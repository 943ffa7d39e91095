import Foundation
import Hummingbird
import HummingbirdTesting
@testable import Server
import Testing
@testable import VanBanKit

/// Uploads whose Content-Type names a legacy charset: converted as declared; the document's
/// JSON and page say how.
@Suite struct EncodingUploadTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/encodings")

    @Test func charsetParameterIsHonoured() async throws {
        let f = try Fixture()
        let vni = [UInt8](try Data(contentsOf: Self.fixtures.appendingPathComponent("letters.vni-windows.txt")))
        let want = String(decoding: try Data(contentsOf: Self.fixtures.appendingPathComponent("letters.utf8.txt")), as: UTF8.self)
        try await f.test { client in
            var r = try await client.post("/documents?filename=vni.txt", headers: [.contentType: "text/plain; charset=VNI-Windows"], body: vni)
            #expect(r.status == .created, "\(r.text)")
            let id = try #require(r.json["id"] as? String)
            #expect(r.json["encoding"] as? String == "vni-windows")
            let doc = try await client.get("/documents/\(id)")
            #expect(doc.json["text"] as? String == want)
            #expect(doc.json["media_type"] as? String == "text/plain; charset=vni-windows")
            let page = try await client.get("/view/\(id)")
            #expect(page.text.contains("Bảng mã gốc"), "the page names the conversion")
            #expect(page.text.contains("vni-windows"))
            let original = try await client.get("/documents/\(id)/original")
            #expect(Array(original.bytes) == vni)
            // A charset VanBan does not decode itself and detection does not trust: refused.
            r = try await client.post("/documents", headers: [.contentType: "text/plain"], body: Array("caf".utf8) + [0xE9, 0x20, 0x61])
            #expect(r.status.code >= 400 && r.status.code < 500)
            #expect(r.errorCode != nil)
        }
    }
}
