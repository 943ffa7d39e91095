// Markdown: markup removed, one output line per source line. Block structure (headings,
// quotes, lists, fences, tables, rules, front matter) is handled line by line; inline markup
// (emphasis, links, images, code spans, inline HTML, entities, escapes) per paragraph, with
// CommonMark's delimiter-run rules so that snake_case words and bullet asterisks survive.

enum Markdown {
    struct Result {
        var text: String
        var title: String?
        var metadata: [String: String]
    }

    static func extract(_ source: String, clock: ExtractionClock = ExtractionClock(seconds: .infinity)) -> Result {
        var parser = BlockParser()
        parser.run(source, clock: clock)
        return Result(text: TextCleanup.tidyLines(parser.output.joined(separator: "\n")),
                      title: parser.title, metadata: parser.metadata)
    }
}

// MARK: - Blocks

private struct BlockParser {
    var output: [String] = []
    var metadata: [String: String] = [:]
    var frontMatterTitle: String?
    /// Title candidates.
    var topLineTitle: String?
    var sawFirstLine = false
    var firstH1: String?
    var firstHeading: String?

    var paragraph: [Substring] = []
    var paragraphIsTopLine = false
    var paragraphIsListItem = false
    var fence: (char: Character, length: Int)?
    var inTable = false

    var title: String? { frontMatterTitle ?? topLineTitle ?? firstH1 ?? firstHeading }

    mutating func run(_ source: String, clock: ExtractionClock) {
        var lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        let skip = readFrontMatter(lines)
        lines.removeFirst(skip)
        for line in lines {
            if clock.step() { return }
            handle(line)
        }
        flushParagraph()
    }

    // Front matter: "---" on the first line, "key: value" lines, "---" or "...".
    mutating func readFrontMatter(_ lines: [Substring]) -> Int {
        guard let first = lines.first, first.trimmingASCIIWhitespace() == "---" else { return 0 }
        var end: Int?
        for i in 1..<min(lines.count, 200) {
            let t = lines[i].trimmingASCIIWhitespace()
            if t == "---" || t == "..." { end = i; break }
        }
        guard let end, end > 1,
              lines[1..<end].allSatisfy({ $0.trimmingASCIIWhitespace().isEmpty || $0.contains(":")
                  || $0.hasPrefix(" ") || $0.hasPrefix("-") }) else { return 0 }
        let keys = ["title": "title", "author": "author", "date": "date", "description": "description",
                    "keywords": "keywords", "subject": "subject"]
        for line in lines[1..<end] {
            guard !line.hasPrefix(" "), let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingASCIIWhitespace().lowercased()
            guard let name = keys[key] else { continue }
            var value = line[line.index(after: colon)...].trimmingASCIIWhitespace()
            if value.count >= 2, let q = value.first, q == "\"" || q == "'", value.last == q {
                value = String(value.dropFirst().dropLast())
            }
            value = TextCleanup.collapseWhitespace(value)
            guard !value.isEmpty else { continue }
            if name == "title" { frontMatterTitle = frontMatterTitle ?? value } else { metadata[name] = metadata[name] ?? value }
        }
        return end + 1
    }

