import Foundation
import Testing
@testable import Extraction

/// Word 97-2003. `van-ban.doc` was saved by LibreOffice 7.4 from `van-ban.fodt` beside it
/// (`soffice --headless --convert-to doc van-ban.fodt`): a heading, a legal basis, a tab and a
/// line break, a list, a table, a page-number field, and document properties.
@Suite struct DOCTests {
    static let expectedText = """
        CHƯƠNG TRÌNH PHỐI HỢP
        Căn cứ Nghị định số 45/2010/NĐ-CP của Chính phủ;
        Điều 1.\tQuy định chung
        dòng mới: Thanh Hoá và Đà Nẵng
        Sở Thông tin và Truyền thông
        Hiệp hội Doanh nghiệp tỉnh
        Số hiệu
        Ngày ban hành

        45/2010/NĐ-CP
        21/4/2010

        Trang 1; Nơi nhận: Như trên.
        """

    @Test func wordDocumentTextTitleAndProperties() throws {
        let doc = try Extractor().extract(try FormatFixtures.bytes("van-ban.doc"), fileName: "van-ban.doc")
        #expect(doc.mediaType == "application/msword")
        #expect(doc.text == Self.expectedText)
        #expect(doc.title == "Chương trình phối hợp truyền thông Thanh Hóa")
        #expect(doc.properties["author"] == "Sở TT&TT Thanh Hóa")
        #expect(doc.properties["subject"] == "Phối hợp truyền thông")
    }

    @Test func foundByContentWhateverTheName() throws {
        let bytes = try FormatFixtures.bytes("van-ban.doc")
        for name in [nil, "upload", "van-ban.bin", "van-ban.txt"] as [String?] {
            #expect(try Extractor().extract(bytes, fileName: name).text == Self.expectedText, "\(name ?? "nil")")
        }
        #expect(try Extractor().extract(bytes, fileName: nil, mediaType: "application/msword").mediaType == "application/msword")
    }

    @Test func realUnicodeTextHasNoEightBitView() throws {
        let container = try CompoundFile(try FormatFixtures.bytes("van-ban.doc"))
        #expect(try WordPieces(container).eightBitBytes == nil)
    }

