// The Vietnamese legacy encodings and UTF-16: each fixture in Tests/Fixtures/encodings was
// written by scripts/dev/make-encoding-fixtures.py (the chart encoders) from a UTF-8 original
// and must read back as that original, detected without being told; valid UTF-8 is never
// converted; garbage is refused with a clear reason.

import Foundation
import Testing
@testable import Extraction
import TestSupport

enum EncodingFixtures {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/encodings")

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    static func letters() throws -> String { String(decoding: try bytes("letters.utf8.txt"), as: UTF8.self) }
}

@Suite struct EncodingTests {
    static let detected: [TextEncoding] = [.tcvn3, .vni, .viscii, .vps, .windows1258]

    @Test(arguments: detected)
    func seedRoundTripsWithDetection(encoding: TextEncoding) throws {
        let original = try Seeds.text(Seeds.names[0])
        let bytes = try EncodingFixtures.bytes("seed.\(encoding.rawValue).txt")
        #expect(String(validating: bytes, as: UTF8.self) == nil, "the fixture must not be UTF-8")
        let doc = try Extractor().extract(bytes, fileName: "seed.txt")
        #expect(doc.conversion?.encoding == encoding)
        #expect((doc.conversion?.confidence ?? 0) >= EncodingDetector.minimumConfidence)
        #expect(doc.mediaType == "text/plain; charset=\(encoding.rawValue)")
        #expect(doc.properties["encoding_confidence"] != nil)
        if encoding == .tcvn3 {
            #expect(doc.text.lowercased() == original.lowercased())
        } else if encoding == .viscii {
            // VISCII has no no-break space (A0 is a letter): the fixture has "?" there.
            #expect(doc.text == original.replacingOccurrences(of: "\u{A0}", with: "?"))
        } else {
            #expect(doc.text == original)
        }
    }

    /// Every letter in both cases, all tones, đ/Đ. TCVN3 has no bytes for capitals with tone:
    /// they come back where the context shows capitals, and the record says case may be lost.
    @Test(arguments: detected)
    func allLettersRoundTrip(encoding: TextEncoding) throws {
        let original = try EncodingFixtures.letters()
        let doc = try Extractor().extract(try EncodingFixtures.bytes("letters.\(encoding.rawValue).txt"), fileName: "a.txt")
        #expect(doc.conversion?.encoding == encoding)
        if encoding == .tcvn3 {
            #expect(doc.conversion?.caseMayBeLost == true)
            #expect(doc.text.lowercased() == original.lowercased())
            let lines = doc.text.split(separator: "\n").map(String.init)
            let want = original.split(separator: "\n").map(String.init)
            // The capitals' line (two or more capitals per word but the single letters), the
            // motto and the heading in capitals, a sentence start, are restored.
            #expect(lines[3] == want[3])
            #expect(lines[5] == want[5])
            #expect(lines[6].hasPrefix("Ủy ban nhân dân tỉnh Thanh Hóa. Ở đâu"))
            #expect(lines[0] == want[0])
            #expect(lines[2] == want[2])
        } else {
            #expect(doc.conversion?.caseMayBeLost == false)
            #expect(doc.text == original)
        }
        #expect(doc.text.unicodeScalars.elementsEqual(doc.text.precomposedStringWithCanonicalMapping.unicodeScalars), "NFC")
    }

    @Test func declaredEncodingIsUsedWithoutConfidence() throws {
        let bytes = try EncodingFixtures.bytes("seed.vni-windows.txt")
        let forced = try Extractor(encoding: .vni).extract(bytes, fileName: "a.txt")
        #expect(forced.text == (try Seeds.text(Seeds.names[0])))
        #expect(forced.conversion == TextConversion(encoding: .vni, confidence: nil))
        #expect(forced.properties["encoding_confidence"] == nil)
        // The charset of the media type is a declaration too (an upload's Content-Type, and
        // the recorded media type when the text is extracted again from the archive).
        let hinted = try Extractor().extract(bytes, fileName: nil, mediaType: forced.mediaType)
        #expect(hinted.text == forced.text)
        // Forcing the wrong one converts as told: the user asked for it.
        let wrong = try Extractor(encoding: .tcvn3).extract(bytes, fileName: "a.txt")
        #expect(wrong.text != forced.text)
    }

