import Foundation
import Testing
@testable import VietText

@Suite struct FoldingTests {
    @Test(arguments: [
        ("Thanh Hoá", "thanh hoa"),
        ("ĐÀ NẴNG, Đắk Lắk", "da nang, dak lak"),
        ("đường Điện Biên Phủ", "duong dien bien phu"),
        ("Nghị định số 45/2010/NĐ-CP", "nghi dinh so 45/2010/nd-cp"),
        ("Ứng dụng công nghệ", "ung dung cong nghe"),
        ("Ủy ban nhân dân", "uy ban nhan dan"),
        ("ươ ư ơ ă â ê ô", "uo u o a a e o"),
        // Letters outside Vietnamese keep their identity: ETH is not D WITH STROKE.
        ("Ðóra ðóra", "ðora ðora"),
        ("Ø ø Æ ß", "ø ø æ ß"),
        // Other Latin diacritics are diacritics too.
        ("Crème brûlée, niño, façade", "creme brulee, nino, facade"),
        // Greek loses its accents, CJK and digits pass through.
        ("Άθήνα", "αθηνα"),
        ("中文 2024 한국", "中文 2024 한국"),
        ("", ""),
    ])
    func fold(input: String, expected: String) {
        #expect(VietText.fold(input) == expected)
    }

    @Test func foldDropsStrayMarksBetweenWords() {
        #expect(VietText.fold("thi \u{0323}trường") == "thi truong")
    }

    @Test func foldOfNFDEqualsFoldOfNFC() {
        let text = "Quyết định của Ủy ban nhân dân tỉnh Thanh Hoá về việc phê duyệt"
        #expect(VietText.fold(text.decomposedStringWithCanonicalMapping) == VietText.fold(text))
    }
}

@Suite struct TokenizerTests {
    func forms(_ text: String) -> [String] {
        Tokenizer.tokens(in: text).map { "\($0.accented)|\($0.folded)" }
    }

    @Test func documentNumbersSplitIntoLettersAndDigits() {
        #expect(forms("45/2010/NĐ-CP") == ["45|45", "2010|2010", "nđ|nd", "cp|cp"])
        #expect(forms("58-NQ/TW") == ["58|58", "nq|nq", "tw|tw"])
        #expect(forms("Số: 03/2013/TT-BNV") == ["số|so", "03|03", "2013|2013", "tt|tt", "bnv|bnv"])
    }