    @Test func otherOLEFilesAreNamed() {
        let workbook = CFB.make([("Workbook", [UInt8](repeating: 9, count: 700)), ("\u{5}SummaryInformation", [0, 0])])
        #expect(extractionFailure(workbook, fileName: "bang.xls")
                == "an Excel 97-2003 workbook (.xls) is not supported; only Word 97-2003 documents (.doc) are read from OLE files")
        #expect(extractionFailure(workbook, fileName: "bang.doc")
                == "an Excel 97-2003 workbook (.xls) is not supported; only Word 97-2003 documents (.doc) are read from OLE files")
        let slides = CFB.make([("PowerPoint Document", [1, 2, 3])])
        #expect(extractionFailure(slides, fileName: nil)?.hasPrefix("a PowerPoint 97-2003 presentation (.ppt) is not supported") == true)
        let encrypted = CFB.make([("EncryptionInfo", [1]), ("EncryptedPackage", [2])])
        #expect(extractionFailure(encrypted, fileName: "a.doc")?.hasPrefix("a password-protected Office file (encrypted DOCX/XLSX) is not supported") == true)
        #expect(extractionFailure(CFB.make([]), fileName: "a.doc")
                == "an OLE compound file that is not a Word document is not supported; only Word 97-2003 documents (.doc) are read from OLE files")
    }

    @Test func aWordDocumentStreamThatIsNotWord() {
        let bytes = CFB.make([("WordDocument", Array("Văn bản giả mạo, không phải Word".utf8) + [UInt8](repeating: 0, count: 600))])
        #expect(extractionFailure(bytes, fileName: "a.doc") == "not a valid Word 97-2003 document: the WordDocument stream has no Word header (wIdent)")
        let short = CFB.make([("WordDocument", [0xEC, 0xA5, 0xC1, 0x00])])
        #expect(extractionFailure(short, fileName: "a.doc") == "not a valid Word 97-2003 document: the WordDocument stream is too short for its header (truncated?)")
    }

    /// The FIB's offset in the fixture: the WordDocument stream starts on a sector boundary with wIdent.
    static func fibOffset(_ bytes: [UInt8]) -> Int? {
        stride(from: 512, to: bytes.count - 2, by: 512).first { bytes[$0] == 0xEC && bytes[$0 + 1] == 0xA5 }
    }

    @Test func encryptedAndWord95AreExplained() throws {
        var bytes = try FormatFixtures.bytes("van-ban.doc")
        let fib = try #require(Self.fibOffset(bytes))
        var encrypted = bytes
        encrypted[fib + 0x0B] |= 0x01
        #expect(extractionFailure(encrypted, fileName: "a.doc") == "not a readable Word 97-2003 document: it is password-protected (encrypted)")
        bytes[fib + 2] = 0x68
        bytes[fib + 3] = 0x00
        #expect(extractionFailure(bytes, fileName: "a.doc")
                == "a Word 6/95 document (format version 104) is not supported; open it in Word or LibreOffice and save it as DOCX")
    }

    @Test func truncatedAtEveryPointIsAClearError() throws {
        let bytes = try FormatFixtures.bytes("van-ban.doc")
        for length in stride(from: 0, to: bytes.count, by: 97) {
            let reason = extractionFailure(Array(bytes[..<length]), fileName: "cut.doc") ?? ""
            // Shorter than the OLE signature, the bytes are not recognisable as Word at all.
            if length >= 8 {
                #expect(reason.hasPrefix("not a valid Word 97-2003 document: "), "\(length): \(reason)")
            } else {
                #expect(!reason.isEmpty, "\(length)")
            }
        }
    }

    @Test func aSectorChainThatLoopsIsRefusedNotFollowed() throws {
        var bytes = try FormatFixtures.bytes("van-ban.doc")
        // The FAT's first sector (header 0x4C); make every entry point at sector 0.
        let fatSector = Int(bytes[0x4C]) | Int(bytes[0x4D]) << 8 | Int(bytes[0x4E]) << 16 | Int(bytes[0x4F]) << 24
        let fat = (fatSector + 1) * 512
        for k in 0..<128 where k != fatSector { for b in 0..<4 { bytes[fat + 4 * k + b] = 0 } }
        let reason = extractionFailure(bytes, fileName: "loop.doc") ?? ""
        #expect(reason.hasPrefix("not a valid Word 97-2003 document: "), "\(reason)")
    }

    @Test func flippedBytesNeverCrash() throws {
        let original = try FormatFixtures.bytes("van-ban.doc")
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func random(_ n: Int) -> Int { state = state &* 6364136223846793005 &+ 1442695040888963407; return Int(state >> 33) % n }
        var errors = 0, texts = 0
        for _ in 0..<150 {
            var bytes = original
            for _ in 0..<8 { bytes[512 + random(bytes.count - 512)] = UInt8(random(256)) }
            do {
                let doc = try Extractor().extract(bytes, fileName: "f.doc")
                #expect(!doc.text.isEmpty)
                texts += 1
            } catch {
                #expect(!error.reason.isEmpty)
                errors += 1
            }
        }
        #expect(errors + texts == 150)
    }

    @Test func declaredAsWordButNotOLE() {
        #expect(extractionFailure(utf8("Nghị định 45/2010/NĐ-CP"), fileName: "a.doc", mediaType: "application/msword")
                == "declared as application/msword but the content is not a Word 97-2003 file (no OLE signature D0 CF 11 E0)")
    }

    @Test func aDocThatIsReallyAPDFOrTextIsReadAsWhatItIs() throws {
        #expect(try Extractor().extract(utf8("Thanh Hoá, ngày 24/9"), fileName: "ghi-chu.doc").text == "Thanh Hoá, ngày 24/9")
        #expect(try Extractor().extract(utf8("Thanh Hoá, ngày 24/9"), fileName: "ghi-chu.doc").mediaType == "text/plain; charset=utf-8")
    }

    @Test func summaryInformationDates() {
        // 2009-03-05T08:30:00Z as a FILETIME.
        let seconds: UInt64 = 1_236_241_800 + 11_644_473_600
        #expect(SummaryInformation.isoDate(fileTime: seconds * 10_000_000) == "2009-03-05T08:30:00Z")
        #expect(SummaryInformation.isoDate(fileTime: 0) == nil)
    }

    @Test func windows1252RoundTrip() {
        for b in UInt8(0)...UInt8(255) {
            #expect(Windows1252.byte(UInt16(Windows1252.scalar(b).value)) == b)
        }
        #expect(Windows1252.decode([0x93, 0x54, 0x94, 0x80]) == "\u{201C}T\u{201D}€")
    }
}