    mutating func handle(_ rawLine: Substring) {
        if let open = fence {
            if isClosingFence(rawLine, open) {
                fence = nil
            } else {
                output.append(String(rawLine))
            }
            return
        }
        var line = stripBlockquote(rawLine)
        let content = line.drop(while: { $0 == " " || $0 == "\t" })
        let indent = line.count - content.count

        if content.isEmpty {
            flushParagraph()
            inTable = false
            output.append("")
            return
        }
        let isTopLine = !sawFirstLine
        sawFirstLine = true

        if indent <= 3, let open = openingFence(content) {
            flushParagraph()
            fence = open
            return
        }
        if indent <= 3, let (level, text) = atxHeading(content) {
            flushParagraph()
            let rendered = Inline.render(text)
            output.append(rendered)
            noteHeading(level: level, text: rendered, isTopBlock: isTopLine)
            return
        }
        if indent <= 3, !paragraph.isEmpty, !paragraphIsListItem, let level = setextLevel(content) {
            let rendered = Inline.render(joinedParagraph())
            let wasTop = paragraphIsTopLine
            paragraph = []
            output.append(rendered)
            noteHeading(level: level, text: rendered, isTopBlock: wasTop)
            return
        }
        if indent <= 3, isThematicBreak(content) {
            flushParagraph()
            output.append("")
            return
        }
        if indent <= 3, paragraph.count == 1, isTableSeparator(content), paragraph[0].contains("|") {
            let header = paragraph[0]
            paragraph = []
            output.append(tableRow(header))
            inTable = true
            return
        }
        if inTable {
            if content.contains("|") {
                output.append(tableRow(content))
                return
            }
            inTable = false
        }
        if paragraph.isEmpty, indent <= 3, isLinkReferenceDefinition(content) {
            return
        }
        line = trimmingHardBreak(content)
        if let item = listItemText(line) {
            flushParagraph()
            paragraph = [item]
            paragraphIsTopLine = isTopLine
            paragraphIsListItem = true
        } else {
            if paragraph.isEmpty {
                paragraphIsTopLine = isTopLine
                paragraphIsListItem = false
            }
            paragraph.append(line)
        }
        if isTopLine, topLineTitle == nil, let bold = entirelyBold(line) {
            topLineTitle = bold
        }
    }

    mutating func noteHeading(level: Int, text: String, isTopBlock: Bool) {
        let t = TextCleanup.collapseWhitespace(text)
        guard !t.isEmpty else { return }
        if isTopBlock, topLineTitle == nil { topLineTitle = t }
        if level == 1, firstH1 == nil { firstH1 = t }
        if firstHeading == nil { firstHeading = t }
    }

    func joinedParagraph() -> String {
        paragraph.joined(separator: "\n")
    }

    mutating func flushParagraph() {
        guard !paragraph.isEmpty else { return }
        output.append(Inline.render(joinedParagraph()))
        paragraph = []
    }

    /// Drops "> " markers (nested too) at the start of a line. Linear in the line: each
    /// level looks at no more than the 4 characters it drops (`"> " * 80000` once took
    /// quadratic time here, counting the whole rest of the line per level).
    func stripBlockquote(_ line: Substring) -> Substring {
        var rest = line
        while true {
            var content = rest
            var spaces = 0
            while spaces <= 3, content.first == " " { content = content.dropFirst(); spaces += 1 }
            guard spaces <= 3, content.first == ">" else { return rest }
            rest = content.dropFirst()
            if rest.first == " " || rest.first == "\t" { rest = rest.dropFirst() }
        }
    }

    func openingFence(_ content: Substring) -> (char: Character, length: Int)? {
        guard let c = content.first, c == "`" || c == "~" else { return nil }
        let run = content.prefix(while: { $0 == c }).count
        guard run >= 3 else { return nil }
        if c == "`", content.dropFirst(run).contains("`") { return nil }
        return (c, run)
    }

    func isClosingFence(_ line: Substring, _ open: (char: Character, length: Int)) -> Bool {
        let content = line.drop(while: { $0 == " " })
        guard line.count - content.count <= 3 else { return false }
        let run = content.prefix(while: { $0 == open.char }).count
        return run >= open.length && content.dropFirst(run).trimmingASCIIWhitespace().isEmpty
    }

    func atxHeading(_ content: Substring) -> (Int, String)? {
        let level = content.prefix(while: { $0 == "#" }).count
        guard (1...6).contains(level) else { return nil }
        let rest = content.dropFirst(level)
        guard rest.isEmpty || rest.first == " " || rest.first == "\t" else { return nil }
        var text = rest.trimmingASCIIWhitespace()
        // Optional closing sequence: spaces then #s.
        if let lastNonHash = text.lastIndex(where: { $0 != "#" }) {
            let tail = text[text.index(after: lastNonHash)...]
            if !tail.isEmpty, text[lastNonHash] == " " || text[lastNonHash] == "\t" {
                text = String(text[...lastNonHash]).trimmingASCIIWhitespace()
            }
        } else {
            text = ""
        }
        return (level, text)
    }

    func setextLevel(_ content: Substring) -> Int? {
        let t = content.trimmingASCIIWhitespace()
        guard let c = t.first, c == "=" || c == "-", t.allSatisfy({ $0 == c }) else { return nil }
        return c == "=" ? 1 : 2
    }

