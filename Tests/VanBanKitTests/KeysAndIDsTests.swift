import Archive
import Foundation
import Testing
@testable import VanBanKit

/// Keys and ids are never taken for each other; JSON Lines `id` is the key; a new version
/// keeps its importer's metadata.
@Suite struct KeysAndIDsTests {
    @Test func keyOfSixteenHexDigitsIsRefused() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let lib = try openLibrary(dir)
        let (_, first) = try importAll(lib, [textPayload("Thông báo của Sở Tư pháp")])
        let otherID = try #require(first.first?.id)
        for key in [otherID, otherID.uppercased(), "0123456789abcdef"] {
            let (summary, results) = try importAll(lib, [textPayload("Văn bản khác", key: key)])
            #expect(summary.failed == 1)
            #expect(results.first?.failure?.kind == .badMetadata)
            #expect(results.first?.failure?.message.contains("has the form of a document id") == true)
        }
        #expect(try lib.resolveMatch(otherID).record.metadata.key == nil, "the id still names its own document")
        #expect(try lib.resolveMatch(otherID).matched == .id)
        #expect(try lib.resolveMatch(String(otherID.prefix(8))).matched == .idPrefix)
        try importAll(lib, [textPayload("Văn bản có khóa", key: "ctph-2022")])
        #expect(try lib.resolveMatch("ctph-2022").matched == .key)
        #expect(try lib.documentView(idOrKey: "ctph-2022").matched == .key)
    }

    @Test func jsonLinesIdIsTheKeyAndUnknownFieldsWarnOnce() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let lib = try openLibrary(dir)
        let lines = [
            jsonLine(["id": "corpus-1", "text": "Thanh Hóa ký kết", "lang": "vi"]),
            jsonLine(["id": "corpus-2", "text": "Hà Nội", "lang": "vi", "tags": "x"]),
            jsonLine(["key": "k", "id": "other", "text": "mâu thuẫn"]),
            "null",
        ].joined(separator: "\n")
        let (summary, results) = try importAll(lib, [.payload(ImportPayload(name: "corpus.jsonl", bytes: Array(lines.utf8), jsonLines: true))])
        #expect(results.map(\.status) == [.imported, .imported, .failed, .failed])
        #expect(results[0].key == "corpus-1")
        #expect(try lib.resolveMatch("corpus-2").matched == .key)
        #expect(results[2].failure?.message.contains("disagree") == true)
        #expect(results[3].failure?.message.contains("not a JSON object (the line is null)") == true, "\(results[3].failure?.message ?? "")")
        let unknown = summary.warnings.filter { $0.contains("fields ignored") }
        #expect(unknown.count == 1, "one warning per import")
        #expect(unknown.first?.contains("\"lang\" (first in corpus.jsonl:1)") == true)
        #expect(unknown.first?.contains("\"tags\" (first in corpus.jsonl:2)") == true)
    }

    @Test func newVersionInheritsTheImportersMetadata() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let lib = try openLibrary(dir)
        var meta = DocumentMetadata(key: "tb-01", source: "sotuphap.thanhhoa.gov.vn", kind: "news", date: "2024-05-02")
        meta.url = "https://sotuphap.thanhhoa.gov.vn/tb-01"
        try importAll(lib, [.payload(ImportPayload(name: "v1", bytes: Array("Thông báo lần 1".utf8), metadata: meta))])
        try importAll(lib, [textPayload("Thông báo lần 2", key: "tb-01")])
        var current = try lib.resolve("tb-01")
        #expect(current.metadata.source == "sotuphap.thanhhoa.gov.vn" && current.metadata.kind == "news")
        #expect(current.metadata.date == "2024-05-02" && current.metadata.url == meta.url)
        #expect(try lib.versionCount(of: current.id) == 2)
        // Given anew, a value replaces the inherited one.
        try importAll(lib, [.payload(ImportPayload(name: "v3", bytes: Array("Thông báo lần 3".utf8),
                                                   metadata: DocumentMetadata(key: "tb-01", kind: "agreement")))])
        current = try lib.resolve("tb-01")
        #expect(current.metadata.kind == "agreement" && current.metadata.source == "sotuphap.thanhhoa.gov.vn")
    }
}
