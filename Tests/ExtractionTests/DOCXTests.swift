import Foundation
import Testing
@testable import Extraction

@Suite struct DOCXTests {
    static let table = """
        <w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr>\
        <w:tr><w:tc><w:tcPr/><w:p><w:r><w:t>Số hiệu</w:t></w:r></w:p></w:tc>\
        <w:tc><w:p><w:r><w:t>Ngày ban hành</w:t></w:r></w:p></w:tc></w:tr>\
        <w:tr><w:tc><w:p><w:r><w:t>45/2010/NĐ-CP</w:t></w:r></w:p><w:p><w:r><w:t>(Nghị định)</w:t></w:r></w:p></w:tc>\
        <w:tc><w:p><w:r><w:t>21/4/2010</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
        """

    @Test func vietnameseParagraphsAndTable() throws {
        let body = DOCX.paragraph("CHƯƠNG TRÌNH PHỐI HỢP")
            + "<w:p><w:r><w:t xml:space=\"preserve\">Căn cứ Nghị định số </w:t></w:r>"
            + "<w:r><w:rPr><w:i/></w:rPr><w:t>45/2010/NĐ-CP</w:t></w:r>"
            + "<w:hyperlink r:id=\"x\" xmlns:r=\"urn:r\"><w:r><w:t xml:space=\"preserve\"> của Chính phủ;</w:t></w:r></w:hyperlink></w:p>"
            + "<w:p/>"
            + "<w:p><w:r><w:t>Điều 1.</w:t><w:tab/><w:t>Quy định chung</w:t><w:br/><w:t>dòng mới</w:t>"
            + "<w:cr/><w:t>Thanh Hoá</w:t><w:noBreakHyphen/><w:t>2022</w:t></w:r></w:p>"
            + Self.table
            + "<w:p><w:del><w:r><w:delText>đã xoá</w:delText></w:r></w:del>"
            + "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>"
            + "<w:r><w:t>Nơi nhận:</w:t></w:r></w:p>"
            + "<w:p><w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><wps:txbx><w:txbxContent>"
            + "<w:p><w:r><w:t>Hộp văn bản</w:t></w:r></w:p></w:txbxContent></wps:txbx></w:drawing></mc:Choice>"
            + "<mc:Fallback><w:pict><v:textbox><w:txbxContent><w:p><w:r><w:t>Hộp văn bản</w:t></w:r></w:p>"
            + "</w:txbxContent></v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>"
        let core = DOCX.coreXML(title: "  Chương trình   phối hợp ", creator: "Sở TT&TT Thanh Hóa", created: "2022-09-24T08:00:00Z")
        let bytes = try DOCX.make(body: body, core: core)
        let doc = try Extractor().extract(bytes, fileName: "chuong-trinh.docx")
        #expect(doc.mediaType == "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        #expect(doc.text == """
            CHƯƠNG TRÌNH PHỐI HỢP
            Căn cứ Nghị định số 45/2010/NĐ-CP của Chính phủ;

            Điều 1.\tQuy định chung
            dòng mới
            Thanh Hoá-2022
            Số hiệu
            Ngày ban hành
            45/2010/NĐ-CP
            (Nghị định)
            21/4/2010
            Nơi nhận:
            Hộp văn bản
            """)
        #expect(doc.title == "Chương trình phối hợp")
        #expect(doc.properties == ["author": "Sở TT&TT Thanh Hóa", "date": "2022-09-24T08:00:00Z"])
    }

    @Test func seedsAsDOCX() throws {
        for name in Seeds.names {
            let paragraphs = try Seeds.paragraphs(name)
            let bytes = try DOCX.make(body: paragraphs.map(DOCX.paragraph).joined())
            let doc = try Extractor().extract(bytes, fileName: nil)
            #expect(doc.text == paragraphs.joined(separator: "\n"), "\(name)")
            #expect(doc.title == nil)
        }
    }

    @Test func heading1IsTheTitleWhenThereIsNoCoreTitle() throws {
        let body = DOCX.paragraph("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") + DOCX.paragraph("   ", style: "Heading1")
            + DOCX.paragraph("Chương trình phối hợp", style: "Heading1") + DOCX.paragraph("Điều 1", style: "Heading1")
        // Without styles.xml, the built-in id.
        #expect(try Extractor().extract(try DOCX.make(body: body), fileName: "a.docx").title == "Chương trình phối hợp")
        // The core title wins.
        let core = DOCX.coreXML(title: "Tiêu đề tài liệu", creator: nil, created: nil)
        #expect(try Extractor().extract(try DOCX.make(body: body, core: core), fileName: "a.docx").title == "Tiêu đề tài liệu")
        // An empty core title does not.
        let emptyCore = DOCX.coreXML(title: " ", creator: nil, created: nil)
        #expect(try Extractor().extract(try DOCX.make(body: body, core: emptyCore), fileName: "a.docx").title == "Chương trình phối hợp")
    }

    @Test func localisedHeadingStylesAreFoundThroughStylesXML() throws {
        // Vietnamese Word names the style "Đầu đề 1" on screen; its id is localised ("u1"), its
        // built-in name stays "heading 1".
        let styles = DOCX.stylesXML([("u1", "heading 1", nil), ("Tieude", "Tiêu đề riêng", 0), ("u2", "heading 2", 1)])
        let body = DOCX.paragraph("Mục lục", style: "u2") + DOCX.paragraph("Quyết định về quy chế", style: "u1")
        #expect(try Extractor().extract(try DOCX.make(body: body, styles: styles), fileName: "a.docx").title == "Quyết định về quy chế")
        let byOutline = DOCX.paragraph("Mục lục", style: "u2") + DOCX.paragraph("Kế hoạch năm 2024", style: "Tieude")
        #expect(try Extractor().extract(try DOCX.make(body: byOutline, styles: styles), fileName: "a.docx").title == "Kế hoạch năm 2024")
        let direct = "<w:p><w:pPr><w:outlineLvl w:val=\"0\"/></w:pPr><w:r><w:t>Thông báo</w:t></w:r></w:p>"
        #expect(try Extractor().extract(try DOCX.make(body: DOCX.paragraph("x") + direct), fileName: "a.docx").title == "Thông báo")
        // No heading at all: no title; a malformed styles.xml only costs the heading.
        #expect(try Extractor().extract(try DOCX.make(body: DOCX.paragraph("Mục lục", style: "u2"), styles: styles), fileName: "a.docx").title == nil)
        let broken = try DOCX.make(body: DOCX.paragraph("Quy chế", style: "u1"), styles: "<w:styles")
        let doc = try Extractor().extract(broken, fileName: "a.docx")
        #expect(doc.text == "Quy chế")
        #expect(doc.title == nil)
    }

    @Test func emptyTitleAndMissingCoreAreFine() throws {
        let bytes = try DOCX.make(body: DOCX.paragraph("nội dung"), core: DOCX.coreXML(title: " ", creator: nil, created: nil))
        let doc = try Extractor().extract(bytes, fileName: "a.docx")
        #expect(doc.title == nil)
        #expect(doc.properties.isEmpty)
    }

    @Test func zipThatIsNotADOCX() throws {
        let bytes = try Zip.make([("readme.txt", utf8("không phải docx")), ("word/styles.xml", utf8("<x/>"))])
        #expect(extractionFailure(bytes, fileName: "a.docx") == "not a DOCX: word/document.xml missing")
        #expect(extractionFailure(bytes, fileName: "a.zip") == "not a DOCX: word/document.xml missing")
    }

    @Test func notAZip() {
        #expect(extractionFailure(utf8("PK?? không phải zip"), fileName: "a.docx") == "not a valid DOCX: not a zip archive")
        #expect(extractionFailure([0x50, 0x4B, 0x03, 0x04] + [UInt8](repeating: 7, count: 40), fileName: "a.docx")
                == "not a valid DOCX: not a zip archive")
    }

    @Test func zipBombIsStoppedByTheDeclaredSize() throws {
        let bytes = try Zip.zeros(path: "word/document.xml", size: 8 << 20)
        #expect(bytes.count < 100_000)
        let small = Extractor(limits: ExtractionLimits(maxZipUncompressedBytes: 1 << 20))
        #expect(extractionFailure(bytes, fileName: "bom.docx", extractor: small) == "DOCX expands beyond the 1 MB limit (zip bomb?)")
    }

    @Test func zipBombThatLiesAboutItsSizeIsStoppedWhileInflating() throws {
        var bytes = try Zip.zeros(path: "word/document.xml", size: 8 << 20)
        let headers = try #require(Zip.headers(bytes, path: "word/document.xml"))
        // Claim 100 bytes in both the local header and the central directory.
        Zip.put32(&bytes, headers.local + 22, 100)
        Zip.put32(&bytes, headers.central + 24, 100)
        let small = Extractor(limits: ExtractionLimits(maxZipUncompressedBytes: 1 << 20))
        #expect(extractionFailure(bytes, fileName: "bom.docx", extractor: small) == "DOCX expands beyond the 1 MB limit (zip bomb?)")
    }

    @Test func defaultLimitIs200MB() throws {
        #expect(ExtractionLimits().maxZipUncompressedBytes == 200 * 1024 * 1024)
        // Declared sizes are checked before anything is inflated, so a small archive that
        // claims 201 MB shows the default limit without spending seconds on deflate.
        var bytes = try DOCX.make(body: DOCX.paragraph("nhỏ"))
        let headers = try #require(Zip.headers(bytes, path: "word/document.xml"))
        Zip.put32(&bytes, headers.local + 22, 201 << 20)
        Zip.put32(&bytes, headers.central + 24, 201 << 20)
        #expect(extractionFailure(bytes, fileName: "bom.docx") == "DOCX expands beyond the 200 MB limit (zip bomb?)")
        // 199 MB is allowed by the declaration (and then the real size is what counts).
        Zip.put32(&bytes, headers.local + 22, 199 << 20)
        Zip.put32(&bytes, headers.central + 24, 199 << 20)
        #expect(try Extractor().extract(bytes, fileName: "a.docx").text == "nhỏ")
    }

    @Test func encryptedEntryIsNamed() throws {
        var bytes = try DOCX.make(body: DOCX.paragraph("bí mật"))
        let headers = try #require(Zip.headers(bytes, path: "word/document.xml"))
        bytes[headers.local + 6] |= 1
        bytes[headers.central + 8] |= 1
        #expect(extractionFailure(bytes, fileName: "a.docx") == "not a readable DOCX: entry word/document.xml is encrypted")
    }

    @Test func corruptEntryIsNamed() throws {
        var bytes = try DOCX.make(body: String(repeating: DOCX.paragraph("hỏng dữ liệu"), count: 50))
        let headers = try #require(Zip.headers(bytes, path: "word/document.xml"))
        let dataStart = headers.local + 30 + "word/document.xml".utf8.count
        for i in (dataStart + 10)..<(dataStart + 40) { bytes[i] ^= 0x5A }
        let reason = extractionFailure(bytes, fileName: "a.docx") ?? ""
        #expect(reason.hasPrefix("not a valid DOCX: entry word/document.xml is corrupt"), "\(reason)")
    }

    @Test func malformedXMLIsAnError() throws {
        let bytes = try Zip.make([("word/document.xml", utf8("<w:document><w:body><w:p>"))])
        let reason = extractionFailure(bytes, fileName: "a.docx") ?? ""
        #expect(reason.hasPrefix("not a valid DOCX: word/document.xml is not well-formed XML (line "), "\(reason)")
    }

    @Test func documentWithoutTextIsAnError() throws {
        let bytes = try DOCX.make(body: "<w:p/><w:p><w:r><w:t>  </w:t></w:r></w:p>")
        #expect(extractionFailure(bytes, fileName: "a.docx") == "no text: the DOCX document has no text")
    }

    @Test func billionLaughsIsRefused() throws {
        let xml = """
            <?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\
            <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">\
            <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">\
            <!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;"><!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">]>\
            <w:document xmlns:w="\(DOCX.w)"><w:body><w:p><w:r><w:t>x&h;y</w:t></w:r></w:p></w:body></w:document>
            """
        let bytes = try Zip.make([("word/document.xml", utf8(xml))])
        let reason = extractionFailure(bytes, fileName: "a.docx") ?? ""
        #expect(reason.hasPrefix("not a valid DOCX: word/document.xml is not well-formed XML (line 1: "), "\(reason)")
    }

    @Test func userEntitiesAreNotExpanded() throws {
        let xml = """
            <?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "chèn vào">]>\
            <w:document xmlns:w="\(DOCX.w)"><w:body><w:p><w:r><w:t>x&a;y &amp; z</w:t></w:r></w:p></w:body></w:document>
            """
        let bytes = try Zip.make([("word/document.xml", utf8(xml))])
        #expect(try Extractor().extract(bytes, fileName: "a.docx").text == "xy & z")
    }

    @Test func concurrentExtractionIsSafe() throws {
        let inputs = try Seeds.names.map { name in
            try DOCX.make(body: Seeds.paragraphs(name).map(DOCX.paragraph).joined(),
                          core: DOCX.coreXML(title: name, creator: nil, created: nil))
        }
        let expected = try inputs.map { try Extractor().extract($0, fileName: "a.docx") }
        let results = ResultsBox(count: 100)
        DispatchQueue.concurrentPerform(iterations: 100) { i in
            results.set(i, try? Extractor().extract(inputs[i % inputs.count], fileName: "a.docx"))
        }
        for i in 0..<100 {
            #expect(results.get(i) == expected[i % inputs.count])
        }
    }
}

final class ResultsBox: @unchecked Sendable {
    private var values: [ExtractedDocument?]
    private let lock = NSLock()
    init(count: Int) { values = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ v: ExtractedDocument?) { lock.withLock { values[i] = v } }
    func get(_ i: Int) -> ExtractedDocument? { lock.withLock { values[i] } }
}