    @Test func byteRangesPointIntoTheOriginal() {
        let text = "Ông Đỗ Hữu Quyết - Giám đốc"
        let bytes = Array(text.utf8)
        let tokens = Tokenizer.tokens(in: text)
        #expect(tokens.map { String(decoding: bytes[$0.start..<$0.end], as: UTF8.self) }
            == ["Ông", "Đỗ", "Hữu", "Quyết", "Giám", "đốc"])
        #expect(tokens.first?.start == 0)
        #expect(tokens.last?.end == bytes.count)
    }

    @Test func nfdInputKeepsMarksWithTheirLetterAndRangesInTheNFDBytes() {
        let nfc = "Thủ tướng Chính phủ"
        let nfd = nfc.decomposedStringWithCanonicalMapping
        let bytes = Array(nfd.utf8)
        #expect(bytes.count > nfc.utf8.count)
        let tokens = Tokenizer.tokens(in: nfd)
        #expect(tokens.map(\.accented) == ["thủ", "tướng", "chính", "phủ"])
        #expect(tokens.map(\.folded) == ["thu", "tuong", "chinh", "phu"])
        // Every range covers the letter and all its combining marks.
        let surfaces = tokens.map { String(decoding: bytes[$0.start..<$0.end], as: UTF8.self) }
        #expect(surfaces.map { $0.precomposedStringWithCanonicalMapping } == ["Thủ", "tướng", "Chính", "phủ"])
        #expect(tokens.last?.end == bytes.count)
    }

    @Test func strayAndDoubledMarksAreTolerated() {
        // A dot below typed twice: one is kept.
        #expect(forms("thị\u{0323} xã") == ["thị|thi", "xã|xa"])
        // A mark cut off from its letter by a space belongs to no token.
        let text = "thi \u{0323}trường"
        let tokens = Tokenizer.tokens(in: text)
        #expect(tokens.map(\.accented) == ["thi", "trường"])
        #expect(tokens[1].start == 6)  // after "thi " (4 bytes) and the dropped U+0323 (2 bytes)
        // Marks out of canonical order compose like their canonical order.
        #expect(forms("o\u{0302}\u{0323}") == forms("ộ"))
        #expect(forms("Thuy\u{0309}") == ["thủy|thuy"])
        // A mark at the very start of the input is dropped.
        #expect(forms("\u{0301}abc") == ["abc|abc"])
    }

    @Test func separatorsControlsPrivateUseAndInvalidBytes() {
        // C1 control U+0085, NBSP, private-use Symbol-font glyph U+F0A3, tab, BOM between words.
        #expect(forms("Điều\u{0085}1\u{00A0}khoản\u{F0A3}2\tmục") ==
            ["điều|dieu", "1|1", "khoản|khoan", "2|2", "mục|muc"])
        // Soft hyphen and zero-width joiner inside a word are skipped, not splitting it.
        #expect(forms("pháp\u{00AD}luật") == ["phápluật|phapluat"])
        // Invalid UTF-8: a lone continuation byte, an overlong encoding, a surrogate, a
        // truncated sequence at the end. Each is skipped as a separator; no crash.
        var bytes = Array("Hà".utf8) + [0x80] + Array("Nội".utf8) + [0xC0, 0xAF] + Array("số".utf8)
        bytes += [0xED, 0xA0, 0x80] + Array("một".utf8) + [0xE1, 0xBA]
        let tokens = Tokenizer.tokens(in: bytes)
        #expect(tokens.map(\.accented) == ["hà", "nội", "số", "một"])
        for t in tokens {
            #expect(String(validating: bytes[t.start..<t.end], as: UTF8.self) != nil)
        }
    }

    @Test func emptyAndSeparatorOnlyInputsGiveNoTokens() {
        #expect(Tokenizer.tokens(in: "").isEmpty)
        #expect(Tokenizer.tokens(in: " \n\t—…“”!?").isEmpty)
        #expect(Tokenizer.tokens(in: [UInt8]()).isEmpty)
        #expect(Tokenizer.tokens(in: [0xFF, 0xFE, 0x00]).isEmpty)
    }

    @Test func hugeWordIsCutAtTheTokenLimitWithoutLosingBytes() {
        let word = String(repeating: "đường", count: 20_000)  // 160 KB, no separator
        let bytes = Array(word.utf8)
        let tokens = Tokenizer.tokens(in: word)
        #expect(tokens.count > 1)
        var next = 0
        for t in tokens {
            #expect(t.start == next)  // contiguous: nothing skipped
            #expect(t.accented.utf8.count <= Tokenizer.maxTokenBytes + 4)
            #expect(t.folded.utf8.count <= t.accented.utf8.count)
            next = t.end
        }
        #expect(next == bytes.count)
    }

    @Test func hugeInputOfManyWords() {
        let line = "Chương trình phối hợp công tác truyền thông giữa Sở Thông tin và Truyền thông. "
        let text = String(repeating: line, count: 10_000)  // ~1 MB
        var count = 0
        Tokenizer.forEachToken(in: text) { _ in count += 1 }
        #expect(count == 15 * 10_000)
    }

    @Test func hasDiacriticsDistinguishesFormsThatDiffer() {
        var flags: [Bool] = []
        Tokenizer.forEachToken(in: "Thanh Hóa NĐ CP ð") { flags.append($0.hasDiacritics) }
        #expect(flags == [false, true, true, false, false])
    }
}
