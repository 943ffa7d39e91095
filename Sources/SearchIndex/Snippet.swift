import VietText

// Snippets are cut from the ORIGINAL stored text, with highlights on the characters the user
// stored, using the tokenizer's byte ranges. They are computed here rather than with FTS5's
// snippet(), which tokenizes the whole column for every hit: on a 1 MB legal text that costs
// milliseconds per hit, while the passage we show is usually near the start. We scan tokens
// until a window holds every query word, or a scan limit is reached, straight from SQLite's
// copy of the text (no String is made of a whole document).

/// A passage of a document with the byte ranges (in `text`'s UTF-8) that match the query.
public struct Snippet: Sendable, Equatable {
    public var text: String
    public var highlights: [Range<Int>]
    /// Where the passage's first match starts in the document's text (UTF-8 byte offset).
    public var matchOffset: Int?

    public init(text: String, highlights: [Range<Int>], matchOffset: Int? = nil) {
        self.text = text
        self.highlights = highlights
        self.matchOffset = matchOffset
    }

    /// The text with each highlight wrapped in `open`/`close`, every piece of text passed
    /// through `escape` (e.g. HTML escaping) first.
    public func rendered(open: String, close: String, escape: (String) -> String = { $0 }) -> String {
        let bytes = Array(text.utf8)
        var result = ""
        var position = 0
        for range in highlights where range.lowerBound >= position && range.upperBound <= bytes.count {
            result += escape(String(decoding: bytes[position..<range.lowerBound], as: UTF8.self))
            result += open + escape(String(decoding: bytes[range], as: UTF8.self)) + close
            position = range.upperBound
        }
        result += escape(String(decoding: bytes[position...], as: UTF8.self))
        return result
    }
}

/// Matches document tokens against the query's terms, as the index would.
struct TermMatcher {
    /// One query word: its form (accented if typed with diacritics, else folded).
    struct Word {
        var form: [UInt8]
        var accented: Bool
        var prefix: Bool
    }
    var words: [Word] = []

    init(terms: [Term]) {
        for term in terms {
            let tokens = Tokenizer.tokens(in: term.text)
            for (k, token) in tokens.enumerated() {
                let accented = token.accented != token.folded
                let form = Array((accented ? token.accented : token.folded).utf8)
                let word = Word(form: form, accented: accented, prefix: term.isPrefix && k == tokens.count - 1)
                if !words.contains(where: { $0.form == word.form && $0.prefix == word.prefix }) {
                    words.append(word)
                }
            }
        }
    }

    /// The index of the query word `token` matches, or nil.
    func match(_ token: TokenView) -> Int? {
        for (index, word) in words.enumerated() {
            let candidate = word.accented ? token.accented : token.folded
            if word.prefix {
                if candidate.count >= word.form.count && candidate.starts(with: word.form) { return index }
            } else if candidate.count == word.form.count && candidate.elementsEqual(word.form) {
                return index
            }
        }
        return nil
    }
}

enum SnippetBuilder {
    /// Tokens shown in a passage.
    static let windowTokens = 28
    /// Tokens of context kept before the first match of the passage.
    static let leadTokens = 6
    /// Once something matched, stop looking for a better passage this many bytes further on.
    static let scanAfterMatch = 64 * 1024
    /// Stop looking altogether after this many bytes (a 1 MB law with the words scattered).
    static let scanLimit = 256 * 1024

    static func snippet(of text: String, matcher: TermMatcher) -> Snippet {
        var text = text
        return text.withUTF8 { snippet(of: $0, matcher: matcher) }
    }

    /// The passage of a whole text.
    static func snippet(of bytes: UnsafeBufferPointer<UInt8>, matcher: TermMatcher) -> Snippet {
        guard case .settled(let snippet) = passage(of: bytes, matcher: matcher, isComplete: true) else {
            preconditionFailure("a whole text always settles its passage")
        }
        return snippet
    }

    /// What the start of a text tells about its passage.
    enum Passage: Equatable {
        /// The passage, exactly as the whole text's.
        case settled(Snippet)
        /// The passage could depend on what follows: read this many bytes of the text (a
        /// guess of how much settles it) and ask again.
        case needs(bytes: Int)
    }

    /// Bytes at the end of a partial text whose tokens are not trusted: the cut may split a
    /// word ("Hóa" read as "H") or a character's UTF-8.
    static let partialMargin = 64

