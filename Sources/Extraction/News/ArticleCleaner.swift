import VietText

// The article inside a scraped news page: the text's segments (ArticleSegmenter) judged one by
// one, by what they say and where they stand, never by which site they come from.
//
//   phrase / counter  a listed chrome phrase (ChromePhrases: comment forms, contact and licence
//                     footers, links to other articles, visit counters)
//   related_list      a list of other articles after its heading ("Tin liên quan" ...), up to
//                     the blank line that ends it, or, run into a line, up to the first
//                     sentence of the article again; and, below the article's last sentence,
//                     titles of other articles run together (a teaser) above site chrome
//   header / footer   the site's banner above the first paragraph of the article (everything
//                     short before the last chrome line there), a line in capitals just above a
//                     footer below the last paragraph
//   slogan            a line decorated with symbols ("Antinet ℠ Blog ⭐ ... ✔️")
//   repeated          a short line standing three times or more in the page (list labels,
//                     repeated captions); a title-length one (the headline again under each
//                     photo) keeps its first occurrence
//   timestamp         a dateline of a list or byline ("Thể thao Việt Nam | 11:02 06/02/2017")
//   markup            a line an HTML page marks as furniture (PageFurniture: <nav>, <aside>,
//                     menus, the site's header and footer, lists of links)
//   source_repeated   a short line at the top or bottom of the page that the source repeats
//                     on many of its pages (EdgeLines offers them; the index counts them)
//
// The archived original is never changed: this is what the index stores as the body of a
// news-like document, recomputed from the archived bytes at every (re)index. A document
// with nothing dropped keeps its text byte for byte. The "Nguồn: ..." line below the article
// is kept in the text and read as the document's origin.

/// Why a segment is not part of the article.
package enum ChromeReason: String, Sendable, CaseIterable {
    case phrase, counter, header, footer, slogan, repeated, timestamp, markup
    case relatedList = "related_list"
    /// A line the document's source repeats on many of its pages (the index counts them:
    /// SearchIndex's SourceLines); never judged from one page alone.
    case sourceRepeated = "source_repeated"
}

/// A segment the cleaner left out of the article.
package struct DroppedSegment: Sendable, Equatable {
    package var line: Int
    package var text: String
    package var reason: ChromeReason
    package init(line: Int, text: String, reason: ChromeReason) { self.line = line; self.text = text; self.reason = reason }
}

package struct ArticleText: Sendable, Equatable {
    /// The article: the text without the dropped segments (the text itself when none was).
    package var body: String
    package var dropped: [DroppedSegment]
    package var keptSegments: Int
    /// What the "Nguồn: ..." line below the article names ("Nhân dân điện tử").
    package var origin: String?
    /// The kept lines a source's page template could hold (`ArticleCleaner.edgeLines`): the
    /// index drops those the source repeats on many pages.
    package var edgeLines: [String] = []

    /// The text unchanged (an official text, which is never cleaned).
    package init(unchanged text: String) {
        body = text; dropped = []; keptSegments = 0; origin = nil
    }

    package init(body: String, dropped: [DroppedSegment], keptSegments: Int, origin: String?, edgeLines: [String] = []) {
        self.body = body; self.dropped = dropped; self.keptSegments = keptSegments; self.origin = origin
        self.edgeLines = edgeLines
    }
}