    func isThematicBreak(_ content: Substring) -> Bool {
        guard let c = content.first, c == "*" || c == "-" || c == "_" else { return false }
        var count = 0
        for ch in content {
            if ch == c { count += 1 } else if ch != " " && ch != "\t" { return false }
        }
        return count >= 3
    }

    func isTableSeparator(_ content: Substring) -> Bool {
        var dashes = 0
        var pipes = 0
        for ch in content {
            switch ch {
            case "-": dashes += 1
            case "|": pipes += 1
            case ":", " ", "\t": break
            default: return false
            }
        }
        return dashes >= 1 && pipes >= 1
    }

    func tableRow(_ content: Substring) -> String {
        var cells: [String] = []
        var current = ""
        var escaped = false
        for ch in content {
            if escaped {
                if ch != "|" { current.append("\\") }
                current.append(ch)
                escaped = false
            } else if ch == "\\" {
                escaped = true
            } else if ch == "|" {
                cells.append(current)
                current = ""
            } else {
                current.append(ch)
            }
        }
        if escaped { current.append("\\") }
        cells.append(current)
        let trimmedContent = content.trimmingASCIIWhitespace()
        if trimmedContent.hasPrefix("|"), !cells.isEmpty { cells.removeFirst() }
        if trimmedContent.hasSuffix("|"), trimmedContent.count > 1, !cells.isEmpty { cells.removeLast() }
        return cells.map { Inline.render($0.trimmingASCIIWhitespace()) }.joined(separator: "\t")
    }

    /// `[label]: destination "optional title"` (footnote definitions `[^1]: ...` are text).
    func isLinkReferenceDefinition(_ content: Substring) -> Bool {
        guard content.first == "[", let close = content.firstIndex(of: "]") else { return false }
        let label = content[content.index(after: content.startIndex)..<close]
        guard !label.isEmpty, !label.hasPrefix("^") else { return false }
        let after = content[content.index(after: close)...]
        guard after.first == ":" else { return false }
        let rest = after.dropFirst().drop(while: { $0 == " " || $0 == "\t" })
        let destination = rest.prefix(while: { $0 != " " && $0 != "\t" })
        guard !destination.isEmpty else { return false }
        let title = rest.dropFirst(destination.count).trimmingASCIIWhitespace()
        guard let open = title.first else { return true }
        let closing: Character = open == "(" ? ")" : open
        return (open == "\"" || open == "'" || open == "(") && title.count >= 2 && title.last == closing
    }

    /// Removes the hard-break markers at the end of a line (two spaces, a backslash).
    func trimmingHardBreak(_ line: Substring) -> Substring {
        var end = line.endIndex
        while end > line.startIndex, line[line.index(before: end)] == " " || line[line.index(before: end)] == "\t" {
            end = line.index(before: end)
        }
        var trimmed = line[..<end]
        if trimmed.hasSuffix("\\"), !trimmed.hasSuffix("\\\\") { trimmed = trimmed.dropLast() }
        return trimmed
    }

    /// The text of a list item line: bullets ("-", "*", "+") and task boxes are dropped;
    /// ordered markers ("1.", "2)") are content in official texts and are kept.
    func listItemText(_ content: Substring) -> Substring? {
        guard let c = content.first else { return nil }
        if c == "-" || c == "*" || c == "+" {
            let rest = content.dropFirst()
            guard rest.isEmpty || rest.first == " " || rest.first == "\t" else { return nil }
            var text = rest.drop(while: { $0 == " " || $0 == "\t" })
            for box in ["[ ] ", "[x] ", "[X] "] where text.hasPrefix(box) { text = text.dropFirst(4) }
            return text
        }
        let digits = content.prefix(while: { $0.isASCII && $0.isNumber })
        guard (1...9).contains(digits.count) else { return nil }
        let rest = content.dropFirst(digits.count)
        guard let m = rest.first, m == "." || m == ")" else { return nil }
        let after = rest.dropFirst()
        guard after.isEmpty || after.first == " " || after.first == "\t" else { return nil }
        return content
    }

