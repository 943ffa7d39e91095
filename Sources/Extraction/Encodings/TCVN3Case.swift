// TCVN3 (ABC) has bytes for the small letters with tone only: a capital with tone was typed
// as the small letter's byte and shown in the capital font (.VnTimeH). Plain bytes therefore
// lose those capitals. They are restored from context, conservatively:
//   - a word whose other letters are all capitals, at least two of them ("QUY?T" -> QUYẾT);
//   - every such letter on a line whose words are all capitals but for words with no letter
//     of certain case ("H? N?I" -> HÀ NỘI: "Hà" alone could be either);
//   - the first letter of a sentence (text start, after ". " "? " "! ", or a line after a
//     blank line, a line ending a sentence or a heading in capitals): "?y ban" -> Ủy ban.
// Anything else stays small, and the record says case may be lost.

enum TCVN3Case {
    /// Restores capitals in `scalars`; `caseless[i]` says scalar i came from a byte whose case
    /// the bytes do not carry. Returns how many such letters there were.
    static func restore(_ scalars: inout [Unicode.Scalar], caseless: [Bool]) -> Int {
        let count = caseless.reduce(0) { $0 + ($1 ? 1 : 0) }
        guard count > 0, caseless.count == scalars.count else { return count }
        var lineStart = 0
        var sentenceStart = true
        while lineStart < scalars.count {
            var lineEnd = lineStart
            while lineEnd < scalars.count, scalars[lineEnd] != "\n" { lineEnd += 1 }
            let capitals = restoreLine(&scalars, caseless: caseless, lineStart..<lineEnd, sentenceStart: sentenceStart)
            // The next line starts a sentence after a blank line, a line that ends one or a
            // heading in capitals.
            var k = lineEnd - 1
            while k >= lineStart, scalars[k] == " " || scalars[k] == "\t" { k -= 1 }
            sentenceStart = k < lineStart || capitals || [".", "?", "!", ":"].contains(scalars[k])
            lineStart = lineEnd + 1
        }
        return count
    }

    enum WordCase { case capitals, mixed, unknown }

    /// Restores one line; true when it is a line in capitals.
    @discardableResult
    static func restoreLine(_ s: inout [Unicode.Scalar], caseless: [Bool], _ line: Range<Int>, sentenceStart: Bool) -> Bool {
        var words: [(range: Range<Int>, kind: WordCase)] = []
        var i = line.lowerBound
        while i < line.upperBound {
            guard s[i].properties.isAlphabetic else { i += 1; continue }
            let start = i
            var upper = 0, lower = 0
            while i < line.upperBound, s[i].properties.isAlphabetic {
                if caseless[i] {
                } else if s[i].properties.isUppercase {
                    upper += 1
                } else if s[i].properties.isLowercase {
                    lower += 1
                }
                i += 1
            }
            let kind: WordCase = lower > 0 ? .mixed : (upper >= 2 ? .capitals : .unknown)
            words.append((start..<i, kind))
        }
        let lineIsCapitals = words.contains { $0.kind == .capitals } && !words.contains { $0.kind == .mixed }
        var atSentenceStart = sentenceStart
        var previousEnd = line.lowerBound
        for (range, kind) in words {
            // A sentence boundary in the gap before this word: ". ", "? ", "! ".
            var k = range.lowerBound - 1
            while k >= previousEnd, s[k] == " " || s[k] == "\t" || s[k] == "\"" || s[k] == "\u{201C}" || s[k] == "(" { k -= 1 }
            if k >= previousEnd, k < range.lowerBound - 1, [".", "?", "!"].contains(s[k]) { atSentenceStart = true }
            if kind == .capitals || lineIsCapitals {
                for j in range where caseless[j] { s[j] = upper(s[j]) }
            } else if atSentenceStart, caseless[range.lowerBound] {
                s[range.lowerBound] = upper(s[range.lowerBound])
            }
            atSentenceStart = false
            previousEnd = range.upperBound
        }
        return lineIsCapitals
    }

    static func upper(_ s: Unicode.Scalar) -> Unicode.Scalar {
        let u = s.properties.uppercaseMapping.unicodeScalars
        return u.count == 1 ? u.first! : s
    }
}
