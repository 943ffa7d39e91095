import Foundation
import Testing
@testable import VietText

/// Canonical tone placement: both styles of oa/oe/uy give one accented form; words whose
/// placement is not a matter of style are never changed.
@Suite struct TonePlacementTests {
    /// The accented form of a single word.
    func accented(_ word: String) -> String? { Tokenizer.tokens(in: word).first?.accented }

    // (old style: tone on the first vowel, new style: tone on the second vowel), lower case.
    static let pairs: [(old: String, new: String)] = [
        ("hòa", "hoà"), ("hóa", "hoá"), ("hỏa", "hoả"), ("hõa", "hoã"), ("họa", "hoạ"),
        ("lòe", "loè"), ("khóe", "khoé"), ("khỏe", "khoẻ"), ("nõe", "noẽ"), ("họe", "hoẹ"),
        ("thùy", "thuỳ"), ("thúy", "thuý"), ("thủy", "thuỷ"), ("thũy", "thuỹ"), ("thụy", "thuỵ"),
        ("ùy", "uỳ"), ("úy", "uý"), ("ủy", "uỷ"), ("ũy", "uỹ"), ("ụy", "uỵ"),
        ("tòa", "toà"), ("xòe", "xoè"), ("òa", "oà"), ("góa", "goá"), ("lụy", "luỵ"),
    ]

    @Test(arguments: pairs)
    func bothStylesGiveTheOldStyleForm(old: String, new: String) {
        #expect(accented(old) == old)
        #expect(accented(new) == old)
        // Any case: capitalised and all capitals fold to the same lower-case form.
        #expect(accented(new.prefix(1).uppercased() + new.dropFirst()) == old)
        #expect(accented(new.uppercased()) == old)
        #expect(accented(old.uppercased()) == old)
        // NFD input of either style.
        #expect(accented(new.decomposedStringWithCanonicalMapping) == old)
        #expect(accented(old.decomposedStringWithCanonicalMapping) == old)
    }

    @Test(arguments: pairs)
    func normalizeKeepsCaseWhileMovingTheTone(old: String, new: String) {
        #expect(VietText.normalize(new) == old)
        #expect(VietText.normalize(new.uppercased()) == old.uppercased())
        let capitalisedNew = new.prefix(1).uppercased() + new.dropFirst()
        let capitalisedOld = old.prefix(1).uppercased() + old.dropFirst()
        #expect(VietText.normalize(capitalisedNew) == capitalisedOld)
    }

    /// Words whose tone position is fixed by spelling, not by style.
    @Test(arguments: [
        "hoàn", "hoạch", "khoắng", "hoặc", "thuyền", "khuyến", "khuỷu", "khuya", "ngoài", "ngoáy",
        "quý", "quỳ", "quỷ", "quỹ", "quỵ", "quà", "quả", "thuế", "huệ", "thuở", "của", "mùa", "lựa",
        "giá", "mía", "xoẹt", "toán", "Quý", "QUỸ", "Thuyền",
    ])
    func fixedPlacementIsNeverChanged(word: String) {
        #expect(accented(word) == word.lowercased())
        #expect(VietText.normalize(word) == word)
        #expect(accented(word.decomposedStringWithCanonicalMapping) == word.lowercased())
    }

    @Test func theIssueExampleGivesOneFormInEverySpelling() {
        let spellings = ["Thanh Hoá", "Thanh Hóa", "THANH HOÁ", "thanh hoá",
                         "Thanh Hoá".decomposedStringWithCanonicalMapping,
                         "Thanh Hóa".decomposedStringWithCanonicalMapping]
        for text in spellings {
            let tokens = Tokenizer.tokens(in: text)
            #expect(tokens.map(\.accented) == ["thanh", "hóa"], "\(text)")
            #expect(tokens.map(\.folded) == ["thanh", "hoa"], "\(text)")
        }
    }

    @Test func differentTonesStayDifferent() {
        // Precision: "hóa" (to become) and "hòa" (peace) must not meet in the accented form.
        #expect(accented("hoá") != accented("hòa"))
        #expect(accented("hoá") != accented("hoa"))
        #expect(accented("thuỷ") != accented("thuý"))
    }
}