    /// For a line that is bold from end to end (`**X**` or `__X__`), its text.
    func entirelyBold(_ line: Substring) -> String? {
        let t = line.trimmingASCIIWhitespace()
        for marker in ["**", "__"] where t.hasPrefix(marker) && t.hasSuffix(marker) && t.count > 4 {
            let inner = t.dropFirst(2).dropLast(2)
            guard !inner.contains(marker), inner.first != " ", inner.last != " " else { return nil }
            let text = TextCleanup.collapseWhitespace(Inline.render(t))
            return text.isEmpty ? nil : text
        }
        return nil
    }
}

// MARK: - Inline

enum Inline {
    /// Renders one paragraph's inline Markdown as plain text, in time linear in its length
    /// (give or take a logarithm): every construct that looks ahead for its end (a link's
    /// "]" and ")", a code span's closing backticks, a comment's "-->", a declaration's ">")
    /// finds it in a table made by one pass (`Lookahead`) instead of scanning the rest of the
    /// paragraph, so unclosed openers cannot make the work quadratic; links nest at most
    /// `maxLinkDepth` deep (deeper brackets are text), which also bounds the recursion.
    static func render<S: StringProtocol>(_ text: S) -> String {
        let scalars = Array(text.unicodeScalars)
        var tokens: [Token] = []
        let ahead = Lookahead(scalars)
        tokenize(scalars, 0, scalars.count, ahead: ahead, depth: 0, into: &tokens)
        resolveEmphasis(&tokens)
        // Scalars gathered in an array and made a String once: appending many small pieces to
        // a String's scalar view copied the whole string again and again (4 s for 1 MB).
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(scalars.count)
        for token in tokens {
            switch token {
            case .text(let s): out.append(contentsOf: s)
            case .delimiter(let d): for _ in 0..<d.count { out.append(d.char) }
            }
        }
        var text = String()
        text.unicodeScalars.append(contentsOf: out)
        return text
    }

    struct Delimiter {
        var char: Unicode.Scalar
        var count: Int
        let original: Int
        let canOpen: Bool
        let canClose: Bool
    }

    enum Token {
        case text([Unicode.Scalar])
        case delimiter(Delimiter)
    }

    static func isWhitespace(_ s: Unicode.Scalar) -> Bool {
        s == " " || s == "\t" || s == "\n" || s == "\r" || s.properties.isWhitespace
    }

