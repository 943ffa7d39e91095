import Foundation
import Synchronization
import Testing
@testable import Extraction

enum OCRTools {
    static var available: Bool {
        Executables.find("pdftotext") != nil && Executables.find("pdftoppm") != nil && Executables.find("tesseract") != nil
            && FileManager.default.fileExists(atPath: "/usr/share/tesseract-ocr/5/tessdata/vie.traineddata")
    }
}

/// A cache in memory, counting what was kept.
final class MemoryCache: Sendable {
    let kept = Mutex<[UInt8]?>(nil)
    let stores = Mutex(0)
    var cache: DerivedTextCache {
        DerivedTextCache(load: { self.kept.withLock { $0 } },
                         store: { bytes in self.kept.withLock { $0 = bytes }; self.stores.withLock { $0 += 1 } })
    }
}

/// `scanned.pdf` is an image-only PDF (no text layer): `scanned.fodt` beside it rendered by
/// LibreOffice to PDF, rasterised at 150 dpi in black and white (pdftoppm -mono) and wrapped
/// as a PDF of that image alone (img2pdf), as a scanner makes one.
@Suite(.enabled(if: OCRTools.available, "OCR needs pdftoppm and tesseract with its Vietnamese model (Debian packages poppler-utils, tesseract-ocr, tesseract-ocr-vie)"))
struct OCRTests {
    static let scannedLines = [
        "CHƯƠNG TRÌNH PHỐI HỢP",
        "Sở Thông tin và Truyền thông tỉnh Thanh Hóa",
        "Hiệp hội Doanh nghiệp tỉnh ký kết chương trình phối hợp truyền thông.",
    ]

    @Test func scannedPageIsReadInVietnamese() throws {
        let bytes = try FormatFixtures.bytes("scanned.pdf")
        let memory = MemoryCache()
        let doc = try Extractor().extract(bytes, fileName: "scan.pdf", cache: memory.cache)
        #expect(TextCleanup.collapseWhitespace(doc.text) == Self.scannedLines.joined(separator: " "))
        #expect(doc.mediaType == "application/pdf")
        #expect(doc.derived.ocr == "true")
        #expect(doc.derived.ocrPages == "1")
        let confidence = try #require(doc.derived.ocrConfidence.flatMap(Double.init))
        #expect(confidence > 80 && confidence <= 100)
        #expect(memory.stores.withLock { $0 } == 1)

        // Extracted again with the cache: the same text, and no program is run (none is found).
        let again = try PDFExtractor.extract(bytes, timeoutSeconds: 60, cache: memory.cache,
                                             findTool: { $0 == "pdftotext" ? Executables.find($0) : nil })
        #expect(again.text == doc.text)
        #expect(again.derived == doc.derived)
        #expect(memory.stores.withLock { $0 } == 1)
    }

