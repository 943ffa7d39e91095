// VIQR (RFC 1456): a vowel followed by its modifier (^ circumflex, ( breve, + horn) and its
// tone (' acute, ` grave, ? hook, ~ tilde, . dot below); dd/DD for đ/Đ; a backslash makes the
// next character literal. Only used when asked for: VIQR is ASCII, so any English text
// "decodes" as VIQR.
//
// A mark character counts as a mark only straight after a vowel of the current word, once
// per word (a second "?" or "." after a toned word is punctuation). RFC 1456 writers escape
// a literal "?" or "." straight after a vowel ("ta\."); unescaped, it is read as the tone.

enum VIQR {
    static func decode(_ bytes: ArraySlice<UInt8>) -> String {
        let input = Array(bytes)
        var out = ScalarOutput(capacity: input.count)
        var vowelBefore = false   // the last output scalar is a vowel (or its modifier) of this word
        var toned = false         // this word already has its tone
        var i = 0
        func isLetter(_ b: UInt8) -> Bool { (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) }
        func isVowel(_ b: UInt8) -> Bool { "aeiouyAEIOUY".utf8.contains(b) }
        while i < input.count {
            let b = input[i]
            let next: UInt8? = i + 1 < input.count ? input[i + 1] : nil
            if b == 0x5C, let next, next < 0x80 { // backslash
                out.append(UInt32(next)); vowelBefore = false; i += 2; continue
            }
            if isLetter(b) {
                if (b == 0x64 || b == 0x44), let next, next == 0x64 || next == 0x44 {
                    out.append(b == 0x44 ? 0x110 : 0x111); i += 2; vowelBefore = false; continue
                }
                out.append(UInt32(b))
                vowelBefore = isVowel(b)
                i += 1
                continue
            }
            if vowelBefore, let base = out.scalars.last {
                let lower = base.value | 0x20
                if b == 0x5E, lower == 0x61 || lower == 0x65 || lower == 0x6F { out.append(0x302); i += 1; continue }
                if b == 0x28, lower == 0x61 { out.append(0x306); i += 1; continue }
                if b == 0x2B, lower == 0x6F || lower == 0x75 { out.append(0x31B); i += 1; continue }
                if !toned, let tone = tone(b) {
                    out.append(tone); toned = true; i += 1; continue
                }
            }
            out.append(UInt32(b))
            vowelBefore = false
            toned = false
            i += 1
        }
        return out.string()
    }

    static func tone(_ b: UInt8) -> UInt32? {
        switch b {
        case 0x27: return 0x301
        case 0x60: return 0x300
        case 0x3F: return 0x309
        case 0x7E: return 0x303
        case 0x2E: return 0x323
        default: return nil
        }
    }
}