    static func isPunctuation(_ s: Unicode.Scalar) -> Bool {
        if s.isASCII {
            let v = s.value
            return (0x21...0x2F).contains(v) || (0x3A...0x40).contains(v) || (0x5B...0x60).contains(v)
                || (0x7B...0x7E).contains(v)
        }
        switch s.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation,
             .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
            return true
        default:
            return false
        }
    }

    /// Links nested deeper than this are read as text.
    static let maxLinkDepth = 16
    /// How far an inline HTML tag may reach for its ">" (attributes included).
    static let maxTagLength = 2048

    static func tokenize(_ s: [Unicode.Scalar], _ start: Int, _ end: Int, ahead: Lookahead, depth: Int, into tokens: inout [Token]) {
        var plain: [Unicode.Scalar] = []
        func flush() {
            if !plain.isEmpty {
                tokens.append(.text(plain))
                plain.removeAll(keepingCapacity: true)
            }
        }
        var i = start
        while i < end {
            let c = s[i]
            switch c {
            case "\\":
                if i + 1 < end, s[i + 1].isASCII, isPunctuation(s[i + 1]) {
                    plain.append(s[i + 1])
                    i += 2
                } else {
                    plain.append(c)
                    i += 1
                }
            case "`":
                var run = 0
                while i + run < end, s[i + run] == "`" { run += 1 }
                if let (contentEnd, after) = ahead.closingBackticks(from: i + run, end: end, length: run) {
                    var code = Array(s[(i + run)..<contentEnd])
                    if code.count >= 2, code.first == " ", code.last == " ", code.contains(where: { $0 != " " }) {
                        code = Array(code.dropFirst().dropLast())
                    }
                    plain.append(contentsOf: code)
                    i = after
                } else {
                    plain.append(contentsOf: s[i..<(i + run)])
                    i += run
                }
            case "!" where i + 1 < end && s[i + 1] == "[", "[":
                // An image ![alt](url) keeps its alt text, a link [text](url) its text.
                let bracket = c == "!" ? i + 1 : i
                if depth < maxLinkDepth, let link = parseLink(s, at: bracket, end: end, ahead: ahead) {
                    flush()
                    tokenize(s, link.labelStart, link.labelEnd, ahead: ahead, depth: depth + 1, into: &tokens)
                    i = link.after
                } else {
                    plain.append(c)
                    i += 1
                }
            case "<":
                if let (replacement, after) = parseAngle(s, at: i, end: end, ahead: ahead) {
                    plain.append(contentsOf: replacement)
                    i = after
                } else {
                    plain.append(c)
                    i += 1
                }
            case "&":
                if let (decoded, after) = Entities.decode(s, at: i, end: end) {
                    plain.append(decoded)
                    i = after
                } else {
                    plain.append(c)
                    i += 1
                }
            case "*", "_", "~":
                var run = 0
                while i + run < end, s[i + run] == c { run += 1 }
                if c == "~" && run != 2 {
                    plain.append(contentsOf: s[i..<(i + run)])
                    i += run
                    continue
                }
                let before: Unicode.Scalar = i > start ? s[i - 1] : " "
                let after: Unicode.Scalar = i + run < end ? s[i + run] : " "
                let leftFlanking = !isWhitespace(after)
                    && (!isPunctuation(after) || isWhitespace(before) || isPunctuation(before))
                let rightFlanking = !isWhitespace(before)
                    && (!isPunctuation(before) || isWhitespace(after) || isPunctuation(after))
                let canOpen: Bool
                let canClose: Bool
                if c == "_" {
                    canOpen = leftFlanking && (!rightFlanking || isPunctuation(before))
                    canClose = rightFlanking && (!leftFlanking || isPunctuation(after))
                } else {
                    canOpen = leftFlanking
                    canClose = rightFlanking
                }
                if canOpen || canClose {
                    flush()
                    tokens.append(.delimiter(Delimiter(char: c, count: run, original: run, canOpen: canOpen, canClose: canClose)))
                } else {
                    plain.append(contentsOf: s[i..<(i + run)])
                }
                i += run
            default:
                plain.append(c)
                i += 1
            }
        }
        flush()
    }

    struct Link {
        var labelStart: Int
        var labelEnd: Int
        var after: Int
    }

    /// `[label](destination)`, `[label][ref]` or `[label][]` starting at `s[i] == "["`.
    /// The matching "]" and ")" come from `ahead` (the same depth counting, done once).
    static func parseLink(_ s: [Unicode.Scalar], at i: Int, end: Int, ahead: Lookahead) -> Link? {
        guard let close = ahead.match[i], close < end, close + 1 < end else { return nil }
        if s[i + 1] == "^" { return nil }  // footnote reference
        if s[close + 1] == "(" {
            if let k = ahead.match[close + 1], k < end { return Link(labelStart: i + 1, labelEnd: close, after: k + 1) }
            return nil
        }
        if s[close + 1] == "[" {
            // `[label][ref]`: the reference holds no brackets, so the next bracket ends it.
            if let k = ahead.nextBracket[close + 2], k < end, s[k] == "]" { return Link(labelStart: i + 1, labelEnd: close, after: k + 1) }
        }
        return nil
    }

    /// Autolinks (`<https://...>` -> the address) and inline HTML (tags and comments
    /// removed, `<br>` -> line break).
    static func parseAngle(_ s: [Unicode.Scalar], at i: Int, end: Int, ahead: Lookahead) -> ([Unicode.Scalar], Int)? {
        guard i + 1 < end else { return nil }
        let next = s[i + 1]
        if next == "!" {
            // Comment or declaration.
            if i + 3 < end, s[i + 2] == "-", s[i + 3] == "-" {
                if let k = ahead.nextCommentEnd[i + 4], k + 2 < end { return ([], k + 3) }
                return nil
            }
            if let close = ahead.nextGreater[i + 2], close < end { return ([], close + 1) }
            return nil
        }
        let isLetter = { (c: Unicode.Scalar) in (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") }
        // Autolink: <scheme:...> or <user@host>, no spaces or angle brackets inside.
        if isLetter(next) {
            var k = i + 1
            while k < end, s[k] != ">", s[k] != "<", !isWhitespace(s[k]) { k += 1 }
            if k < end, s[k] == ">" {
                let inner = Array(s[(i + 1)..<k])
                let text = String(String.UnicodeScalarView(inner))
                if text.contains(":") || text.contains("@"), !text.contains("=") || text.contains("://") {
                    return (text.lowercased().hasPrefix("mailto:") ? Array(inner.dropFirst(7)) : inner, k + 1)
                }
            }
        }
        // A tag: <name ...>, </name>, <name/>.
        var k = i + 1
        if s[k] == "/" { k += 1 }
        guard k < end, isLetter(s[k]) else { return nil }
        let nameStart = k
        while k < end, isLetter(s[k]) || (s[k] >= "0" && s[k] <= "9") || s[k] == "-" { k += 1 }
        let name = String(String.UnicodeScalarView(s[nameStart..<k])).lowercased()
        guard k < end, s[k] == ">" || s[k] == "/" || isWhitespace(s[k]) else { return nil }
        var quote: Unicode.Scalar?
        let limit = min(end, i + maxTagLength)
        while k < limit {
            let c = s[k]
            if let q = quote {
                if c == q { quote = nil }
            } else if c == "\"" || c == "'" {
                quote = c
            } else if c == ">" {
                let breaks: Set<String> = ["br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"]
                let replacement: [Unicode.Scalar] = breaks.contains(name) && (name == "br" || s[i + 1] == "/") ? ["\n"] : []
                return (replacement, k + 1)
            } else if c == "<" {
                return nil
            }
            k += 1
        }
        return nil
    }

    /// CommonMark's "process emphasis": pairs openers and closers of the same character,
    /// consuming one or two delimiter characters per pair. Whatever stays unpaired is text.
    static func resolveEmphasis(_ tokens: inout [Token]) {
        var openers: [Int] = []
        var bottoms: [Int: Int] = [:]
        func key(_ d: Delimiter) -> Int {
            Int(d.char.value) * 8 + (d.canOpen ? 4 : 0) + d.original % 3
        }
        for t in tokens.indices {
            guard case .delimiter(var closer) = tokens[t] else { continue }
            if closer.canClose {
                while closer.count > 0 {
                    let bottom = bottoms[key(closer)] ?? 0
                    var found: Int?
                    var o = openers.count - 1
                    while o >= bottom {
                        if case .delimiter(let opener) = tokens[openers[o]], opener.char == closer.char, opener.count > 0 {
                            let oddMatch = (opener.canClose || closer.canOpen)
                                && (opener.original + closer.original) % 3 == 0
                                && !(opener.original % 3 == 0 && closer.original % 3 == 0)
                            let tildeOK = closer.char != "~" || opener.count == closer.count
                            if !oddMatch && tildeOK { found = o; break }
                        }
                        o -= 1
                    }
                    guard let o = found, case .delimiter(var opener) = tokens[openers[o]] else {
                        bottoms[key(closer)] = openers.count
                        break
                    }
                    let use = closer.char == "~" ? closer.count : (opener.count >= 2 && closer.count >= 2 ? 2 : 1)
                    opener.count -= use
                    closer.count -= use
                    tokens[openers[o]] = .delimiter(opener)
                    openers.removeSubrange((o + 1)...)
                    if opener.count == 0 { openers.remove(at: o) }
                    for (k, v) in bottoms where v > openers.count { bottoms[k] = openers.count }
                }
                tokens[t] = .delimiter(closer)
            }
            if closer.count > 0 && closer.canOpen { openers.append(t) }
        }
    }
}

// MARK: - Lookahead

extension Inline {
    /// Where each opener of a paragraph ends, found in one pass over it, so that no opener
    /// scans the rest of the paragraph (see `render`). A backslash escapes the next scalar,
    /// as in `tokenize`.
    struct Lookahead {
        /// For a "[" its matching "]", for a "(" its matching ")" (nil: never closed).
        var match: [Int?]
        /// The first "[" or "]" at or after each index.
        var nextBracket: [Int?]
        /// The first ">" at or after each index.
        var nextGreater: [Int?]
        /// The first "-->" starting at or after each index (the index of its first "-").
        var nextCommentEnd: [Int?]
        /// Start indices of backtick runs, by run length, ascending.
        var backtickRuns: [Int: [Int]] = [:]

        init(_ s: [Unicode.Scalar]) {
            let n = s.count
            match = Array(repeating: nil, count: n + 2)
            nextBracket = Array(repeating: nil, count: n + 2)
            nextGreater = Array(repeating: nil, count: n + 2)
            nextCommentEnd = Array(repeating: nil, count: n + 2)
            var brackets: [Int] = [], parens: [Int] = []
            var i = 0
            while i < n {
                switch s[i] {
                case "\\": i += 1
                case "[": brackets.append(i)
                case "]": if let o = brackets.popLast() { match[o] = i }
                case "(": parens.append(i)
                case ")": if let o = parens.popLast() { match[o] = i }
                default: break
                }
                i += 1
            }
            // Backslashes do not escape inside code spans: runs are counted on their own.
            i = 0
            while i < n {
                guard s[i] == "`" else { i += 1; continue }
                var run = 0
                while i + run < n, s[i + run] == "`" { run += 1 }
                backtickRuns[run, default: []].append(i)
                i += run
            }
            var bracket: Int?, greater: Int?, comment: Int?
            for k in stride(from: n - 1, through: 0, by: -1) {
                if s[k] == "[" || s[k] == "]" { bracket = k }
                if s[k] == ">" { greater = k }
                if k + 2 < n, s[k] == "-", s[k + 1] == "-", s[k + 2] == ">" { comment = k }
                nextBracket[k] = bracket; nextGreater[k] = greater; nextCommentEnd[k] = comment
            }
        }

        /// The end of a code span's content and the index after its closing run: the first
        /// backtick run of exactly `length` starting at or after `from` and before `end`.
        func closingBackticks(from: Int, end: Int, length: Int) -> (Int, Int)? {
            guard let runs = backtickRuns[length] else { return nil }
            var lo = 0, hi = runs.count
            while lo < hi { let mid = (lo + hi) / 2; if runs[mid] < from { lo = mid + 1 } else { hi = mid } }
            guard lo < runs.count, runs[lo] + length <= end else { return nil }
            return (runs[lo], runs[lo] + length)
        }
    }
}

// MARK: - Entities

enum Entities {
    static let named: [String: Unicode.Scalar] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": " ", "copy": "\u{A9}",
        "reg": "\u{AE}", "trade": "\u{2122}", "hellip": "\u{2026}", "ndash": "\u{2013}", "mdash": "\u{2014}",
        "laquo": "\u{AB}", "raquo": "\u{BB}", "ldquo": "\u{201C}", "rdquo": "\u{201D}", "lsquo": "\u{2018}",
        "rsquo": "\u{2019}", "middot": "\u{B7}", "deg": "\u{B0}", "times": "\u{D7}", "bull": "\u{2022}",
        "shy": "\u{AD}", "euro": "\u{20AC}", "sect": "\u{A7}", "para": "\u{B6}",
    ]

    /// Decodes `&name;`, `&#123;` or `&#x7B;` at `s[i] == "&"`.
    static func decode(_ s: [Unicode.Scalar], at i: Int, end: Int) -> (Unicode.Scalar, Int)? {
        var k = i + 1
        let limit = min(end, i + 34)
        if k < limit, s[k] == "#" {
            k += 1
            var hex = false
            if k < limit, s[k] == "x" || s[k] == "X" { hex = true; k += 1 }
            let digitsStart = k
            var value: UInt32 = 0
            while k < limit, let d = digit(s[k], hex: hex) {
                value = value &* (hex ? 16 : 10) &+ d
                if value > 0x10FFFF { return nil }
                k += 1
            }
            guard k > digitsStart, k < end, s[k] == ";" else { return nil }
            let scalar = (value == 0 ? nil : Unicode.Scalar(value)) ?? "\u{FFFD}"
            return (scalar, k + 1)
        }
        let nameStart = k
        while k < limit, s[k].isASCII, s[k].properties.isAlphabetic || (s[k] >= "0" && s[k] <= "9") { k += 1 }
        guard k > nameStart, k < end, s[k] == ";" else { return nil }
        let name = String(String.UnicodeScalarView(s[nameStart..<k]))
        guard let scalar = named[name] else { return nil }
        return (scalar, k + 1)
    }

    static func digit(_ c: Unicode.Scalar, hex: Bool) -> UInt32? {
        switch c {
        case "0"..."9": return c.value - 48
        case "a"..."f" where hex: return c.value - 87
        case "A"..."F" where hex: return c.value - 55
        default: return nil
        }
    }
}
