import VietText

// Snippets are cut from the ORIGINAL stored text, with highlights on the characters the user
// stored, using the tokenizer's byte ranges. They are computed here rather than with FTS5's
// snippet(), which tokenizes the whole column for every hit: on a 1 MB legal text that costs
// milliseconds per hit, while the passage we show is usually near the start. We scan tokens
// until a window holds every query term, or a scan limit is reached.

/// A passage of a document with the byte ranges (in `text`'s UTF-8) that match the query.
public struct Snippet: Sendable, Equatable {
    public var text: String
    public var highlights: [Range<Int>]

    public init(text: String, highlights: [Range<Int>]) {
        self.text = text
        self.highlights = highlights
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
    /// Tokens shown around the best passage.
    static let windowTokens = 28
    /// Stop looking for a better passage after this many bytes once something matched.
    static let scanLimit = 200_000

    static func snippet(of text: String, matcher: TermMatcher) -> Snippet {
        var text = text
        return text.withUTF8 { bytes in build(bytes, matcher: matcher) }
    }

    private static func build(_ bytes: UnsafeBufferPointer<UInt8>, matcher: TermMatcher) -> Snippet {
        // Token boundaries seen so far and which of them matched which query word.
        var starts: [Int] = []
        var ends: [Int] = []
        var matches: [Int?] = []
        var best: (first: Int, distinct: Int)?
        let allWords = matcher.words.count

        struct Done: Error {}
        // True once every token of the text has been seen.
        var complete = true
        do {
            try Tokenizer.forEachToken(in: bytes) { token in
                starts.append(token.start)
                ends.append(token.end)
                matches.append(matcher.match(token))
                let last = starts.count - 1
                if matches[last] != nil {
                    // The window ending at this token: how many distinct words does it hold?
                    let first = max(0, last - windowTokens + 1)
                    var seen = Set<Int>()
                    for k in first...last { if let m = matches[k] { seen.insert(m) } }
                    if best == nil || seen.count > best!.distinct {
                        // Centre the passage on its matches: start a few tokens before the first.
                        let firstMatch = (first...last).first { matches[$0] != nil } ?? last
                        best = (max(0, firstMatch - 6), seen.count)
                    }
                    if seen.count == allWords { throw Done() }
                }
                if best != nil && token.end > scanLimit { throw Done() }
                if best == nil && starts.count > windowTokens && token.end > scanLimit * 4 { throw Done() }
            }
        } catch { complete = false }
        guard !starts.isEmpty else { return Snippet(text: "", highlights: []) }

        let first = best?.first ?? 0
        // Make sure the window's tokens are known (the scan may have stopped at its first match).
        var k = starts.count
        if first + windowTokens > k && !complete {
            let tail = UnsafeBufferPointer(rebasing: bytes[ends[k - 1]...])
            let offset = ends[k - 1]
            complete = true
            do {
                try Tokenizer.forEachToken(in: tail) { token in
                    starts.append(token.start + offset)
                    ends.append(token.end + offset)
                    matches.append(matcher.match(token))
                    k += 1
                    if k >= first + windowTokens { throw Done() }
                }
            } catch { complete = false }
        }
        let last = min(first + windowTokens, starts.count) - 1
        let from = first == 0 ? 0 : starts[first]
        // The passage runs to the end of the text when it holds the text's last token.
        let to = complete && last == starts.count - 1 ? bytes.count : ends[last]
        var highlights: [Range<Int>] = []
        for index in first...last where matches[index] != nil {
            highlights.append((starts[index] - from)..<(ends[index] - from))
        }
        var passage = String(decoding: UnsafeBufferPointer(rebasing: bytes[from..<to]), as: UTF8.self)
        // Collapse line breaks and runs of spaces: a snippet is one line of text.
        let (flat, mapped) = flatten(passage, highlights: highlights)
        passage = flat
        highlights = mapped
        let prefix = first > 0 ? "… " : ""
        let suffix = to < bytes.count ? " …" : ""
        let shift = prefix.utf8.count
        return Snippet(text: prefix + passage + suffix,
                       highlights: highlights.map { ($0.lowerBound + shift)..<($0.upperBound + shift) })
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