    /// HTML and XHTML: the page's <meta charset> or XML declaration names the legacy charset;
    /// a page that declares nothing and is not UTF-8 is detected.
    @Test func htmlDeclarationsAndDetection() throws {
        let motto = try EncodingFixtures.bytes("letters.tcvn3.txt").split(separator: 0x0A)[2]
        let meta = utf8("<html><head><meta charset=\"TCVN3\"><title>") + motto + utf8("</title></head><body><p>") + motto + utf8("</p></body></html>")
        let doc = try Extractor().extract(meta, fileName: "a.html")
        #expect(doc.text == "Cộng hòa xã hội chủ nghĩa Việt Nam")
        #expect(doc.title == "Cộng hòa xã hội chủ nghĩa Việt Nam")
        #expect(doc.mediaType == "text/html; charset=tcvn3")
        #expect(doc.conversion == TextConversion(encoding: .tcvn3, confidence: nil, caseMayBeLost: true))

        let viscii = try EncodingFixtures.bytes("letters.viscii.txt").split(separator: 0x0A)[2]
        let xhtml = utf8("<?xml version=\"1.0\" encoding=\"VISCII\"?><html xmlns=\"http://www.w3.org/1999/xhtml\"><body><p>") + viscii + utf8("</p></body></html>")
        let x = try Extractor().extract(xhtml, fileName: "a.xhtml")
        #expect(x.text == "Cộng hòa xã hội chủ nghĩa Việt Nam")
        #expect(x.conversion?.encoding == .viscii)

        let vni = try EncodingFixtures.bytes("seed.vni-windows.txt")
        let page = utf8("<html><body><p>") + vni + utf8("</p></body></html>")
        let detected = try Extractor().extract(page, fileName: "a.html")
        #expect(detected.conversion?.encoding == .vni)
        #expect(detected.mediaType == "text/html; charset=vni-windows")
        #expect(detected.text.hasPrefix("Nhằm tăng cường công tác truyền thông"))
        // Extracting again with the recorded media type gives the same text.
        #expect(try Extractor().extract(page, fileName: "a.html", mediaType: detected.mediaType).text == detected.text)
    }

    @Test func viqrOnlyWhenAsked() throws {
        let bytes = try EncodingFixtures.bytes("letters.viqr.txt")
        let plain = try Extractor().extract(bytes, fileName: "a.txt")
        #expect(plain.conversion == nil, "VIQR is ASCII: never guessed")
        #expect(plain.text == String(decoding: bytes, as: UTF8.self))
        let doc = try Extractor(encoding: .viqr).extract(bytes, fileName: "a.txt")
        #expect(doc.text == (try EncodingFixtures.letters()))
        let seed = try Extractor(encoding: .viqr).extract(try EncodingFixtures.bytes("seed.viqr.txt"), fileName: "a.txt")
        // VIQR is ASCII: the seed's no-break spaces were written as "?".
        #expect(seed.text == (try Seeds.text(Seeds.names[0])).replacingOccurrences(of: "\u{A0}", with: "?"))
        #expect(VIQR.decode(ArraySlice("Vie^.t Nam. Ta. roi\\. Ha` No^.i?".utf8)) == "Việt Nam. Tạ roi. Hà Nội?")
    }

    @Test(arguments: ["seed.utf16le-bom.txt", "seed.utf16be-bom.txt", "seed.utf16le.txt", "seed.utf16be.txt"])
    func utf16WithAndWithoutBOM(name: String) throws {
        let doc = try Extractor().extract(try EncodingFixtures.bytes(name), fileName: "a.txt")
        #expect(doc.text == (try Seeds.text(Seeds.names[0])))
        #expect(doc.conversion?.encoding == (name.contains("be") ? .utf16BE : .utf16LE))
    }

