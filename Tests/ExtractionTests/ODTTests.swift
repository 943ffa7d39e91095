import Foundation
import Testing
@testable import Extraction

enum ODT {
    static let office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    static let textNS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"

    static func content(_ body: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <office:document-content xmlns:office="\(office)" xmlns:text="\(textNS)" \
        xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" \
        xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" \
        xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.2">
        <office:automatic-styles><style:style xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" style:name="P1"><style:text-properties>không phải văn bản</style:text-properties></style:style></office:automatic-styles>
        <office:body><office:text>\(body)</office:text></office:body></office:document-content>
        """
    }

    static func meta(title: String?, creator: String? = nil) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <office:document-meta xmlns:office="\(office)" xmlns:dc="http://purl.org/dc/elements/1.1/" \
        xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" office:version="1.2"><office:meta>\
        \(title.map { "<dc:title>\(escapeXML($0))</dc:title>" } ?? "")\
        \(creator.map { "<meta:initial-creator>\(escapeXML($0))</meta:initial-creator>" } ?? "")\
        <meta:creation-date>2022-09-24T08:00:00</meta:creation-date></office:meta></office:document-meta>
        """
    }

    /// An ODT as LibreOffice writes it: "mimetype" first and stored, then the parts.
    static func make(body: String, meta: String? = nil, mimetype: String = "application/vnd.oasis.opendocument.text") throws -> [UInt8] {
        var entries: [(path: String, data: [UInt8])] = [("mimetype", utf8(mimetype)), ("content.xml", utf8(content(body)))]
        if let meta { entries.append(("meta.xml", utf8(meta))) }
        return try Zip.make(entries, compress: false)
    }

    static func paragraph(_ text: String) -> String { "<text:p>\(escapeXML(text))</text:p>" }
}