    @Test func noOCRLeavesTheScanUnread() throws {
        let bytes = try FormatFixtures.bytes("scanned.pdf")
        let off = Extractor(limits: ExtractionLimits(ocr: OCRLimits(enabled: false)))
        #expect(extractionFailure(bytes, fileName: "scan.pdf", extractor: off) == "PDF has no text layer (scanned image?), and OCR is off (--no-ocr)")
        // The record's media type carries the choice: extracting again keeps OCR off.
        #expect(extractionFailure(bytes, fileName: "scan.pdf", mediaType: "application/pdf; ocr=off")
                == "PDF has no text layer (scanned image?), and OCR is off (--no-ocr)")
        // A PDF with a text page and a blank one: imported from its text, marked ocr=off.
        let mixed = PDF.make(pages: [["Nghị định số 45/2010/NĐ-CP của Chính phủ quy định chi tiết"], []])
        let doc = try off.extract(mixed, fileName: "a.pdf")
        #expect(doc.text == "Nghị định số 45/2010/NĐ-CP của Chính phủ quy định chi tiết")
        #expect(doc.mediaType == "application/pdf; ocr=off")
        #expect(doc.derived.ocr == nil)
        #expect(try Extractor().extract(mixed, fileName: "a.pdf", mediaType: doc.mediaType) == doc)
    }

    @Test func textPagesAreNotReadByOCR() throws {
        let lines = ["CHƯƠNG TRÌNH PHỐI HỢP", "Sở Thông tin và Truyền thông tỉnh Thanh Hóa"]
        let doc = try Extractor().extract(PDF.make(lines: lines), fileName: "a.pdf", cache: MemoryCache().cache)
        #expect(doc.text == lines.joined(separator: "\n"))
        #expect(doc.derived.isEmpty)
        #expect(doc.mediaType == "application/pdf")
    }

    @Test func manyBlankPagesStopAtThePageBound() throws {
        let blank = PDF.make(pages: Array(repeating: [], count: 12))
        let bounded = Extractor(limits: ExtractionLimits(ocr: OCRLimits(maxPages: 3)))
        #expect(extractionFailure(blank, fileName: "trang.pdf", extractor: bounded)
                == "PDF has no text: no text layer, and OCR found no text on its 12 pages; OCR stopped at the bound of 3 pages read by OCR per document after 3 of 12 pages")
        // Under the bound, a blank page costs no Tesseract run and yields no text.
        #expect(extractionFailure(PDF.make(pages: [[], []]), fileName: "trang.pdf")
                == "PDF has no text: no text layer, and OCR found no text on its 2 pages")
    }

    @Test func theDocumentTimeBoundGivesABoundedPartialResult() throws {
        let pages: [[String]] = [["Nghị định số 45/2010/NĐ-CP của Chính phủ quy định chi tiết"]] + Array(repeating: [], count: 5)
        let hasty = Extractor(limits: ExtractionLimits(ocr: OCRLimits(documentTimeoutSeconds: 0)))
        let memory = MemoryCache()
        let doc = try hasty.extract(PDF.make(pages: pages), fileName: "a.pdf", cache: memory.cache)
        #expect(doc.text == "Nghị định số 45/2010/NĐ-CP của Chính phủ quy định chi tiết")
        #expect(doc.derived.ocrPages == "0/5")
        #expect(doc.derived.ocr == nil)
        // The partial result is kept: extracting again gives the same, bounded, answer.
        let cached = try #require(memory.kept.withLock { $0 })
        let result = try JSONDecoder().decode(OCRResult.self, from: Data(cached))
        #expect(result.stopped == "the time bound of 0 s of OCR per document")
        #expect(try Extractor().extract(PDF.make(pages: pages), fileName: "a.pdf", cache: memory.cache) == doc)
    }

    @Test func anUnreadableCacheEntryIsComputedAgain() throws {
        let memory = MemoryCache()
        memory.kept.withLock { $0 = Array("{không phải json".utf8) }
        #expect(extractionFailure(PDF.make(pages: [[]]), fileName: "a.pdf", extractor: Extractor())
                == "PDF has no text: no text layer, and OCR found no text on its 1 page")
        do {
            _ = try Extractor().extract(PDF.make(pages: [[]]), fileName: "a.pdf", cache: memory.cache)
        } catch {
            #expect(error.kind == .empty)
        }
        #expect(memory.stores.withLock { $0 } == 1)
        let kept = try #require(memory.kept.withLock { $0 })
        #expect(try JSONDecoder().decode(OCRResult.self, from: Data(kept)).wanted == [1])
    }
}

@Test func missingTesseractNamesTheDebianPackages() throws {
    guard Executables.find("pdftotext") != nil else { return }
    let pdf = PDF.make(pages: [[]])
    do {
        _ = try PDFExtractor.extract(pdf, timeoutSeconds: 30, findTool: { $0 == "tesseract" ? nil : Executables.find($0) })
        Issue.record("expected an error")
    } catch {
        #expect(error.kind == .toolMissing)
        #expect(error.reason == "cannot read the scanned pages of this PDF: tesseract not found (install the Debian packages tesseract-ocr and tesseract-ocr-vie), or import with --no-ocr")
    }
}

@Test func tesseractTSVBecomesLinesAndConfidence() {
    let tsv = """
        level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext
        1\t1\t0\t0\t0\t0\t0\t0\t100\t100\t-1\t
        5\t1\t1\t1\t1\t1\t0\t0\t1\t1\t96.5\tCỘNG
        5\t1\t1\t1\t1\t2\t0\t0\t1\t1\t93.5\tHÒA
        5\t1\t1\t1\t2\t1\t0\t0\t1\t1\t90\tThanh
        5\t1\t1\t1\t2\t2\t0\t0\t1\t1\t80\tHoa\u{0301}
        5\t1\t2\t1\t1\t1\t0\t0\t1\t1\t-1\t
        5\t1\t2\t1\t1\t2\t0\t0\t1\t1\t40\tĐiều
        """
    let page = TesseractTSV.page(3, tsv)
    #expect(page.text == "CỘNG HÒA\nThanh Hoá\n\nĐiều")
    #expect(page.words == 5)
    #expect(page.confidenceSum == 400)
    #expect(OCRResult(engine: "t", pages: [page], wanted: [3]).meanConfidence == 80)
}

@Test func blankRasterDetection() {
    let white = Data(Array("P5\n# made by a test\n4 2\n255\n".utf8) + [UInt8](repeating: 255, count: 8))
    var inked = [UInt8](white)
    inked[inked.count - 3] = 20
    #expect(PDFOCR.isBlank(white))
    #expect(!PDFOCR.isBlank(Data(inked)))
    #expect(!PDFOCR.isBlank(Data("P6\n1 1\n255\n\u{0}\u{0}\u{0}".utf8)))
}
