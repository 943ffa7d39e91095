import Foundation
import Testing
import VanBanKit

/// Office files and scanned PDFs through the command line: .doc and .odt imported and found,
/// a scan read by OCR (and not again at reindex), --no-ocr, and hostile inputs beside good ones.
@Suite struct FormatsCLITests {
    static let formats = Fixtures.repoRoot.appendingPathComponent("Tests/Fixtures/formats")

    static var ocrAvailable: Bool {
        ["pdftotext", "pdftoppm", "tesseract"].allSatisfy { tool in
            ["/usr/bin/", "/usr/local/bin/", "/bin/"].contains { FileManager.default.isExecutableFile(atPath: $0 + tool) }
        } && FileManager.default.fileExists(atPath: "/usr/share/tesseract-ocr/5/tessdata/vie.traineddata")
    }

    static func show(_ archive: String, _ id: String) throws -> [String: Any] {
        let r = try vanban(["show", "--archive", archive, "--json", id])
        #expect(r.status == 0, "\(r.err)")
        return try #require(try JSONSerialization.jsonObject(with: Data(r.out)) as? [String: Any])
    }

    @Test func wordDocumentIsImportedWithItsTitleAndFound() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let archive = dir.file("a").path
        let r = try vanban(["import", "--archive", archive, "--json", Self.formats.appendingPathComponent("van-ban.doc").path])
        #expect(r.status == 0, "\(r.err)")
        let id = try #require(r.jsonLines.first?["id"] as? String)
        let doc = try Self.show(archive, id)
        #expect(doc["media_type"] as? String == "application/msword")
        #expect(doc["title"] as? String == "Chương trình phối hợp truyền thông Thanh Hóa")
        #expect((doc["text"] as? String)?.contains("Căn cứ Nghị định số 45/2010/NĐ-CP của Chính phủ;") == true)
        let hits = try vanban(["search", "--archive", archive, "--json", "dong moi thanh hoa da nang"])
        #expect(hits.stdout.contains(id), "\(hits.stdout)")
    }

    @Test func hostileOfficeFilesFailAloneWithTheirReason() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let archive = dir.file("a").path
        let doc = try [UInt8](Data(contentsOf: Self.formats.appendingPathComponent("van-ban.doc")))
        let cut = try dir.write("cut.doc", Array(doc[..<5000]))
        let lying = try dir.write("bao-cao.odt", Array("Báo cáo tháng 9".utf8))
        let pdfLie = try dir.write("nghi-dinh.pdf", doc)
        let good = try dir.write("good.txt", "Thanh Hóa")
        let r = try vanban(["import", "--archive", archive, "--json", cut.path, lying.path, pdfLie.path, good.path])
        #expect(r.status == 1)
        let reasons = r.jsonLines.map { $0["reason"] as? String }
        #expect(reasons[0]?.hasPrefix("not a valid Word 97-2003 document: ") == true, "\(reasons)")
        #expect(reasons[1] == "not a valid ODT: not a zip archive")
        #expect(reasons[2] == "not a valid PDF: the %PDF- header is missing")
        #expect(r.jsonLines[3]["status"] as? String == "imported")
        #expect(try vanban(["verify", "--archive", archive]).status == 0)
    }

    @Test(.enabled(if: FormatsCLITests.ocrAvailable, "OCR needs poppler-utils, tesseract-ocr and tesseract-ocr-vie"))
    func scannedPDFIsReadByOCRKeptAndNotReadAgain() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let archive = dir.file("a").path
        let scan = Self.formats.appendingPathComponent("scanned.pdf").path
        // --no-ocr: refused with the reason, nothing stored.
        let off = try vanban(["import", "--archive", archive, "--json", "--no-ocr", scan])
        #expect(off.status == 1)
        #expect(off.jsonLines.first?["reason"] as? String == "PDF has no text layer (scanned image?), and OCR is off (--no-ocr)")
        let r = try vanban(["import", "--archive", archive, "--json", scan])
        #expect(r.status == 0, "\(r.err)")
        let id = try #require(r.jsonLines.first?["id"] as? String)
        let doc = try Self.show(archive, id)
        #expect(doc["ocr"] as? String == "true")
        #expect(doc["ocr_pages"] as? String == "1")
        #expect(Double(doc["ocr_confidence"] as? String ?? "") ?? 0 > 80)
        let text = try #require(doc["text"] as? String)
        #expect(text.contains("Sở Thông tin và Truyền thông tỉnh Thanh Hóa"), "\(text)")
        let hash = try #require(doc["hash"] as? String)
        let kept = dir.file("a/derived/ocr/\(hash.prefix(2))/\(hash.dropFirst(2)).gz").path
        #expect(FileManager.default.fileExists(atPath: kept))
        // Reindex reads the kept OCR: same text, same fields (and found by a search).
        #expect(try vanban(["reindex", "--archive", archive]).status == 0)
        let again = try Self.show(archive, id)
        #expect(again["text"] as? String == text)
        #expect(again["ocr_confidence"] as? String == doc["ocr_confidence"] as? String)
        #expect(try vanban(["search", "--archive", archive, "--json", "hiep hoi doanh nghiep"]).stdout.contains(id))
        #expect(try vanban(["verify", "--archive", archive]).status == 0)
    }
}
