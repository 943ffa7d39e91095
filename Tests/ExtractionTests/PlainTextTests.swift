import Foundation
import Testing
@testable import Extraction

@Suite struct PlainTextTests {
    @Test(arguments: Seeds.names)
    func seedRoundTripsAsText(name: String) throws {
        let bytes = try Seeds.bytes(name)
        let doc = try Extractor().extract(bytes, fileName: name)
        #expect(doc.mediaType == "text/plain; charset=utf-8")
        #expect(doc.text == String(decoding: bytes, as: UTF8.self))
        #expect(Array(doc.text.utf8) == bytes)
        #expect(doc.title == nil)
        #expect(doc.properties.isEmpty)
    }

    @Test func seedWithoutExtensionAndWithUnknownExtensionIsText() throws {
        let bytes = try Seeds.bytes(Seeds.names[2])
        for name: String? in [nil, "README", "ghi-chu.csv", "/tmp/a.b/van-ban"] {
            let doc = try Extractor().extract(bytes, fileName: name)
            #expect(doc.mediaType == "text/plain; charset=utf-8", "file name \(name ?? "nil")")
            #expect(Array(doc.text.utf8) == bytes)
        }
    }

    @Test func leadingBOMIsDropped() throws {
        let doc = try Extractor().extract([0xEF, 0xBB, 0xBF] + utf8("Thanh Hoá\n"), fileName: "a.txt")
        #expect(doc.text == "Thanh Hoá\n")
        #expect(doc.text.unicodeScalars.first == "T")
    }

    @Test func crlfAndLoneCRBecomeLF() throws {
        let seed = try Seeds.text(Seeds.names[0])
        let crlf = seed.replacingOccurrences(of: "\n", with: "\r\n")
        let doc = try Extractor().extract(utf8(crlf), fileName: "crlf.txt")
        #expect(doc.text == seed)
        #expect(!doc.text.contains("\r"))

        let mixed = try Extractor().extract(utf8("một\r\nhai\rba\n\rbốn"), fileName: "x.txt")
        #expect(mixed.text == "một\nhai\nba\n\nbốn")
    }

    @Test func invalidUTF8InSeedNamesTheOffset() throws {
        var bytes = try Seeds.bytes(Seeds.names[0])
        #expect(bytes.count > 2000)
        // Find a position at the start of a character near 1234 so the rest stays valid.
        var offset = 1234
        while (bytes[offset] & 0xC0) == 0x80 { offset += 1 }
        bytes.insert(0xFF, at: offset)
        let reason = extractionFailure(bytes, fileName: "hong.txt")
        // The rest is UTF-8: damaged, not converted from another encoding.
        #expect(reason == "invalid UTF-8 at byte \(offset) (0xFF); the rest of the file is UTF-8, so it looks damaged rather than in another encoding")
    }

    @Test(arguments: [
        // (bytes, offset of the first bad sequence)
        ([0x61, 0x80], 1),                          // lone continuation byte
        ([0x61, 0x62, 0xC3], 2),                    // truncated 2-byte sequence at the end
        ([0xC3, 0x41], 0),                          // lead byte followed by ASCII
        ([0xC0, 0x80], 0),                          // overlong NUL
        ([0xE0, 0x80, 0x80], 0),                    // overlong 3-byte
        ([0x41, 0xED, 0xA0, 0x80], 1),              // UTF-16 surrogate
        ([0xF4, 0x90, 0x80, 0x80], 0),              // beyond U+10FFFF
        ([0xE1, 0xBB, 0x91, 0xE1, 0xBB], 3),        // "ố" then a truncated "ố"
        ([0xF8, 0x88, 0x80, 0x80, 0x80], 0),        // 5-byte form
    ] as [([UInt8], Int)])
    func invalidUTF8Offsets(bytes: [UInt8], offset: Int) {
        #expect(PlainText.firstInvalidUTF8Offset(bytes) == offset)
        let reason = extractionFailure(bytes, fileName: "x.txt")
        #expect(reason?.hasPrefix("invalid UTF-8 at byte \(offset) ") == true, "\(reason ?? "")")
    }

