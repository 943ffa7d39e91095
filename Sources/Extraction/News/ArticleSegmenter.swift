// The pieces of a text the chrome cleaner judges one by one ("segments"): each line, and
// inside a line, its sentences and the parts a scraper ran together. News scraped from pages
// often arrives with a whole article on one line ("Tin liên quan" lists, ">>" links and the
// next paragraph included), so a line alone is too coarse a unit.
//
// A line is cut:
//   - after . ! ? … (and closing quotes or brackets) followed by spaces and a capital letter,
//     a digit or an opening quote: a sentence ends;
//   - at a run of two or more spaces (where a scraper joined two page elements);
//   - before ">>" (a link to another article);
//   - before a list heading or a footer written with its capital ("... Bình Dương.Tin liên
//     quan", "... Theo X Mọi phản ánh, ý kiến ...").
// Segments are trimmed; a piece with no letter or digit ("-", "•") is not a segment.
// Offsets are UTF-8 byte offsets into the text.

package struct TextSegment: Sendable, Equatable {
    /// 1-based line number in the text.
    package var line: Int
    package var start: Int
    package var end: Int
    /// The segment is the whole (trimmed) line.
    package var isWholeLine: Bool
}

package enum ArticleSegmenter {
    package static func segments(_ bytes: [UInt8]) -> [TextSegment] {
        var out: [TextSegment] = []
        var lineStart = 0
        var line = 1
        let n = bytes.count
        while lineStart <= n {
            var lineEnd = lineStart
            while lineEnd < n && bytes[lineEnd] != 0x0A { lineEnd += 1 }
            let first = out.count
            cut(bytes, lineStart, lineEnd, line: line, into: &out)
            if out.count == first + 1, let s = out.last {
                let (a, b) = trimmed(bytes, lineStart, lineEnd)
                out[out.count - 1].isWholeLine = s.start == a && s.end == b
            }
            line += 1
            lineStart = lineEnd + 1
        }
        return out
    }

    private static func cut(_ b: [UInt8], _ start: Int, _ end: Int, line: Int, into out: inout [TextSegment]) {
        var segmentStart = start
        let listStarts = listFirstByte
        func emit(_ s: Int, _ e: Int) {
            let (a, z) = trimmed(b, s, e)
            if a < z && hasWordCharacter(b, a, z) { out.append(TextSegment(line: line, start: a, end: z, isWholeLine: false)) }
        }
        var i = start
        while i < end {
            let c = b[i]
            // Two or more spaces.
            if c == 0x20, i + 1 < end, b[i + 1] == 0x20 {
                emit(segmentStart, i)
                while i < end && b[i] == 0x20 { i += 1 }
                segmentStart = i
                continue
            }
            // ">>" after a space (or at the start).
            if c == 0x3E, i + 1 < end, b[i + 1] == 0x3E, i == start || b[i - 1] == 0x20 {
                if i > segmentStart { emit(segmentStart, i); segmentStart = i }
                i += 2
                while i < end && b[i] == 0x3E { i += 1 }
                continue
            }
            // A list heading run into the line.
            if listStarts[Int(c)], i > segmentStart, !isWordByte(b[i - 1]),
               let length = listHeading(b, at: i, end: end) {
                emit(segmentStart, i)
                segmentStart = i
                i += length
                continue
            }
            // A sentence end.
            if let punctuationEnd = sentenceEnd(b, at: i, end: end) {
                var j = punctuationEnd
                while j < end, let length = closer(b, at: j, end: end) { j += length }
                if j < end && b[j] == 0x20 {
                    var k = j
                    while k < end && b[k] == 0x20 { k += 1 }
                    if k < end && startsSentence(b, k, end) {
                        emit(segmentStart, j)
                        segmentStart = k
                        i = k
                        continue
                    }
                }
                i = punctuationEnd
                continue
            }
            i += 1
        }
        emit(segmentStart, end)
    }

    /// Whether a written list heading starts with this byte (a table: asked of every byte).
    static let listFirstByte: [Bool] = (0..<256).map { ChromePhrases.listFirstBytes.contains(UInt8($0)) }

    /// The length of a list heading written at `i` (capitalised or in capitals) that stands as
    /// a heading: followed by the end, a colon, or a space and a capital, digit or quote.
    static func listHeading(_ b: [UInt8], at i: Int, end: Int) -> Int? {
        for entry in ChromePhrases.cutBefore {
            for form in entry.written where i + form.count <= end && b[i..<(i + form.count)].elementsEqual(form) {
                let j = i + form.count
                if entry.kind == .footer { return form.count }
                if j == end || b[j] == 0x3A || b[j] == 0x0D { return form.count }
                if b[j] == 0x20 {
                    var k = j
                    while k < end && b[k] == 0x20 { k += 1 }
                    if k == end || startsSentence(b, k, end) || b[k] == 0x3A || b[k] == 0x2D { return form.count }
                }
            }
        }
        return nil
    }

    /// The index after the sentence-ending mark at `i` (". ! ?" or "…"), if there is one.
    @inline(__always)
    static func sentenceEnd(_ b: [UInt8], at i: Int, end: Int) -> Int? {
        switch b[i] {
        case 0x2E, 0x21, 0x3F: return i + 1
        case 0xE2 where i + 2 < end && b[i + 1] == 0x80 && b[i + 2] == 0xA6: return i + 3
        default: return nil
        }
    }

    /// The length of a closing quote or bracket (or one more dot) at `j`: " ' ) ] . ” ’.
    @inline(__always)
    static func closer(_ b: [UInt8], at j: Int, end: Int) -> Int? {
        switch b[j] {
        case 0x22, 0x27, 0x29, 0x5D, 0x2E: return 1
        case 0xE2 where j + 2 < end && b[j + 1] == 0x80 && (b[j + 2] == 0x9D || b[j + 2] == 0x99): return 3
        default: return nil
        }
    }

    /// A capital letter, a digit or an opening quote or bracket at `k`.
    static func startsSentence(_ b: [UInt8], _ k: Int, _ end: Int) -> Bool {
        let c = b[k]
        if (0x41...0x5A).contains(c) || (0x30...0x39).contains(c) || c == 0x22 || c == 0x27 || c == 0x28 || c == 0x5B { return true }
        if c == 0xE2, k + 2 < end, b[k + 1] == 0x80, b[k + 2] == 0x9C || b[k + 2] == 0x98 { return true }  // “ ‘
        if c >= 0xC0 {
            // Decode one scalar and ask whether it is a capital (Vietnamese capitals are
            // outside ASCII: Đ, Ả, Ơ, ...).
            var value: UInt32
            var length: Int
            if c < 0xE0 { value = UInt32(c & 0x1F); length = 2 } else if c < 0xF0 { value = UInt32(c & 0x0F); length = 3 } else { value = UInt32(c & 0x07); length = 4 }
            guard k + length <= end else { return false }
            for m in 1..<length { value = value << 6 | UInt32(b[k + m] & 0x3F) }
            return Unicode.Scalar(value)?.properties.isUppercase ?? false
        }
        return false
    }

    /// Letters (any script) and digits: ASCII letters and digits, and lead bytes of non-ASCII
    /// characters other than general punctuation and symbols (U+2000 and up start E2).
    @inline(__always)
    static func isWordByte(_ c: UInt8) -> Bool {
        (0x30...0x39).contains(c) || (0x41...0x5A).contains(c) || (0x61...0x7A).contains(c) || (c >= 0x80 && c != 0xE2)
    }

    static func hasWordCharacter(_ b: [UInt8], _ s: Int, _ e: Int) -> Bool {
        var i = s
        while i < e {
            let c = b[i]
            if (0x30...0x39).contains(c) || (0x41...0x5A).contains(c) || (0x61...0x7A).contains(c) || (0xC3...0xE1).contains(c) { return true }
            i += 1
        }
        return false
    }

    static func trimmed(_ b: [UInt8], _ s: Int, _ e: Int) -> (Int, Int) {
        var a = s, z = e
        while a < z && (b[a] == 0x20 || b[a] == 0x09 || b[a] == 0x0D) { a += 1 }
        while z > a && (b[z - 1] == 0x20 || b[z - 1] == 0x09 || b[z - 1] == 0x0D) { z -= 1 }
        return (a, z)
    }
}
