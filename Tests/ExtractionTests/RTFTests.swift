// RTF: the text stream with its groups, control words, skipped destinations, \uN with \ucN,
// \'xx in the document's code page (double-byte East Asian pages too), and the TCVN3 / VNI
// fonts read through the charts; and the hostile files (unbalanced braces, deep nesting, huge \bin, truncation).

import Foundation
import Testing
@testable import Extraction

@Suite struct RTFTests {
    /// `text` as \'xx escapes of its bytes (ASCII stays literal, RTF specials escaped).
    static func escaped(_ bytes: [UInt8]) -> String {
        bytes.map { b -> String in
            switch b {
            case 0x5C, 0x7B, 0x7D: return "\\" + String(UnicodeScalar(b))
            case 0x0A: return "\\par\n"
            case 0x20...0x7E: return String(UnicodeScalar(b))
            default: return "\\'" + String(format: "%02x", b)
            }
        }.joined()
    }

    @Test func unicodeEscapesWithFallbacks() throws {
        let rtf = #"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0\froman Times New Roman;}}{\info{\title Quy\u7871?t \u273?\u7883?nh}{\author Nguy\u7877?n V\u259?n A}}"#
            + #"\uc1\pard C\u7897?ng h\u242?a x\u227? h\u7897?i\par\uc2 Vi\u7879?\'3ft Nam\line {\*\shppict ignored}\tab xong}"#
        let doc = try Extractor().extract(utf8(rtf), fileName: "a.rtf")
        #expect(doc.mediaType == "application/rtf")
        #expect(doc.text == "Cộng hòa xã hội\nViệt Nam\n\txong")
        #expect(doc.title == "Quyết định")
        #expect(doc.properties["author"] == "Nguyễn Văn A")
        #expect(doc.conversion == nil)
    }

    @Test func windows1258CodePage() throws {
        // "Việt Nam, Thanh Hoá": ê (EA) + combining dot below (F2); á is E1.
        let rtf = #"{\rtf1\ansi\ansicpg1258{\fonttbl{\f0 Times New Roman;}}\f0 Vi\'ea\'f2t Nam, Thanh Ho\'e1\par}"#
        let doc = try Extractor().extract(utf8(rtf), fileName: "a.rtf")
        #expect(doc.text == "Việt Nam, Thanh Hoá")
        #expect(doc.title == "Việt Nam, Thanh Hoá")
        #expect(doc.conversion?.encoding == .windows1258)
        // The same bytes in 1252 are Latin letters.
        let latin = try Extractor().extract(utf8(rtf.replacingOccurrences(of: "1258", with: "1252")), fileName: "a.rtf")
        #expect(latin.text == "Viêòt Nam, Thanh Hoá")
    }

