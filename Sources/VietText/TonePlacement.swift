// Canonical tone-mark placement.
//
// Vietnamese writes one tone mark per syllable, on the syllable's main vowel. For three vowel
// pairs the orthography has two accepted styles, and both are in daily use (often inside one
// document, e.g. "Thanh Hóa" and "Thanh Hoá"):
//
//   pair   "old" style (tone on the first vowel)   "new" style (tone on the second vowel)
//   oa     hóa, hòa, hỏa, hõa, họa                 hoá, hoà, hoả, hoã, hoạ
//   oe     khóe, lòe, khỏe, ...                    khoé, loè, khoẻ, ...
//   uy     thúy, thùy, thủy, ủy, ...               thuý, thuỳ, thuỷ, uỷ, ...
//
// The styles differ only when the pair ends an open syllable: with a final consonant or a
// third vowel the tone always sits on the second vowel in both styles (hoàn, hoạch, khoắng,
// thuyền, khuỷu, ngoài), so those words are never touched. After "q" the "u" belongs to the
// initial consonant "qu", so "quý", "quỳ", "quỷ" carry the tone on "y" in both styles and
// are never touched either. The same holds for pairs where either vowel carries a shape
// mark (ô, ơ, ư, ă, â, ê: "hoặc", "thuế"): the shape-marked vowel takes the tone.
//
// The rule, applied to each token (one syllable) after NFC composition:
//   the token's last two letters are o+a, o+e or u+y, both without shape marks,
//   the letter before them (if any) is neither a vowel nor "q",
//   exactly one tone mark sits on the pair
//   => the tone moves to the first vowel of the pair.
// The first-vowel style is canonical because it is the one most texts use (the shared
// corpus has hóa 7,036 times against hoá 547, Ủy 4,159 against Uỷ 36).

enum TonePlacement {
    /// Per-letter facts the rule needs, remembered for the last three letters of a token.
    struct Letter {
        /// Byte offset of the letter's accented output in the token buffer.
        var outputStart: Int = 0
        /// Lower-case base letter without marks (ASCII for the vowels the rule looks at).
        var folded: UInt32 = 0
        var tone: UInt8 = Tone.none
        /// Carries a mark other than one tone (a shape mark, or a second tone mark).
        var hasModifier = false
        var isUpper = false
    }

    /// If the rule applies to a token ending in `first`, `second` (with `before` the letter
    /// ahead of them, if any), returns the tone to move onto `first`; nil when nothing changes.
    @inline(__always)
    static func toneToMove(before: Letter?, first: Letter, second: Letter) -> UInt8? {
        guard second.tone != Tone.none, first.tone == Tone.none,
              !first.hasModifier, !second.hasModifier else { return nil }
        let pairMatches: Bool
        switch (first.folded, second.folded) {
        case (0x6F, 0x61), (0x6F, 0x65), (0x75, 0x79): pairMatches = true  // oa, oe, uy
        default: pairMatches = false
        }
        guard pairMatches else { return nil }
        if let before, isVowel(before.folded) || before.folded == 0x71 /* q */ { return nil }
        return second.tone
    }

    @inline(__always)
    static func isVowel(_ folded: UInt32) -> Bool {
        switch folded {
        case 0x61, 0x65, 0x69, 0x6F, 0x75, 0x79: return true  // a e i o u y
        default: return false
        }
    }

    /// The precomposed letter `vowel` (o or u) carrying `tone`, in the requested case.
    static func tonedVowel(_ vowel: UInt32, tone: UInt8, upper: Bool) -> UInt32 {
        let index = Int(tone) - 1
        switch (vowel, upper) {
        case (0x6F, false): return [0x00F2, 0x00F3, 0x1ECF, 0x00F5, 0x1ECD][index]  // ò ó ỏ õ ọ
        case (0x6F, true): return [0x00D2, 0x00D3, 0x1ECE, 0x00D5, 0x1ECC][index]   // Ò Ó Ỏ Õ Ọ
        case (0x75, false): return [0x00F9, 0x00FA, 0x1EE7, 0x0169, 0x1EE5][index]  // ù ú ủ ũ ụ
        default: return [0x00D9, 0x00DA, 0x1EE6, 0x0168, 0x1EE4][index]            // Ù Ú Ủ Ũ Ụ
        }
    }
}
