// Which encoding bytes that are not UTF-8 are in, with a confidence.
//
// UTF-16 shows itself by a byte order mark or by NUL bytes in every other position (the high
// byte of ASCII and Vietnamese Latin letters alike is 00 or 01, 1E for the toned letters).
// For the legacy single-byte encodings, the sample is decoded with each chart and the words
// that use a letter beyond ASCII are checked against the syllables Vietnamese allows: the
// right chart gives real syllables, the wrong ones give letters in impossible places. The
// confidence is the share of such words that are syllables, discounted for short samples
// (fewer than three such words is too little to go on) and for bytes the chart leaves
// undefined.
//
// Bytes that are mostly well-formed UTF-8 with a few bad sequences are damaged UTF-8, not a
// legacy encoding: the detector refuses them (converting them would mangle every letter).

enum EncodingDetector {
    /// Below this, the text is refused rather than guessed.
    static let minimumConfidence = 0.6
    /// How much of the start is looked at (thousands of words: plenty to tell the charts apart).
    static let sampleSize = 64 * 1024

    struct Guess: Equatable {
        var encoding: TextEncoding
        var confidence: Double
    }

    /// UTF-16 by the NUL pattern in the first bytes (no BOM): LE when the odd bytes are NUL.
    static func utf16ByNULPattern(_ bytes: [UInt8], from start: Int) -> Guess? {
        let end = min(bytes.count, start + 8192)
        let pairs = (end - start) / 2
        guard pairs >= 2 else { return nil }
        var evenNUL = 0, oddNUL = 0
        var i = start
        while i + 1 < end {
            if bytes[i] == 0 { evenNUL += 1 }
            if bytes[i + 1] == 0 { oddNUL += 1 }
            i += 2
        }
        let even = Double(evenNUL) / Double(pairs), odd = Double(oddNUL) / Double(pairs)
        if odd >= 0.3 && even <= 0.02 { return Guess(encoding: .utf16LE, confidence: min(1, odd / 0.6)) }
        if even >= 0.3 && odd <= 0.02 { return Guess(encoding: .utf16BE, confidence: min(1, even / 0.6)) }
        return nil
    }

    /// True when most bytes above 0x7F form well-formed UTF-8 sequences (damaged UTF-8).
    static func looksLikeDamagedUTF8(_ bytes: ArraySlice<UInt8>) -> Bool {
        var high = 0, inSequences = 0
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let b = bytes[i]
            if b < 0x80 { i += 1; continue }
            let length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC2 ? 2 : 0
            if length > 0, i + length <= bytes.endIndex,
               bytes[(i + 1)..<(i + length)].allSatisfy({ $0 & 0xC0 == 0x80 }) {
                high += length; inSequences += length; i += length
            } else {
                high += 1; i += 1
            }
        }
        return high >= 8 && inSequences * 10 >= high * 8
    }

    /// The best legacy encoding for `bytes`, and the scores of all, best first.
    static func guessLegacy(_ bytes: [UInt8], from start: Int) -> (best: Guess?, all: [Guess]) {
        let sample = bytes[start..<min(bytes.count, start + sampleSize)]
        if looksLikeDamagedUTF8(sample) { return (nil, []) }
        var scored: [Guess] = []
        for encoding in TextEncoding.detectable {
            let decoded = LegacyDecoder.decode(sample, as: encoding)
            scored.append(Guess(encoding: encoding, confidence: score(decoded)))
        }
        // Stable sort: ties keep the detectable order.
        let ranked = scored.enumerated().sorted { a, b in
            a.element.confidence != b.element.confidence ? a.element.confidence > b.element.confidence : a.offset < b.offset
        }.map(\.element)
        guard let top = ranked.first, top.confidence >= minimumConfidence else { return (nil, ranked) }
        return (top, ranked)
    }

    /// The share of non-ASCII words that are syllables, discounted for few words and stray bytes.
    static func score(_ decoded: LegacyDecoder.Decoded) -> Double {
        var words = 0, syllables = 0, controls = 0
        var word = String.UnicodeScalarView()
        var nonASCII = false
        // Words repeat: each distinct one is checked once.
        var known: [String: Bool] = [:]
        func finish() {
            if nonASCII && !word.isEmpty {
                words += 1
                let w = String(word)
                let valid = known[w] ?? VietnameseSyllable.isValid(w)
                known[w] = valid
                if valid { syllables += 1 }
            }
            word.removeAll(keepingCapacity: true)
            nonASCII = false
        }
        for s in decoded.text.unicodeScalars {
            if s.properties.isAlphabetic || (s.value >= 0x300 && s.value <= 0x36F) {
                word.append(s)
                if s.value >= 0x80 { nonASCII = true }
            } else {
                if s.value < 0x20 && s != "\n" && s != "\t" && s != "\u{0C}" && s != "\u{0B}" { controls += 1 }
                // A non-letter above ASCII inside a word (a symbol a wrong chart produced)
                // spoils the word.
                if s.value >= 0x80 && !word.isEmpty && s.value != 0xA0 && !s.properties.isWhitespace
                    && !(0x2010...0x2027).contains(s.value) && s.value != 0xFFFD {
                    nonASCII = true
                    word.append("\u{FFFD}")
                    continue
                }
                finish()
            }
        }
        finish()
        guard words > 0 else { return 0 }
        let bad = Double(decoded.strayBytes + controls)
        let share = Double(syllables) / (Double(words) + bad)
        // Few words are little evidence: three good ones reach the threshold, no fewer.
        return share * Double(words) / Double(words + 2)
    }
}