package enum ArticleCleaner {
    /// The article of `text`; `furnitureLines` (1-based) are page furniture by the source's
    /// markup (`ExtractedDocument.furnitureLines`).
    package static func clean(_ text: String, furnitureLines: [Int] = []) -> ArticleText {
        let bytes = Array(text.utf8)
        let segments = ArticleSegmenter.segments(bytes)
        let shapes = segments.map { Shape(bytes, $0) }
        let verdicts = judge(bytes, segments, shapes, furniture: Set(furnitureLines))
        let origin = readOrigin(bytes, segments, shapes, verdicts)
        var dropped: [DroppedSegment] = []
        for (k, v) in verdicts.enumerated() {
            if let reason = v { dropped.append(DroppedSegment(line: segments[k].line, text: string(bytes, segments[k]), reason: reason)) }
        }
        let kept = verdicts.count - dropped.count
        let edges = edgeLines(bytes, segments, shapes, verdicts)
        guard !dropped.isEmpty else { return ArticleText(body: text, dropped: [], keptSegments: kept, origin: origin, edgeLines: edges) }
        return ArticleText(body: assemble(bytes, segments, verdicts), dropped: dropped, keptSegments: kept, origin: origin,
                           edgeLines: edges)
    }

    /// For each segment, why it is chrome, or nil for article text.
    package static func judge(_ bytes: [UInt8], _ segments: [TextSegment]) -> [ChromeReason?] {
        judge(bytes, segments, segments.map { Shape(bytes, $0) })
    }

    /// Fewer words than this below the last sentence are a byline or a source, not titles.
    static let teaserWords = 8
    /// A repeated line of this many words or more reads as a headline, not a label.
    static let repeatedHeadlineWords = 5
    /// "Nguồn ..." folded: the source line, never a teaser.
    static let sourceLinePrefix = Array("nguon".utf8)

    static func judge(_ bytes: [UInt8], _ segments: [TextSegment], _ shapes: [Shape],
                      furniture: Set<Int> = []) -> [ChromeReason?] {
        var verdicts = segments.map { furniture.contains($0.line) ? ChromeReason.markup : nil }
        var lineCounts: [ArraySlice<UInt8>: Int] = [:]
        for (k, s) in segments.enumerated() where s.isWholeLine && shapes[k].words < 12 { lineCounts[bytes[s.start..<s.end], default: 0] += 1 }
        var firstOfRepeated = Set<ArraySlice<UInt8>>()

        var k = 0
        while k < segments.count {
            let s = segments[k], shape = shapes[k]
            if verdicts[k] != nil { k += 1; continue }  // furniture by markup
            if let kind = phraseKind(shape) {
                switch kind {
                case .list:
                    verdicts[k] = .relatedList
                    k = markList(from: k, segments, shapes, bytes, &verdicts)
                    continue
                case .counter: verdicts[k] = .counter
                default:
                    verdicts[k] = .phrase
                    // "Xem thêm:", ">>Kì trước:", "Địa chỉ:" alone: what it introduces follows
                    // (a linked title, an address), unless that is a sentence of the article.
                    if bytes[s.end - 1] == 0x3A, k + 1 < segments.count, segments[k + 1].line == s.line,
                       !shapes[k + 1].isSentence, shapes[k + 1].words < 20 {
                        verdicts[k + 1] = .phrase
                        k += 2
                        continue
                    }
                }
            } else if shape.symbols >= 2 {
                verdicts[k] = .slogan
            } else if shape.isTimestamp {
                verdicts[k] = .timestamp
            } else if s.isWholeLine, shape.words < 12, (lineCounts[bytes[s.start..<s.end]] ?? 0) >= 3 {
                // A title-length line repeated (the headline again under each photo) stands
                // once as the article's: its first occurrence is kept. Labels are shorter.
                if shape.words < Self.repeatedHeadlineWords || !firstOfRepeated.insert(bytes[s.start..<s.end]).inserted {
                    verdicts[k] = .repeated
                }
            }
            k += 1
        }

        // Above the first paragraph of the article: the short lines up to the last chrome line.
        // (Paragraphs of the article: chrome judged so far is not one, however long.)
        func isArticleParagraph(_ k: Int) -> Bool { verdicts[k] == nil && shapes[k].isParagraph }
        // (Site furniture only: a list of other articles or a dateline above the article's
        // first long paragraph says nothing of the short lead before it.)
        let siteFurniture: Set<ChromeReason> = [.phrase, .counter, .slogan, .markup]
        if let firstParagraph = shapes.indices.first(where: isArticleParagraph),
           let lastChrome = (0..<firstParagraph).last(where: { verdicts[$0].map(siteFurniture.contains) ?? false }) {
            for j in 0..<lastChrome where verdicts[j] == nil && shapes[j].words < 15 { verdicts[j] = .header }
        }
        // Below the article's last sentence, the titles of other articles run together (a
        // teaser, often after the byline: "Vy Thúy Màu đỏ - Sức mạnh của tình yêu"): words
        // enough for a title, no sentence's end (nor a sentence cut short: "game,…"), and site
        // chrome still below them. An article's own closing line (a byline, "Nguồn: ...") is
        // shorter. Measured on the first 3,000 corpus articles: it fires in about 1 in 100,
        // and 2 of the segments it takes there are article lines missing their final period.
        if let lastSentence = shapes.indices.last(where: { verdicts[$0] == nil && shapes[$0].isSentence }),
           let lastChrome = shapes.indices.last(where: { verdicts[$0] != nil }), lastChrome > lastSentence {
            for j in (lastSentence + 1)..<lastChrome where verdicts[j] == nil && !shapes[j].endsSentence
                && !shapes[j].endsWithEllipsis && shapes[j].words >= teaserWords && !shapes[j].folded.starts(with: sourceLinePrefix) {
                verdicts[j] = .relatedList
            }
        }
        // Below the last paragraph: a line in capitals just above chrome (a site's name).
        if let lastParagraph = shapes.indices.last(where: isArticleParagraph) {
            var j = segments.count - 1
            while j > lastParagraph {
                if verdicts[j] == nil, j + 1 < segments.count, verdicts[j + 1] != nil, shapes[j].isCapitals(bytes), j + 1 < segments.count, verdicts[j + 1] != nil { verdicts[j] = .footer }
                j -= 1
            }
        }
        return verdicts
    }

    /// Marks the items of the list whose heading is segment `k`; returns the segment after it.
    /// A heading that ends its line heads the lines below it, up to a blank line; a heading
    /// with more of its line after it heads what follows on that line, up to the first
    /// sentence of the article (scrapers run the list into the next paragraph).
    static func markList(from k: Int, _ segments: [TextSegment], _ shapes: [Shape], _ bytes: [UInt8],
                         _ verdicts: inout [ChromeReason?]) -> Int {
        var j = k + 1
        let headingLine = segments[k].line
        let endsLine = j == segments.count || segments[j].line != headingLine
        if endsLine {
            var line = headingLine
            while j < segments.count {
                let next = segments[j].line
                if next > line + 1 && hasBlankLine(bytes, between: segments[j - 1].end, and: segments[j].start) { break }
                line = next
                verdicts[j] = .relatedList
                j += 1
            }
        } else {
            while j < segments.count && segments[j].line == headingLine && !shapes[j].isSentence {
                verdicts[j] = .relatedList
                j += 1
            }
        }
        return j
    }

    static func hasBlankLine(_ b: [UInt8], between s: Int, and e: Int) -> Bool {
        var newlines = 0
        var i = s
        while i < e {
            if b[i] == 0x0A {
                newlines += 1
                if newlines >= 2 { return true }
            } else if b[i] != 0x20 && b[i] != 0x09 && b[i] != 0x0D {
                newlines = 0  // a line with only "-" or bullets between is not blank
            }
            i += 1
        }
        return false
    }

    /// The listed phrase the segment is, if any.
    static func phraseKind(_ shape: Shape) -> ChromePhrases.Kind? {
        let f = shape.folded
        for entry in ChromePhrases.entries where f.count >= entry.folded.count && f.starts(with: entry.folded) {
            let rest = f[entry.folded.count...]
            switch entry.kind {
            case .heading:
                if rest.allSatisfy({ $0 == 0x3A || $0 == 0x20 || $0 == 0x2E }) { return .heading }
            case .counter:
                if rest.allSatisfy({ (0x30...0x39).contains($0) || $0 == 0x3A || $0 == 0x20 || $0 == 0x2E || $0 == 0x2C }) { return .counter }
            case .prefix, .footer:
                // A phrase without letters (">>") may run into the next word (">>Kì trước").
                if !entry.folded.contains(where: isLetter) { return .prefix }
                if rest.isEmpty || !isLetter(rest.first!) || entry.folded.last == 0x3A || entry.folded.count > 12 { return .prefix }
            case .caption:
                if shape.words <= 10 && (rest.isEmpty || !isLetter(rest.first!)) { return .caption }
            case .list:
                if shape.startsCapitalised && (rest.isEmpty || !isLowercaseStart(rest, shape)) { return .list }
            }
        }
        return nil
    }

    @inline(__always) static func isLetter(_ c: UInt8) -> Bool { (0x61...0x7A).contains(c) || (0x41...0x5A).contains(c) || c >= 0x80 }

    /// A list heading followed by a word in lower case is a sentence ("Tin liên quan đến ...").
    static func isLowercaseStart(_ rest: ArraySlice<UInt8>, _ shape: Shape) -> Bool {
        shape.wordAfterHeadingIsLowercase
    }

    /// The origin named by the last "Nguồn: ..." segment below the article's last paragraph.
    static func readOrigin(_ bytes: [UInt8], _ segments: [TextSegment], _ shapes: [Shape], _ verdicts: [ChromeReason?]) -> String? {
        let after = (shapes.indices.last { verdicts[$0] == nil && shapes[$0].isParagraph } ?? -1) + 1
        guard after < segments.count else { return nil }
        let prefix = Array("nguon:".utf8)
        for k in stride(from: segments.count - 1, through: after, by: -1) where verdicts[k] == nil && shapes[k].words <= 12 {
            let f = shapes[k].folded
            guard f.starts(with: prefix) else { continue }
            var value = string(bytes, segments[k])
            guard let colon = value.firstIndex(of: ":") else { continue }
            value = String(value[value.index(after: colon)...]).trimming(" .")
            if value.isEmpty || VietText.fold(value) == "internet" { continue }
            return value
        }
        return nil
    }

    /// The text with the dropped segments left out: whole lines as they were, a line with
    /// some segments dropped as its kept segments, at most one blank line in a row.
    static func assemble(_ bytes: [UInt8], _ segments: [TextSegment], _ verdicts: [ChromeReason?]) -> String {
        var byLine: [Int: [Int]] = [:]
        for (k, s) in segments.enumerated() { byLine[s.line, default: []].append(k) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var blankPending = false
        var lineStart = 0
        var line = 1
        while lineStart <= bytes.count {
            var lineEnd = lineStart
            while lineEnd < bytes.count && bytes[lineEnd] != 0x0A { lineEnd += 1 }
            if let ks = byLine[line] {
                let kept = ks.filter { verdicts[$0] == nil }
                if !kept.isEmpty {
                    if !out.isEmpty { out.append(0x0A); if blankPending { out.append(0x0A) } }
                    blankPending = false
                    if kept.count == ks.count {
                        out.append(contentsOf: bytes[lineStart..<lineEnd])
                    } else {
                        for (m, k) in kept.enumerated() {
                            if m > 0 { out.append(0x20) }
                            out.append(contentsOf: bytes[segments[k].start..<segments[k].end])
                        }
                    }
                }
            } else if ArticleSegmenter.trimmed(bytes, lineStart, lineEnd) == (lineEnd, lineEnd) || lineStart == lineEnd {
                blankPending = !out.isEmpty
            }
            line += 1
            lineStart = lineEnd + 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func string(_ bytes: [UInt8], _ s: TextSegment) -> String {
        String(decoding: bytes[s.start..<s.end], as: UTF8.self)
    }
}

/// What the cleaner looks at in one segment.
struct Shape {
    /// The last two bytes of • ● ▪ ◦ (after E2).
    static let bullets: Set<[UInt8]> = [[0x80, 0xA2], [0x97, 0x8F], [0x96, 0xAA], [0x97, 0xA6]]
    /// Folded, without leading bullets, at most the first 64 bytes of the segment.
    var folded: [UInt8]
    var words: Int
    /// Symbols and pictographs (⭐ ✔ ℠ ① and emoji).
    var symbols: Int
    /// Ends like a sentence (. ! ? and closing quotes, not "...").
    var endsSentence: Bool
    /// Ends with "..." or "…": a sentence cut short, not a title.
    var endsWithEllipsis: Bool
    /// Ends like a sentence with 10 words or more.
    var isSentence: Bool
    /// A paragraph of the article: 15 words and a sentence's end, or 30 words.
    var isParagraph: Bool
    var isTimestamp: Bool
    var segment: TextSegment

    /// Letters all in capitals (at least three words). Asked of few segments: computed then.
    func isCapitals(_ bytes: [UInt8]) -> Bool {
        guard words >= 3 else { return false }
        let text = String(decoding: bytes[segment.start..<segment.end], as: UTF8.self)
        var letters = 0
        for scalar in text.unicodeScalars where scalar.properties.isAlphabetic {
            letters += 1
            if !scalar.properties.isUppercase { return false }
        }
        return letters > 0
    }
    var startsCapitalised: Bool
    var wordAfterHeadingIsLowercase: Bool

    init(_ bytes: [UInt8], _ s: TextSegment) {
        var a = s.start
        // Leading bullets and dashes: • ● ▪ - * +
        while a < s.end {
            let c = bytes[a]
            if c == 0x2D || c == 0x2A || c == 0x2B || c == 0x20 { a += 1; continue }
            if c == 0xE2, a + 2 < s.end, Shape.bullets.contains([bytes[a + 1], bytes[a + 2]]) { a += 3; continue }
            break
        }
        // The longest phrase folds to under 64 bytes: fold no more than that.
        var cut = min(s.end, a + 64)
        while cut < s.end && cut > a && (bytes[cut] & 0xC0) == 0x80 { cut -= 1 }
        folded = Array(VietText.fold(String(decoding: bytes[a..<cut], as: UTF8.self)).utf8)
        let slice = bytes[s.start..<s.end]
        // Words and symbols in one pass over the bytes. Symbols: U+2100-27BF (E2 84-9E),
        // U+2B00-2BFF (E2 AC-AF), pictographs U+1F000-1FAFF (F0 9F).
        var words = 0, symbols = 0, inWord = false
        var i = s.start
        while i < s.end {
            let c = bytes[i]
            if c == 0x20 || c == 0x09 { inWord = false; i += 1; continue }
            if !inWord { words += 1; inWord = true }
            if c == 0xE2, i + 1 < s.end, (0x84...0x9E).contains(bytes[i + 1]) || (0xAC...0xAF).contains(bytes[i + 1]) {
                symbols += 1
            } else if c == 0xF0, i + 1 < s.end, bytes[i + 1] == 0x9F {
                symbols += 1
            }
            i += 1
        }
        self.words = words
        self.symbols = symbols
        var e = s.end
        while e > s.start, let c = Optional(bytes[e - 1]), c == 0x22 || c == 0x27 || c == 0x29 || c == 0x9D || c == 0x99 || c == 0x80 || c == 0xE2 { e -= 1 }
        let endsWithDots = slice.count >= 3 && (bytes[s.end - 3..<s.end].elementsEqual([0x2E, 0x2E, 0x2E]) || bytes[s.end - 3..<s.end].elementsEqual([0xE2, 0x80, 0xA6]))
        let endsSentence = e > s.start && !endsWithDots && [UInt8(0x2E), 0x21, 0x3F].contains(bytes[e - 1])
        self.endsSentence = endsSentence
        endsWithEllipsis = endsWithDots
        isSentence = endsSentence && words >= 10
        isParagraph = (endsSentence && words >= 15) || words >= 30
        segment = s
        startsCapitalised = a < s.end && ((0x41...0x5A).contains(bytes[a]) || bytes[a] >= 0xC0)
        // The word after a list heading: the folded segment's third or fourth word is not
        // enough (headings have 2-4 words), so look at the original bytes after the matched
        // heading: the first letter after the heading's words.
        wordAfterHeadingIsLowercase = false
        isTimestamp = Shape.looksLikeTimestamp(bytes, s)
        if let entry = ChromePhrases.lists.first(where: { folded.starts(with: $0.folded) }) {
            let headingWords = entry.folded.split(separator: 0x20).count
            var w = 0, j = a, inW = false
            while j < s.end {
                let c = bytes[j]
                if c == 0x20 { inW = false } else if !inW {
                    inW = true
                    w += 1
                    if w == headingWords + 1 {
                        wordAfterHeadingIsLowercase = !ArticleSegmenter.startsSentence(bytes, j, s.end) && c != 0x3A && c != 0x2D
                        break
                    }
                }
                j += 1
            }
        }
    }

    /// "11:02 06/02/2017", "18:51' - 18/05/2017", "Tiểu Lam - Thể thao Việt Nam | 11:02 06/02/2017":
    /// a segment ending in a date, with a time or a "|" before it and few words.
    static func looksLikeTimestamp(_ b: [UInt8], _ s: TextSegment) -> Bool {
        func isDigit(_ i: Int) -> Bool { i >= s.start && i < s.end && (0x30...0x39).contains(b[i]) }
        var e = s.end
        // dd/mm/yyyy at the end
        guard e - s.start >= 8 else { return false }
        var k = e - 1
        var digits = 0
        while isDigit(k) { digits += 1; k -= 1 }
        guard digits == 4, k >= s.start, b[k] == 0x2F else { return false }
        k -= 1
        digits = 0
        while isDigit(k) { digits += 1; k -= 1 }
        guard (1...2).contains(digits), k >= s.start, b[k] == 0x2F else { return false }
        k -= 1
        digits = 0
        while isDigit(k) { digits += 1; k -= 1 }
        guard (1...2).contains(digits) else { return false }
        e = k + 1
        let before = b[s.start..<e]
        let hasTime = before.contains(0x3A) && before.contains(where: { (0x30...0x39).contains($0) })
        let hasBar = before.contains(0x7C)
        let words = before.split(separator: 0x20).count
        // A byline's "| 12:50 08/02/2017" ends it whatever runs before it (a video's caption).
        return (hasTime || hasBar) && words <= 12 || (hasTime && hasBar && words <= 30) || words == 0
    }
}

private extension String {
    func trimming(_ set: String) -> String {
        let chars = Set(set)
        var s = Substring(self)
        while let f = s.first, chars.contains(f) { s = s.dropFirst() }
        while let l = s.last, chars.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