    @Test func utf16WithAnUnpairedSurrogateIsRefused() {
        let bytes: [UInt8] = [0xFF, 0xFE, 0x48, 0x00, 0x00, 0xD8, 0x61, 0x00]
        #expect(extractionFailure(bytes, fileName: "a.txt") == "invalid UTF-16LE: 1 unpaired surrogate or odd byte(s)")
    }

    /// Valid UTF-8 Vietnamese, NFC or NFD, is never converted, however Latin-1-like it looks.
    @Test(arguments: Seeds.names)
    func validUTF8IsNeverConverted(name: String) throws {
        let text = try Seeds.text(name)
        for form in [text, text.decomposedStringWithCanonicalMapping] {
            let doc = try Extractor().extract(Array(form.utf8), fileName: "a.txt")
            #expect(doc.conversion == nil)
            #expect(doc.text == form)
            #expect(doc.mediaType == "text/plain; charset=utf-8")
        }
    }

    @Test func corpusSampleIsNeverConverted() throws {
        guard Fixtures.hasSampleCorpus else { return }
        var count = 0
        for record in try Fixtures.sampleCorpusRecords() {
            guard let text = record["text"] as? String, !text.isEmpty else { continue }
            let doc = try Extractor().extract(Array(text.utf8), fileName: "a.txt")
            #expect(doc.conversion == nil, "\(record["id"] ?? "?")")
            count += 1
        }
        #expect(count == 200)
    }

    @Test func binaryGarbageIsRefused() {
        var generator = SplitMix(seed: 13)
        for _ in 0..<50 {
            let bytes = (0..<4000).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let reason = extractionFailure(bytes, fileName: "rac.txt") ?? ""
            #expect(reason.hasPrefix("binary content") || reason.contains("do not read as a Vietnamese legacy encoding"), "\(reason)")
        }
        // High bytes in ASCII text that spell no Vietnamese: refused, naming the way out.
        let western = utf8("Le caf") + [0xE9] + utf8(" est tr") + [0xE8] + utf8("s bon, na") + [0xEF] + utf8("ve d") + [0xE9] + utf8("j") + [0xE0] + utf8(" vu.")
        let reason = extractionFailure(western, fileName: "fr.txt") ?? ""
        #expect(reason.hasPrefix("invalid UTF-8 at byte 6 (0xE9), and the bytes do not read as a Vietnamese legacy encoding"))
        #expect(reason.contains("--encoding"))
    }

    @Test func tcvn3CaseRestoration() {
        func decode(_ s: String) -> String {
            let bytes = s.unicodeScalars.map { s -> UInt8 in
                s.value < 0x80 ? UInt8(s.value) : UInt8(EncodingTables.tcvn3.firstIndex(of: s.value)!)
            }
            return LegacyDecoder.decode(ArraySlice(bytes), as: .tcvn3).text
        }
        #expect(decode("QUYếT ĐịNH") == "QUYẾT ĐỊNH")
        #expect(decode("Hà NộI") == "HÀ NỘI")
        #expect(decode("Hà Nội") == "Hà Nội")
        #expect(decode("ủy ban. ở đây") == "Ủy ban. Ở đây")
        #expect(decode("Ông Hà") == "Ông Hà")
    }

    @Test func syllables() {
        for w in ["Việt", "nghiêng", "quốc", "giữ", "khuya", "ĐƯỜNG", "thuở", "oẳn"] {
            #expect(VietnameseSyllable.isValid(w), "\(w)")
        }
        for w in ["Viơt", "aø", "café", "Vi®t", "hoáà", "xyz"] {
            #expect(!VietnameseSyllable.isValid(w), "\(w)")
        }
    }

    @Test func labels() {
        #expect(TextEncoding(label: "ABC") == .tcvn3)
        #expect(TextEncoding(label: " CP1258 ") == .windows1258)
        #expect(TextEncoding(label: "vni") == .vni)
        #expect(TextEncoding(label: "x-viet-vps") == .vps)
        #expect(TextEncoding(label: "latin1") == nil)
        for e in TextEncoding.allCases { #expect(TextEncoding(label: e.rawValue) == e) }
    }
}

