import DocumentModel
import Extraction
import SearchIndex
import VietText

// News in the facade: which documents are cleaned of page chrome before they are indexed,
// and what `show` reports of the cleaning. Everything here is derived from the archived text
// at every (re)index; the manifest keeps the importer's fields only.

extension ArticleText {
    /// The importer's kinds that name official texts: never cleaned, whatever the reader finds.
    static let officialKinds: Set<String> = ["legal", "official", "van ban", "agreement", "law"]

    /// What the index stores as the body of a document: the article of a news-like page, the
    /// text itself (every line) for an official text, one the official-text reader recognises
    /// (a type or a number in its header) or one the importer calls official by its kind.
    /// `furnitureLines`: the lines the source's markup calls page furniture (an HTML page's).
    static func forIndex(_ text: String, official: OfficialText, kind: String?, furnitureLines: [Int] = []) -> ArticleText {
        isNewsLike(official: official, kind: kind)
            ? ArticleCleaner.clean(text, furnitureLines: furnitureLines) : ArticleText(unchanged: text)
    }

    static func isNewsLike(official: OfficialText, kind: String?) -> Bool {
        if official.isOfficial { return false }
        if let kind, officialKinds.contains(VietText.fold(kind)) { return false }
        return true
    }
}

extension DocumentMetadata {
    /// The origin a news page credits; also its source when the importer gave none.
    mutating func apply(_ article: ArticleText) {
        origin = article.origin
        if source == nil { source = article.origin }
    }
}

/// What the cleaner left out of a document's indexed text (`show`, `show --json`).
public struct ChromeSummary: Sendable {
    /// Segments (lines, or sentences of long lines) of the article kept and dropped.
    public var keptSegments: Int
    public var droppedSegments: Int
    /// Dropped segments by reason ("phrase", "related_list", "header", ...).
    public var byReason: [(reason: String, count: Int)]
    /// The first dropped segments: (line number, text).
    public var firstDropped: [(line: Int, text: String)]
    /// False for an official text: it is indexed whole.
    public var cleaned: Bool

    init(_ article: ArticleText, cleaned: Bool, first: Int = 5) {
        keptSegments = article.keptSegments
        droppedSegments = article.dropped.count
        var counts: [String: Int] = [:]
        for d in article.dropped { counts[d.reason.rawValue, default: 0] += 1 }
        byReason = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map { ($0.key, $0.value) }
        firstDropped = article.dropped.prefix(first).map { ($0.line, String($0.text.prefix(200))) }
        self.cleaned = cleaned
    }
}