@Suite struct ODTTests {
    @Test func paragraphsHeadingsListsTablesAndSpaces() throws {
        let body = """
            <text:h text:outline-level="1">CHƯƠNG TRÌNH   PHỐI HỢP</text:h>
            <text:p>Căn cứ   Nghị định
              số <text:span>45/2010/NĐ-CP</text:span> của <text:a>Chính phủ</text:a>;</text:p>
            <text:p>Điều 1.<text:tab/>Quy định<text:s text:c="3"/>chung<text:line-break/>dòng mới<text:note><text:note-citation>1</text:note-citation><text:note-body><text:p>chú thích</text:p></text:note-body></text:note></text:p>
            <text:list><text:list-item><text:p>Sở Thông tin và Truyền thông</text:p></text:list-item>\
            <text:list-item><text:list><text:list-item><text:p>Hiệp hội Doanh nghiệp tỉnh Thanh Hoá</text:p></text:list-item></text:list></text:list-item></text:list>
            <table:table><table:table-row><table:table-cell><text:p>Số hiệu</text:p></table:table-cell>\
            <table:table-cell><text:p>21/4/2010</text:p><text:p>(ngày ban hành)</text:p></table:table-cell></table:table-row></table:table>
            <text:tracked-changes><text:changed-region><text:deletion><text:p>đã xoá</text:p></text:deletion></text:changed-region></text:tracked-changes>
            <text:p><office:annotation><dc:creator>người duyệt</dc:creator><text:p>ghi chú</text:p></office:annotation>Nơi nhận:<text:s/></text:p>
            """
        let bytes = try ODT.make(body: body, meta: ODT.meta(title: "  Chương trình  phối hợp ", creator: "Sở TT&TT Thanh Hóa"))
        let doc = try Extractor().extract(bytes, fileName: "chuong-trinh.odt")
        #expect(doc.mediaType == "application/vnd.oasis.opendocument.text")
        #expect(doc.text == """
            CHƯƠNG TRÌNH PHỐI HỢP
            Căn cứ Nghị định số 45/2010/NĐ-CP của Chính phủ;
            Điều 1.\tQuy định   chung
            dòng mới
            Sở Thông tin và Truyền thông
            Hiệp hội Doanh nghiệp tỉnh Thanh Hoá
            Số hiệu
            21/4/2010
            (ngày ban hành)
            Nơi nhận:
            """)
        #expect(doc.title == "Chương trình phối hợp")
        #expect(doc.properties == ["author": "Sở TT&TT Thanh Hóa", "date": "2022-09-24T08:00:00"])
    }

    @Test func firstLevelOneHeadingIsTheTitleWithoutAMetaTitle() throws {
        let body = "<text:p>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</text:p><text:h text:outline-level=\"2\">Mục 1</text:h>"
            + "<text:h text:outline-level=\"1\">  </text:h><text:h text:outline-level=\"1\">Quy chế phối hợp</text:h><text:h>Chương II</text:h>"
        #expect(try Extractor().extract(try ODT.make(body: body, meta: ODT.meta(title: nil)), fileName: "a.odt").title == "Quy chế phối hợp")
        #expect(try Extractor().extract(try ODT.make(body: body), fileName: "a.odt").title == "Quy chế phối hợp")
        #expect(try Extractor().extract(try ODT.make(body: ODT.paragraph("nội dung")), fileName: "a.odt").title == nil)
    }

    @Test func seedsAsODTWhateverTheirForm() throws {
        for name in Seeds.names {
            let paragraphs = try Seeds.paragraphs(name)
            let nfd = paragraphs.map { $0.decomposedStringWithCanonicalMapping }
            let doc = try Extractor().extract(try ODT.make(body: nfd.map(ODT.paragraph).joined()), fileName: nil)
            #expect(doc.mediaType == "application/vnd.oasis.opendocument.text", "\(name)")
            #expect(doc.text == nfd.joined(separator: "\n"), "\(name): the text is kept as written (NFD here)")
        }
    }

    @Test func foundByItsMimetypeEntryEvenWhenNamedDOCX() throws {
        let bytes = try ODT.make(body: ODT.paragraph("Thanh Hóa"))
        for name in [nil, "a.docx", "a.zip", "a.odt"] as [String?] {
            #expect(try Extractor().extract(bytes, fileName: name).mediaType == "application/vnd.oasis.opendocument.text", "\(name ?? "nil")")
        }
        #expect(try Extractor().extract(bytes, fileName: nil, mediaType: DocumentFormat.docx.mediaType).text == "Thanh Hóa")
    }

    @Test func otherOpenDocumentKindsAreNamed() throws {
        let sheet = try ODT.make(body: ODT.paragraph("x"), mimetype: "application/vnd.oasis.opendocument.spreadsheet")
        #expect(extractionFailure(sheet, fileName: "bang.ods")
                == "not an ODT text document: the package is an OpenDocument spreadsheet (.ods); only OpenDocument text (.odt) is read")
    }

    @Test func zipsThatAreNotODT() throws {
        #expect(extractionFailure(try Zip.make([("readme.txt", utf8("không"))]), fileName: "a.odt") == "not an ODT: content.xml missing")
        #expect(extractionFailure(utf8("PK không phải zip"), fileName: "a.odt") == "not a valid ODT: not a zip archive")
        #expect(extractionFailure(utf8("Thanh Hóa"), fileName: "a.odt") == "not a valid ODT: not a zip archive")
        #expect(extractionFailure(utf8("Thanh Hóa"), fileName: nil, mediaType: "application/vnd.oasis.opendocument.text")
                == "not a valid ODT: not a zip archive")
    }

    @Test func truncatedODTIsAClearError() throws {
        let bytes = try ODT.make(body: try Seeds.paragraphs(Seeds.names[1]).map(ODT.paragraph).joined(), meta: ODT.meta(title: "x"))
        for length in stride(from: 0, to: bytes.count, by: max(1, bytes.count / 40)) {
            let reason = extractionFailure(Array(bytes[..<length]), fileName: "cut.odt") ?? ""
            #expect(reason.hasPrefix("not a valid ODT") || reason.hasPrefix("not an ODT") || reason.hasPrefix("no text"), "\(length): \(reason)")
        }
    }

    @Test func malformedContentAndNoText() throws {
        #expect(extractionFailure(try Zip.make([("content.xml", utf8("<office:document-content><x>"))]), fileName: "a.odt")?
            .hasPrefix("not a valid ODT: content.xml is not well-formed XML") == true)
        #expect(extractionFailure(try ODT.make(body: "<text:p> <text:s/> </text:p>"), fileName: "a.odt") == "no text: the ODT document has no text")
    }

    @Test func passwordProtectedIsNamed() throws {
        let manifest = "<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\"><manifest:file-entry manifest:full-path=\"content.xml\"><manifest:encryption-data/></manifest:file-entry></manifest:manifest>"
        let bytes = try Zip.make([("mimetype", utf8("application/vnd.oasis.opendocument.text")),
                                  ("content.xml", [0x8F, 0x12, 0x00, 0xFE]), ("META-INF/manifest.xml", utf8(manifest))], compress: false)
        #expect(extractionFailure(bytes, fileName: "mat.odt") == "not a readable ODT: it is password-protected (content.xml is encrypted)")
    }

    @Test func zipBombIsStoppedByTheDeclaredSize() throws {
        let big = utf8(ODT.content(String(repeating: "<text:p>Thanh Hóa</text:p>", count: 80_000)))
        let bytes = try Zip.make([("content.xml", big)])
        let small = Extractor(limits: ExtractionLimits(maxZipUncompressedBytes: 1 << 20))
        #expect(extractionFailure(bytes, fileName: "bom.odt", extractor: small) == "ODT expands beyond the 1 MB limit (zip bomb?)")
    }

    @Test func zipBombThatLiesAboutItsSizeIsStoppedWhileInflating() throws {
        var bytes = try Zip.zeros(path: "content.xml", size: 8 << 20)
        let h = try #require(Zip.headers(bytes, path: "content.xml"))
        Zip.put32(&bytes, h.local + 22, 100)   // declared uncompressed size: 100 bytes
        Zip.put32(&bytes, h.central + 24, 100)
        let small = Extractor(limits: ExtractionLimits(maxZipUncompressedBytes: 1 << 20))
        #expect(extractionFailure(bytes, fileName: "bom.odt", extractor: small) == "ODT expands beyond the 1 MB limit (zip bomb?)")
    }

    @Test func billionLaughsIsNotExpanded() throws {
        let xml = """
            <?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "haha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\
            <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>\
            <office:document-content xmlns:office="\(ODT.office)" xmlns:text="\(ODT.textNS)"><office:body><office:text>\
            <text:p>Thanh Hóa &d;</text:p></office:text></office:body></office:document-content>
            """
        // libxml2 refuses the entity loop outright; either way nothing is expanded.
        let reason = extractionFailure(try Zip.make([("content.xml", utf8(xml))]), fileName: "a.odt") ?? ""
        #expect(reason.hasPrefix("not a valid ODT: content.xml is not well-formed XML"), "\(reason)")
    }
}