    /// The best passage of `bytes` (UTF-8): the first window of `windowTokens` tokens holding
    /// the most distinct query words, found in one pass that remembers only the last window.
    ///
    /// `bytes` may be the start of the text only (`isComplete` false, as `TextStore.Reader`
    /// gives it): then the passage is settled only when more text could not change it.
    static func passage(of bytes: UnsafeBufferPointer<UInt8>, matcher: TermMatcher, isComplete: Bool) -> Passage {
        let trustedEnd = isComplete ? Int.max : bytes.count - partialMargin
        var needsMore = false
        let ring = windowTokens + leadTokens
        var starts = [Int](repeating: 0, count: ring)
        var matched = [Int](repeating: -1, count: ring)  // query word index, or -1
        var count = 0
        var best: (from: Int, distinct: Int)?
        var firstMatchEnd: Int?
        let allWords = matcher.words.count

        struct Done: Error {}
        var stopped = false  // by a rule above, not by the end of `bytes`
        try? Tokenizer.forEachToken(in: bytes) { token in
            if token.end > trustedEnd { needsMore = true; throw Done() }
            let slot = count % ring
            starts[slot] = token.start
            matched[slot] = matcher.match(token) ?? -1
            count += 1
            if matched[slot] >= 0 {
                firstMatchEnd = firstMatchEnd ?? token.end
                // The window ending here: its distinct words, and its first match.
                var seen: UInt64 = 0
                var first = count - 1
                for k in max(0, count - windowTokens)..<count where matched[k % ring] >= 0 {
                    seen |= 1 << UInt64(min(matched[k % ring], 63))
                    first = min(first, k)
                }
                let distinct = seen.nonzeroBitCount
                if best == nil || distinct > best!.distinct {
                    let lead = max(0, first - leadTokens)
                    best = (lead == 0 ? 0 : starts[lead % ring], distinct)
                }
                if distinct >= allWords { stopped = true; throw Done() }
            }
            if let end = firstMatchEnd, token.end > end + scanAfterMatch { stopped = true; throw Done() }
            if token.end > scanLimit { stopped = true; throw Done() }
        }
        // The passage can depend on text not read yet unless a rule stopped the scan first.
        if needsMore || (!isComplete && !stopped) {
            // Where a scan of the whole text would stop at the latest, plus a window's slack.
            return .needs(bytes: min(firstMatchEnd.map { $0 + scanAfterMatch } ?? scanLimit, scanLimit) + 8 * 1024)
        }

        // Cut the passage: `windowTokens` tokens from the chosen start, matches highlighted.
        let from = best?.from ?? 0
        var to = from
        var highlights: [Range<Int>] = []
        var taken = 0
        var reachedEnd = true
        try? Tokenizer.forEachToken(in: UnsafeBufferPointer(rebasing: bytes[from...])) { token in
            if taken == windowTokens { reachedEnd = false; throw Done() }
            if from + token.end > trustedEnd { needsMore = true; throw Done() }
            taken += 1
            to = from + token.end
            if matcher.match(token) != nil { highlights.append(token.start..<token.end) }
        }
        if needsMore || (reachedEnd && !isComplete) {
            return .needs(bytes: bytes.count + 8 * 1024)  // the window runs past what was read
        }
        if reachedEnd { to = bytes.count }
        guard taken > 0 else { return .settled(Snippet(text: "", highlights: [])) }
        let passage = String(decoding: UnsafeBufferPointer(rebasing: bytes[from..<to]), as: UTF8.self)
        // One line of text: runs of whitespace become one space.
        let (flat, mapped) = flatten(passage, highlights: highlights)
        let prefix = from > 0 ? "… " : ""
        let suffix = to < bytes.count ? " …" : ""
        let shift = prefix.utf8.count
        return .settled(Snippet(text: prefix + flat + suffix,
                                highlights: mapped.map { ($0.lowerBound + shift)..<($0.upperBound + shift) },
                                matchOffset: highlights.first.map { from + $0.lowerBound }))
    }

    /// Replaces each run of whitespace with one space and trims the ends, moving highlight
    /// ranges with the text.
    static func flatten(_ text: String, highlights: [Range<Int>]) -> (String, [Range<Int>]) {
        let bytes = Array(text.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var map = [Int](repeating: 0, count: bytes.count + 1)  // old offset -> new offset
        var pendingSpace = false
        for (i, b) in bytes.enumerated() {
            let isSpace = b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09
            if isSpace {
                pendingSpace = !output.isEmpty
                map[i] = output.count
                continue
            }
            if pendingSpace { output.append(0x20); pendingSpace = false }
            map[i] = output.count
            output.append(b)
        }
        map[bytes.count] = output.count
        let ranges = highlights.map { map[$0.lowerBound]..<max(map[$0.lowerBound], map[$0.upperBound]) }
        return (String(decoding: output, as: UTF8.self), ranges)
    }
}
