import DocumentModel
import Foundation
import Testing

/// One JSON Lines record stays one line for every reader: the text of a gazette form in the
/// corpus holds U+0085 (a Windows-1252 checkbox decoded as Latin-1), which Python's
/// `splitlines` takes for a line break.
@Suite struct JSONLinesTests {
    func written(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        JSONObjectWriter.appendString(text, to: &out)
        return out
    }

    @Test func unicodeLineSeparatorsAreEscaped() throws {
        let text = "3. Vị trí công việc: \u{85} Nhà quản lý \u{85} Giám đốc\u{2028}Điều 1\u{2029}Điều 2"
        let bytes = written(text)
        let json = String(decoding: bytes, as: UTF8.self)
        #expect(json.contains("\\u0085 Nhà quản lý"))
        #expect(json.contains("\\u2028Điều 1\\u2029"))
        // Nothing a Unicode line splitter breaks on is left raw.
        #expect(!json.unicodeScalars.contains { [0x0A, 0x0D, 0x85, 0x2028, 0x2029].contains($0.value) })
        let decoded = try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed]) as? String
        #expect(decoded == text)
    }

    @Test func otherTextIsWrittenAsIs() throws {
        // Other characters with the same lead bytes (C2, E2 80) pass through unchanged.
        let text = "© 2024 – “Nghị định” … đ/Đ \u{80}\u{9F}\u{2027}\u{202A}"
        let json = String(decoding: written(text), as: UTF8.self)
        #expect(json.contains("© 2024 – “Nghị định” … đ/Đ"))
        #expect(json.contains("\u{2027}\u{202A}"))
        let decoded = try JSONSerialization.jsonObject(with: Data(written(text)), options: [.fragmentsAllowed]) as? String
        #expect(decoded == text)
    }
}
