// Whether a word is a possible Vietnamese syllable: an onset, a rhyme (vowel nucleus and
// coda) from the closed set the language allows, and at most one tone. The encoding detector
// counts such words: decoding with the right chart gives real syllables ("Việt"), a wrong one
// gives letters in impossible places ("Viơt", "aù", "Vi®t").

import Foundation

enum VietnameseSyllable {
    static let onsets: [String] = [
        "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr",
        "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "q", "r", "s", "t", "v", "x", "",
    ]

    static let rhymes: Set<String> = Set("""
    a ac ach ai am an ang anh ao ap at au ay ăc ăm ăn ăng ăp ăt âc âm ân âng âp ât âu ây
    e ec em en eng eo ep et ê êch êm ên ênh êp êt êu
    i ia ich im in inh ip it iu iêc iêm iên iêng iêp iêt iêu
    o oa oac oach oai oam oan oang oanh oao oap oat oay oăc oăm oăn oăng oăt oc oe oem oen oeo oet oi om on ong ooc oong op ot
    ô ôc ôi ôm ôn ông ôp ôt ơ ơi ơm ơn ơp ơt
    u ua uân uâng uât uây uc uê uêch uênh uy uya uych uyên uyêt uynh uyt uyu ui um un ung up ut uôc uôi uôm uôn uông uôt uơ
    ư ưa ưc ưi ưm ưn ưng ưt ưu ươc ươi ươm ươn ương ươp ươt ươu
    y yêm yên yêng yêt yêu
    """.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init))

    /// Tones, as combining marks.
    static let tones: Set<UInt32> = [0x300, 0x301, 0x303, 0x309, 0x323]

    /// True when `word` (letters only, any case, any normalisation) is a possible syllable.
    static func isValid(_ word: String) -> Bool {
        var toneCount = 0
        var bare = String.UnicodeScalarView()
        for s in word.lowercased().decomposedStringWithCanonicalMapping.unicodeScalars {
            if tones.contains(s.value) { toneCount += 1 } else { bare.append(s) }
        }
        guard toneCount <= 1 else { return false }
        let letters = String(bare).precomposedStringWithCanonicalMapping
        guard letters.count <= 7 else { return false }
        for onset in onsets where letters.hasPrefix(onset) {
            let rhyme = String(letters.dropFirst(onset.count))
            if rhymes.contains(rhyme) { return true }
            // "qu" + rhyme and "gi" + rhyme read the u / i as part of the onset.
        }
        return false
    }
}