    /// A TCVN3 document as the government portal has them: .VnTime for the text, .VnTimeH
    /// (the capital font) for the headings, whose bytes are those of the small letters.
    @Test func tcvn3Fonts() throws {
        let letters = try EncodingFixtures.bytes("letters.tcvn3.txt")
        let motto = try EncodingFixtures.bytes("letters.tcvn3.txt").split(separator: 0x0A)[2] // "Cộng hòa xã hội ..." in TCVN3
        let rtf = "{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0\\fswiss Arial;}{\\f1\\froman\\fcharset0 .VnTime;}{\\f2\\froman .VnTimeH;}}"
            + "\\pard\\f2 " + Self.escaped(Array(motto)) + "\\par\\f1 " + Self.escaped(Array(motto)) + "\\par "
            + "{\\f0 English \\'e9t\\'e9}\\par\\f1 " + Self.escaped(letters) + "}"
        let doc = try Extractor().extract(utf8(rtf), fileName: "congbao.rtf")
        let lines = doc.text.split(separator: "\n").map(String.init)
        #expect(lines[0] == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "the capital font gives capitals")
        #expect(lines[1] == "Cộng hòa xã hội chủ nghĩa Việt Nam")
        #expect(lines[2] == "English été", "other fonts keep the code page")
        #expect(lines[3].hasPrefix("a à á ả ã ạ ă ằ ắ ẳ ẵ ặ â ầ ấ ẩ ẫ ậ e"))
        #expect(doc.conversion?.encoding == .tcvn3)
        #expect(doc.conversion?.caseMayBeLost == true, "the .VnTime capitals with tone are not in the bytes")
        #expect(doc.title == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    }

    @Test func vniFontAndTables() throws {
        let vni = try EncodingFixtures.bytes("letters.vni-windows.txt").split(separator: 0x0A)[2]
        let rtf = "{\\rtf1\\ansi{\\fonttbl{\\f0 Arial;}{\\f1 VNI-Times;}}{\\stylesheet{\\s1 Heading 1;}}"
            + "\\trowd\\cellx1000\\cellx2000\\intbl\\f1 " + Self.escaped(Array(vni)) + "\\cell\\f0 hai\\cell\\row}"
        let doc = try Extractor().extract(utf8(rtf), fileName: "a.rtf")
        #expect(doc.text == "Cộng hòa xã hội chủ nghĩa Việt Nam\thai")
        #expect(doc.conversion?.encoding == .vni)
        #expect(!doc.text.contains("Heading"))
    }

    /// Double-byte East Asian pages: a lead byte and the next byte (an \'xx or a plain ASCII
    /// character, as Word writes them) are one character; by \ansicpg or by a font's \fcharset.
    @Test func doubleByteCodePages() throws {
        // Shift-JIS (932): あ = 82 A0, テ = 83 65 written as \'83e, 日本 = 93 FA 96 7B.
        let japanese = #"{\rtf1\ansi\ansicpg932{\fonttbl{\f0 MS Mincho;}}\f0 \'82\'a0\'83e\'93\'fa\'96\{ {\b x}\par}"#
        #expect(try Extractor().extract(utf8(japanese), fileName: "a.rtf").text == "あテ日本 x")
        // The same bytes by font charset in a 1252 document: 134 GBK (中文 = D6 D0 CE C4),
        // 136 Big5 (中文 = A4 A4 A4 E5), 129 Korean (한 = C7 D1); the 1252 font keeps é.
        let fonts = #"{\rtf1\ansi\ansicpg1252{\fonttbl{\f0 Arial;}{\f1\fcharset134 SimSun;}{\f2\fcharset136 MingLiU;}{\f3\fcharset129 Batang;}}"#
            + #"\f1 \'d6\'d0\'ce\'c4 \f2 \'a4\'a4\'a4\'e5 \f3 \'c7\'d1 \f0 \'e9\par}"#
        #expect(try Extractor().extract(utf8(fonts), fileName: "a.rtf").text == "中文 中文 한 é")
        // A \uN's fallback of one double-byte character is skipped whole under \uc1.
        let fallback = #"{\rtf1\ansi\ansicpg932\uc1 \u26085\'93\'fa\u26412\'96\'7b!}"#
        #expect(try Extractor().extract(utf8(fallback), fileName: "a.rtf").text == "日本!")
        // A lead byte with no second byte, or a pair that is no character, is U+FFFD, not a guess.
        #expect(try Extractor().extract(utf8(#"{\rtf1\ansicpg932 a\'82}"#), fileName: "a.rtf").text == "a\u{FFFD}")
        #expect(try Extractor().extract(utf8(#"{\rtf1\ansicpg936 a\'81\'20b}"#), fileName: "a.rtf").text.hasPrefix("a\u{FFFD}"))
    }

    /// Single-byte pages beyond the Latin ones: Hebrew 1255, Thai 874, Cyrillic by charset 204.
    @Test func otherSingleByteCodePages() throws {
        let hebrew = #"{\rtf1\ansi\ansicpg1255 \'f9\'ec\'e5\'ed\par}"#
        #expect(try Extractor().extract(utf8(hebrew), fileName: "a.rtf").text == "שלום")
        let thai = #"{\rtf1\ansi\ansicpg874 \'a1\'d2\par}"#
        #expect(try Extractor().extract(utf8(thai), fileName: "a.rtf").text == "กา")
        let russian = #"{\rtf1\ansi{\fonttbl{\f0\fcharset204 Times New Roman;}}\f0 \'cc\'ee\'f1\'ea\'e2\'e0\par}"#
        #expect(try Extractor().extract(utf8(russian), fileName: "a.rtf").text == "Москва")
    }

    @Test func forcedEncodingReadsEveryFont() throws {
        let motto = try EncodingFixtures.bytes("letters.tcvn3.txt").split(separator: 0x0A)[2]
        let rtf = "{\\rtf1\\ansi{\\fonttbl{\\f0 Times New Roman;}}\\f0 " + Self.escaped(Array(motto)) + "}"
        #expect(try Extractor().extract(utf8(rtf), fileName: "a.rtf").text != "Cộng hòa xã hội chủ nghĩa Việt Nam")
        let doc = try Extractor(encoding: .tcvn3).extract(utf8(rtf), fileName: "a.rtf")
        #expect(doc.text == "Cộng hòa xã hội chủ nghĩa Việt Nam")
    }

    @Test func detectionAndLies() {
        #expect(extractionFailure(utf8("Không phải RTF"), fileName: "a.rtf") == "not a valid RTF: the {\\rtf header is missing")
        #expect(extractionFailure(utf8("%PDF-1.4"), fileName: nil, mediaType: "application/rtf") == "declared as application/rtf but the content is not RTF (no {\\rtf header)")
        #expect((try? Extractor().extract(utf8("{\\rtf1 Xin ch\\u224?o}"), fileName: "a.txt").mediaType) == "application/rtf")
    }

    @Test func hostileFiles() throws {
        // Braces closed beyond the document's group: what follows the document is not read.
        #expect(try Extractor().extract(utf8("{\\rtf1 a}}}b"), fileName: "a.rtf").text == "a")
        #expect(try Extractor().extract(utf8("{\\rtf1 a}\\par}{x"), fileName: "a.rtf").text == "a")
        let deep = "{\\rtf1 " + String(repeating: "{", count: 100_000) + "x" + String(repeating: "}", count: 100_000) + "}"
        #expect(extractionFailure(utf8(deep), fileName: "a.rtf") == "the RTF document nests groups deeper than 512 levels")
        #expect(extractionFailure(utf8("{\\rtf1 abc \\bin99999999999 xyz}"), fileName: "a.rtf")
                == "the RTF document's \\bin data (9999999999 bytes) runs past the end of the file")
        let withBin = try Extractor().extract(utf8("{\\rtf1 ab\\bin3 {}\\cd}"), fileName: "a.rtf")
        #expect(withBin.text == "abcd", "\\bin data is skipped, braces in it included")
        let truncated = "{\\rtf1{\\fonttbl{\\f0 Arial;}}{\\pard Một đoạn {\\b đậm"
        #expect(extractionFailure(utf8(truncated), fileName: "a.rtf") == "the RTF document ends inside 3 open groups (truncated?)")
        // Only the final brace missing: read (Word does the same).
        #expect(try Extractor().extract(utf8("{\\rtf1 Xin ch\\u224?o"), fileName: "a.rtf").text == "Xin chào")
        #expect(extractionFailure(utf8("{\\rtf1 {\\*\\generator x;}{\\info{\\title T}}}"), fileName: "a.rtf")
                == "no text: the RTF document has no visible text")
        // Time bound: a budget of zero stops any document.
        let slow = Extractor(limits: ExtractionLimits(timeBudgetSeconds: 0))
        #expect(extractionFailure(utf8("{\\rtf1 " + String(repeating: "ab ", count: 10_000) + "}"), fileName: "a.rtf", extractor: slow)?
                .hasPrefix("extracting the text took longer than the time budget") == true)
    }
}