    @Test func offsetScannerAgreesWithTheStandardLibrary() {
        var generator = SystemRandomNumberGenerator()
        let alphabet: [UInt8] = [0x41, 0x0A, 0x80, 0xBF, 0xC2, 0xC3, 0xDF, 0xE0, 0xE1, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF, 0xA0, 0x90]
        for _ in 0..<3000 {
            let length = Int.random(in: 0...12, using: &generator)
            let bytes = (0..<length).map { _ in alphabet.randomElement(using: &generator)! }
            let valid = String(validating: bytes, as: UTF8.self) != nil
            let offset = PlainText.firstInvalidUTF8Offset(bytes)
            #expect(valid == (offset == nil), "\(bytes)")
            if let offset {
                #expect(String(validating: bytes[..<offset], as: UTF8.self) != nil, "\(bytes)")
            }
        }
    }

    @Test func nulByteIsBinary() throws {
        var bytes = utf8("Sở Thông tin và Truyền thông")
        let offset = bytes.count
        bytes += [0x00, 0x01, 0x02] + utf8("tiếp")
        #expect(extractionFailure(bytes, fileName: "anh.txt") == "binary content (NUL byte at offset \(offset)), not text")
    }

    @Test func strayNulFarIntoARealTextIsDroppedFromTheText() throws {
        // Gazette texts extracted from PDF carry the odd NUL deep inside (the corpus has three).
        let line = utf8("Điều 1. Phạm vi điều chỉnh và đối tượng áp dụng của Thông tư này.\n")
        var bytes: [UInt8] = []
        while bytes.count < 20_000 { bytes += line }
        bytes += [0x00] + line
        let document = try Extractor().extract(bytes, fileName: "thong-tu.txt")
        #expect(!document.text.utf8.contains(0))
        #expect(document.text.utf8.count == bytes.count - 1)
    }

    @Test func controlCharactersAreBinary() {
        var bytes: [UInt8] = []
        for i in 0..<400 { bytes.append(i % 3 == 0 ? UInt8(1 + i % 7) : 0x61) }
        let reason = extractionFailure(bytes, fileName: "x.txt") ?? ""
        #expect(reason.hasPrefix("binary content ("), "\(reason)")
        #expect(reason.hasSuffix("control characters in the first 400 bytes), not text"))
    }

    @Test func aFewControlCharactersAreStillText() throws {
        let text = "Điều 1.\u{0B}Quy định chung\u{0C}\n\u{1B}[0m" + String(repeating: "văn bản ", count: 20)
        let doc = try Extractor().extract(utf8(text), fileName: "x.txt")
        #expect(doc.text == text)
    }

    @Test(arguments: [
        ([], "the file is empty"),
        (Array("   \n\t\r\n  ".utf8), "no text: the file contains only whitespace"),
        ([0xEF, 0xBB, 0xBF], "no text: the file contains only whitespace"),
        (Array("\u{00A0}\u{3000}\n\u{200B}".utf8), "no text: the file contains only whitespace"),
    ] as [([UInt8], String)])
    func emptyInputs(bytes: [UInt8], reason: String) {
        #expect(extractionFailure(bytes, fileName: "rong.txt") == reason)
    }

    @Test func utf16WithABOMIsConverted() throws {
        let bytes: [UInt8] = [0xFF, 0xFE] + Array("Hoá".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
        let doc = try Extractor().extract(bytes, fileName: "u16.txt")
        #expect(doc.text == "Hoá")
        #expect(doc.conversion == TextConversion(encoding: .utf16LE, confidence: 1))
        #expect(doc.mediaType == "text/plain; charset=utf-16le")
    }

    @Test func bulkDecodingKeepsEveryByte() throws {
        // About 40 MB of real Vietnamese text in 3-16 KB documents, like a bulk import.
        var seeds: [[UInt8]] = []
        for name in Seeds.names { seeds.append(try Seeds.bytes(name)) }
        let docs = (0..<4500).map { seeds[$0 % seeds.count] }
        let total = docs.reduce(0) { $0 + $1.count }
        var characters = 0
        for doc in docs {
            characters += try Extractor().extract(doc, fileName: "a.txt").text.utf8.count
        }
        // Every byte comes back (the speed is measured by scripts/bench/bench-import).
        #expect(characters == total)
    }
}
