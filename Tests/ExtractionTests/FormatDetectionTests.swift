import Foundation
import Testing
@testable import Extraction

@Suite struct FormatDetectionTests {
    static let text = utf8("Thanh Hoá: chương trình phối hợp\n")
    static let html = utf8("\u{FEFF}  \n<!DOCTYPE html><html><body><p>Thanh Hoá</p></body></html>")
    static let htmlTag = utf8("<HTML lang=vi><body>Hoá</body></HTML>")
    static let pdf = utf8("%PDF-1.4\n%...")
    static let zip: [UInt8] = [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00]
    static let ole: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0]

    enum Expect: Sendable, CustomStringConvertible {
        case format(DocumentFormat)
        case error(String)
        var description: String {
            switch self {
            case .format(let f): return f.rawValue
            case .error(let e): return "error: \(e)"
            }
        }
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var bytes: [UInt8]
        var fileName: String?
        var mediaType: String?
        var expect: Expect
        var testDescription: String { "\(fileName ?? "nil") / \(mediaType ?? "nil") -> \(expect)" }
    }

    static let cases: [Case] = [
        Case(bytes: text, fileName: "a.txt", mediaType: nil, expect: .format(.plainText)),
        Case(bytes: text, fileName: "a", mediaType: nil, expect: .format(.plainText)),
        Case(bytes: text, fileName: nil, mediaType: nil, expect: .format(.plainText)),
        Case(bytes: text, fileName: "A.MD", mediaType: nil, expect: .format(.markdown)),
        Case(bytes: text, fileName: "a.markdown", mediaType: nil, expect: .format(.markdown)),
        Case(bytes: text, fileName: "a.htm", mediaType: nil, expect: .format(.html)),
        Case(bytes: text, fileName: "a.HTML", mediaType: nil, expect: .format(.html)),
        Case(bytes: html, fileName: nil, mediaType: nil, expect: .format(.html)),
        Case(bytes: html, fileName: "trang.txt", mediaType: nil, expect: .format(.html)),
        Case(bytes: htmlTag, fileName: "page", mediaType: nil, expect: .format(.html)),
        Case(bytes: utf8("<htmlx>"), fileName: nil, mediaType: nil, expect: .format(.plainText)),
        Case(bytes: html, fileName: "a.md", mediaType: nil, expect: .format(.markdown)),
        Case(bytes: pdf, fileName: "a.pdf", mediaType: nil, expect: .format(.pdf)),
        Case(bytes: pdf, fileName: nil, mediaType: nil, expect: .format(.pdf)),
        Case(bytes: pdf, fileName: "mislabelled.txt", mediaType: nil, expect: .format(.pdf)),
        Case(bytes: zip, fileName: "a.docx", mediaType: nil, expect: .format(.docx)),
        Case(bytes: zip, fileName: nil, mediaType: nil, expect: .format(.docx)),
        Case(bytes: text, fileName: "a.pdf", mediaType: nil, expect: .error("not a valid PDF: the %PDF- header is missing")),
        Case(bytes: text, fileName: "a.docx", mediaType: nil, expect: .error("not a valid DOCX: not a zip archive")),
        Case(bytes: ole, fileName: "a.docx", mediaType: nil, expect: .error(Signature.oleAsDocxMessage)),
        Case(bytes: ole, fileName: "a.doc", mediaType: nil, expect: .format(.doc)),
        // An explicit media type chooses among the text formats ...
        Case(bytes: html, fileName: "a.html", mediaType: "text/plain", expect: .format(.plainText)),
        Case(bytes: text, fileName: "a.txt", mediaType: "text/markdown; charset=UTF-8", expect: .format(.markdown)),
        Case(bytes: text, fileName: nil, mediaType: "TEXT/HTML", expect: .format(.html)),
        Case(bytes: pdf, fileName: "x.bin", mediaType: "application/pdf", expect: .format(.pdf)),
        Case(bytes: zip, fileName: "x", mediaType: DocumentFormat.docx.mediaType, expect: .format(.docx)),
        // ... unknown ones are ignored ...
        Case(bytes: text, fileName: "a.md", mediaType: "application/octet-stream", expect: .format(.markdown)),
        Case(bytes: pdf, fileName: nil, mediaType: "", expect: .format(.pdf)),
        // ... and content that contradicts it is an error.
        Case(bytes: pdf, fileName: "a.txt", mediaType: "text/plain", expect: .error("declared as text/plain but the content is a PDF document")),
        Case(bytes: zip, fileName: nil, mediaType: "text/html; charset=utf-8", expect: .error("declared as text/html but the content is a zip archive")),
        Case(bytes: ole, fileName: nil, mediaType: "text/markdown", expect: .error("declared as text/markdown but the content is a binary Office file (OLE container)")),
        Case(bytes: text, fileName: "a.pdf", mediaType: "application/pdf", expect: .error("declared as application/pdf but the content is not a PDF (no %PDF- header)")),
        Case(bytes: pdf, fileName: "a.docx", mediaType: DocumentFormat.docx.mediaType, expect: .error("not a valid DOCX: not a zip archive")),
    ]

    @Test(arguments: cases)
    func detection(_ c: Case) {
        do {
            let format = try Extractor.detectFormat(c.bytes, fileName: c.fileName, mediaType: c.mediaType)
            guard case .format(let expected) = c.expect else {
                Issue.record("expected \(c.expect), got \(format)")
                return
            }
            #expect(format == expected)
            #expect(try Extractor.detectMediaType(c.bytes, fileName: c.fileName, mediaType: c.mediaType) == expected.mediaType)
        } catch {
            guard case .error(let reason) = c.expect else {
                Issue.record("expected \(c.expect), got error \(error.reason)")
                return
            }
            #expect(error.reason == reason)
        }
    }

    @Test func mediaTypesAreTheDocumentedOnes() {
        #expect(DocumentFormat.plainText.mediaType == "text/plain; charset=utf-8")
        #expect(DocumentFormat.markdown.mediaType == "text/markdown; charset=utf-8")
        #expect(DocumentFormat.html.mediaType == "text/html; charset=utf-8")
        #expect(DocumentFormat.docx.mediaType == "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        #expect(DocumentFormat.pdf.mediaType == "application/pdf")
    }

    @Test func textHintOnBinaryIsAnError() {
        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D]
        png += [UInt8](repeating: 0, count: 64)
        #expect(extractionFailure(png, fileName: "anh.png", mediaType: "text/plain") == "binary content (NUL byte at offset 8), not text")
    }
}
