import Foundation
import Testing
@testable import Extraction

@Suite(.enabled(if: PDF.pdftotextAvailable, "pdftotext is not installed (Debian package poppler-utils)"))
struct PDFTests {
    @Test func vietnameseTextLayer() throws {
        let lines = ["CHƯƠNG TRÌNH PHỐI HỢP", "Sở Thông tin và Truyền thông tỉnh Thanh Hóa", "Nghị định số 45/2010/NĐ-CP"]
        let bytes = PDF.make(lines: lines, title: "Chương trình phối hợp")
        let doc = try Extractor().extract(bytes, fileName: "van-ban.pdf")
        #expect(doc.mediaType == "application/pdf")
        #expect(doc.text == lines.joined(separator: "\n"))
        #expect(!doc.text.contains("\u{0C}"))
        #expect(doc.title == "Chương trình phối hợp")
        #expect(doc.properties["pages"] == "1")
    }

    @Test func pdfFoundByContentWithoutAName() throws {
        let doc = try Extractor().extract(PDF.make(lines: ["Thanh Hoá"]), fileName: nil)
        #expect(doc.mediaType == "application/pdf")
        #expect(doc.text == "Thanh Hoá")
        #expect(doc.title == nil)
    }

    static let noOCR = Extractor(limits: ExtractionLimits(ocr: OCRLimits(enabled: false)))

    @Test func noTextLayerWithoutOCR() {
        #expect(extractionFailure(PDF.make(lines: []), fileName: "scan.pdf", extractor: Self.noOCR)
                == "PDF has no text layer (scanned image?), and OCR is off (--no-ocr)")
    }

    @Test func digitsOnlyIsNoText() {
        #expect(extractionFailure(PDF.make(lines: ["12 34", "-- 5 --"]), fileName: "so.pdf", extractor: Self.noOCR)
                == "PDF has no text layer (scanned image?), and OCR is off (--no-ocr)")
    }

    @Test func unreadablePDF() {
        let reason = extractionFailure(utf8("%PDF-1.4\nkhông phải nội dung PDF\n"), fileName: "hong.pdf") ?? ""
        #expect(reason.hasPrefix("PDF could not be read: "), "\(reason)")
        #expect(reason.count > "PDF could not be read: ".count + 5)
    }

    @Test func timeoutKillsPdftotext() {
        let hasty = Extractor(limits: ExtractionLimits(pdfTimeoutSeconds: 0))
        #expect(extractionFailure(PDF.make(lines: ["Thanh Hoá"]), fileName: "a.pdf", extractor: hasty)
                == "PDF could not be read: pdftotext took longer than 0 s and was stopped")
    }

    @Test func concurrentPDFs() async throws {
        try await withThrowingTaskGroup(of: String.self) { group in
            for i in 0..<8 {
                group.addTask { try Extractor().extract(PDF.make(lines: ["Văn bản \(i)"]), fileName: "a.pdf").text }
            }
            var texts: Set<String> = []
            for try await text in group { texts.insert(text) }
            #expect(texts == Set((0..<8).map { "Văn bản \($0)" }))
        }
    }
}

@Test func missingPdftotextIsExplained() {
    do {
        _ = try PDFExtractor.extract(PDF.make(lines: ["Thanh Hoá"]), timeoutSeconds: 5, findTool: { _ in nil })
        Issue.record("expected an error")
    } catch {
        #expect(error.reason == "cannot extract PDF text: pdftotext not found (install the Debian package poppler-utils)")
    }
}
