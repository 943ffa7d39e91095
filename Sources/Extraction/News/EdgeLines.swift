import Foundation
import VietText

// The lines of an article that a site's page template could hold: what the index counts across
// the documents of one source to find lines the source repeats on every page (a footer, a
// slogan, a caption, a menu the phrase list does not know), see SearchIndex's SourceLines.
//
// Only the edges of the page are candidates: a template stands above or below what changes from
// page to page. Only short lines: a template line is a label or a footer, not a paragraph. And
// never a line that is the article's own whatever the count: a byline ("Minh Anh", "Tiến Long
// (Tổng hợp)") stands under hundreds of one paper's articles, as do "Theo ..." credits and the
// "Nguồn: ..." line the origin is read from.

extension ArticleCleaner {
    /// Kept whole lines this far from the top and the bottom of the article are candidates.
    static let edgeHeadLines = 6
    static let edgeTailLines = 10
    /// A candidate has 2 to 24 words.
    static let edgeLineWords = 2...24

    /// The candidate lines, trimmed, in text order, each once.
    static func edgeLines(_ bytes: [UInt8], _ segments: [TextSegment], _ shapes: [Shape], _ verdicts: [ChromeReason?]) -> [String] {
        let kept = segments.indices.filter { verdicts[$0] == nil && segments[$0].isWholeLine }
        guard !kept.isEmpty else { return [] }
        var picked = Set<Int>()
        for (m, k) in kept.enumerated() where m < edgeHeadLines || m >= kept.count - edgeTailLines { picked.insert(k) }
        var seen = Set<String>()
        var out: [String] = []
        for k in picked.sorted() {
            let shape = shapes[k]
            guard edgeLineWords.contains(shape.words) else { continue }
            if shape.folded.starts(with: sourceLinePrefix) || shape.folded.starts(with: creditPrefix) { continue }
            let line = string(bytes, segments[k])
            if looksLikeByline(line, words: shape.words) { continue }
            if seen.insert(line).inserted { out.append(line) }
        }
        return out
    }

    /// "Theo ..." folded: a credit.
    static let creditPrefix = Array("theo ".utf8)

    /// A short line of names: at most five words, the first and two thirds of them capitalised
    /// ("Minh Anh", "Hoàng Anh - Thu Hà", "Tiến Long (Tổng hợp)"). Labels are not: "Liên kết
    /// website", "Ảnh minh họa", "Đọc nhiều nhất".
    static func looksLikeByline(_ line: String, words: Int) -> Bool {
        guard words <= 5 else { return false }
        var wordCount = 0, capitalised = 0, firstCapitalised = false
        for word in line.split(separator: " ") {
            guard let letter = word.unicodeScalars.first(where: { $0.properties.isAlphabetic }) else { continue }
            wordCount += 1
            let upper = letter.properties.isUppercase
            if upper { capitalised += 1 }
            if wordCount == 1 { firstCapitalised = upper }
        }
        return wordCount > 0 && firstCapitalised && capitalised * 3 >= wordCount * 2
    }
}

extension ArticleText {
    /// The article as the index stores it once its source's template lines are known: `lines`
    /// (edge lines the index counts on many pages of the source) dropped from the body, unless
    /// they are more than half of it (the index's rule: such a page is a repost, not a template).
    /// `text` is the text the article was cleaned from (for the lines' numbers).
    package mutating func leaveOut(sourceRepeated lines: [String], text: String) {
        let set = Set(lines)
        guard !set.isEmpty else { return }
        let bodyLines = body.split(separator: "\n", omittingEmptySubsequences: false)
        var kept: [Substring] = []
        var removedBytes = 0
        for line in bodyLines {
            if set.contains(line.trimmingCharacters(in: [" ", "\t", "\r"])) { removedBytes += line.utf8.count + 1 } else { kept.append(line) }
        }
        guard removedBytes > 0, removedBytes * 2 <= body.utf8.count else { return }
        body = kept.joined(separator: "\n")
        let textLines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for (n, line) in textLines.enumerated() {
            let trimmed = line.trimmingCharacters(in: [" ", "\t", "\r"])
            guard set.contains(trimmed) else { continue }
            dropped.append(DroppedSegment(line: n + 1, text: trimmed, reason: .sourceRepeated))
            keptSegments -= 1
        }
        dropped.sort { $0.line < $1.line }
    }
}
