import DocumentModel
import Foundation
import Testing
@testable import Archive

@Suite struct ManifestLineParserTests {
    static let tricky = [
        "", "plain", "Thanh Hóa và Thanh Hoá", "quote \" backslash \\ slash /", "tab\tnewline\ncr\r",
        "control \u{01}\u{1F}\u{7F}", "emoji 😀 and 𝕍", "đ Đ ð", "\u{2028}\u{2029}", "NUL \u{0}",
    ]

    func sampleRecords() -> [ManifestRecord] {
        Self.tricky.enumerated().map { i, s in
            ManifestRecord(seq: i + 1, id: String(repeating: "a", count: 16), hash: String(repeating: "b", count: 64),
                           fileName: i % 2 == 0 ? s : nil, mediaType: "text/plain; charset=utf-8", size: i * 1000,
                           storedSize: i * 10, importedAt: "2025-01-01T00:00:00Z",
                           metadata: DocumentMetadata(key: s.isEmpty ? nil : s, title: s, source: s,
                                                      kind: i % 3 == 0 ? nil : "news", date: "2024-02-29", url: "https://x.vn/\(s)"),
                           properties: i % 2 == 0 ? [:] : ["author": s, "k\"ey": "v\\alue"])
        }
    }

    @Test func agreesWithJSONDecoderOnOurLinesAndFoundationsLines() throws {
        for r in sampleRecords() {
            let ours = r.jsonLine()
            #expect(ManifestLineParser.parse(ArraySlice(ours)) == r)
            #expect(try JSONDecoder().decode(ManifestRecord.self, from: Data(ours)) == r)
            // Foundation writes escapes differently (\/, \u00XX...): same record.
            let object = try JSONSerialization.jsonObject(with: Data(ours))
            let theirs = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted])
                .filter { $0 != 0x0A } // pretty printing puts newlines between fields only
            #expect(ManifestLineParser.parse(ArraySlice(Array(theirs))) == r, "\(String(decoding: theirs, as: UTF8.self))")
        }
    }

    @Test func skipsUnknownFieldsOfEveryTypeAndReadsEscapes() throws {
        let line = #"{"seq":7,"extra":[1,-2.5e3,{"a":[true,false,null]},"x\"y"],"id":"0123456789abcdef","#
            + #""hash":"\u0061bc","size":3,"n":-0.5,"obj":{},"arr":[],"key":"\ud83d\ude00 \u0111","metadata":{"a":"\u00e1"},"media_type":null}"#
        let r = try #require(ManifestLineParser.parse(ArraySlice(Array(line.utf8))))
        #expect(r.seq == 7 && r.id == "0123456789abcdef" && r.hash == "abc" && r.size == 3)
        #expect(r.metadata.key == "😀 đ" && r.properties == ["a": "á"] && r.mediaType == "application/octet-stream")
        #expect(try JSONDecoder().decode(ManifestRecord.self, from: Data(line.utf8)) == r)
    }

    @Test func rejectsWhatIsNotARecord() throws {
        let good = Array(sampleRecords()[3].jsonLine())
        var bad: [[UInt8]] = [
            Array(good.dropLast()), Array(good.prefix(40)), [], Array("{}".utf8), Array("[1]".utf8),
            Array(#"{"seq":1.5,"id":"a","hash":"b","size":1}"#.utf8),
            Array(#"{"seq":1,"id":"a","hash":"b","size":1} x"#.utf8),
            Array(#"{"seq":1,"id":"a\x","hash":"b","size":1}"#.utf8),
            Array(#"{"seq":1,"id":"\ud800","hash":"b","size":1}"#.utf8),
            Array(#"{"seq":1,"id":"a","hash":"b","size":"1"}"#.utf8),
            Array(#"{"seq":1,"id":"a","hash":"b","size":1,"metadata":{"a":1}}"#.utf8),
        ]
        var invalidUTF8 = Array(#"{"seq":1,"id":"a","hash":"b","size":1,"title":""#.utf8)
        invalidUTF8 += [0xC3, 0x28] + Array("\"}".utf8)
        bad.append(invalidUTF8)
        for line in bad {
            #expect(ManifestLineParser.parse(ArraySlice(line)) == nil, "\(String(decoding: line, as: UTF8.self))")
            #expect(throws: ArchiveError.self) { try ManifestRecord.parse(line) }
        }
    }

    @Test func flatStringFields() throws {
        let names: Set<String> = ["text", "title", "key"]
        func parse(_ s: String) -> [String: String]? { FlatJSON.stringFields(ArraySlice(Array(s.utf8)), names: names) }
        #expect(parse(#"{"text":"Hà Nội\n\u0111","title":null,"id":42,"nested":{"a":[1,2]}}"#) == ["text": "Hà Nội\nđ"])
        #expect(parse(#" { "key" : "k" , "text" : "" } "#) == ["key": "k", "text": ""])
        #expect(parse("{}") == [:])
        #expect(parse(#"{"text":42}"#) == nil)
        #expect(parse(#"{"text":"a""#) == nil)
        #expect(parse(#"["text"]"#) == nil)
        #expect(parse(#"{"text":"a"} {"#) == nil)
    }
}
