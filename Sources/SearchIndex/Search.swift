import Foundation
import VietText

// Query execution and ranking.
//
// 1. The parsed query becomes one FTS5 MATCH expression; metadata filters become SQL on the
//    documents table. Every match is visited once to count it and score it with bm25 (title
//    weighted above body).
// 2. When the query has two or more positive words, the documents holding them as an exact
//    phrase are found with two more MATCH queries (in the title; anywhere), and get a bonus:
//    a phrase in the title above a phrase in the body above scattered words. Known-item
//    searches (a title typed from memory, a document number) depend on this.
// 3. Ties go to the newest document. Snippets are cut from the page's hits only.

public enum SearchSort: String, Sendable, CaseIterable {
    case relevance, date
}

public struct SearchRequest: Sendable {
    public var query: String
    public var limit: Int
    public var offset: Int
    public var filters: Filters
    public var sort: SearchSort

    public init(query: String, limit: Int = 10, offset: Int = 0, filters: Filters = Filters(), sort: SearchSort = .relevance) {
        self.query = query
        self.limit = limit
        self.offset = offset
        self.filters = filters
        self.sort = sort
    }

    public static let maxLimit = 1000
    public static let maxOffset = 100_000
}

public struct SearchHit: Sendable {
    public var id: String
    public var key: String?
    public var title: String?
    public var source: String?
    public var kind: String?
    public var date: String?
    public var url: String?
    public var score: Double
    public var snippet: Snippet
}

public struct SearchResults: Sendable {
    public var query: String
    public var total: Int
    public var tookMilliseconds: Double
    public var hits: [SearchHit]
}

/// Ranking constants, tuned on the known-item query sets of scripts/bench-search.
public struct Ranking: Sendable {
    public var titleWeight = 8.0
    public var bodyWeight = 1.0
    /// Added to -bm25 when the query's words form a phrase in the title / anywhere.
    public var titlePhraseBonus = 40.0
    public var phraseBonus = 10.0
    /// Candidates re-sorted with their dates for tie-breaking, beyond the requested page.
    public var tieWindow = 50
    public init() {}
}

func foldedFilterValue(_ value: String) -> String {
    VietText.fold(value).trimmingSpaces
}

extension SearchIndex {
    public func search(_ request: SearchRequest, ranking: Ranking = Ranking()) throws -> SearchResults {
        // A statement left on a row keeps its read transaction open: a long-lived connection
        // (the server's pool) would keep seeing the snapshot of its first search.
        defer { connection.resetCachedStatements() }
        let clock = ContinuousClock()
        let started = clock.now
        guard (1...SearchRequest.maxLimit).contains(request.limit) else {
            throw QueryError("limit must be between 1 and \(SearchRequest.maxLimit) (got \(request.limit))")
        }
        guard (0...SearchRequest.maxOffset).contains(request.offset) else {
            throw QueryError("offset must be between 0 and \(SearchRequest.maxOffset) (got \(request.offset))")
        }
        var query = try QueryParser.parse(request.query)
        if let from = request.filters.from { _ = try DateBound.parse(from, field: "from") }
        if let to = request.filters.to { _ = try DateBound.parse(to, field: "to") }
        query.filters.merge(request.filters)
        if let from = query.filters.from, let to = query.filters.to, from > to + "~" {
            throw QueryError("the date range is empty (from \(from) is after to \(to))")
        }

        let expression = query.root?.fts5Expression()
        if query.root != nil && expression == nil {
            throw QueryError("the query only excludes words: add at least one word to search for")
        }
        if expression == nil && query.filters.isEmpty {
            throw QueryError("the query is empty: type words to search for, or a filter such as kind:news")
        }

        let (filterSQL, filterValues) = Self.filterClause(query.filters)
        var candidates: [(rowid: Int, score: Double)] = []
        var total = 0
        let window = request.offset + request.limit

        if let expression {
            if request.sort == .date {
                (candidates, total) = try datedMatches(expression, filterSQL, filterValues, offset: request.offset, limit: request.limit)
            } else {
                let scored = try scoredMatches(expression, filterSQL, filterValues, ranking: ranking)
                total = scored.count
                candidates = try rank(scored, query: query, window: window, ranking: ranking)
                candidates = Array(candidates.dropFirst(request.offset).prefix(request.limit))
            }
        } else {
            (candidates, total) = try filteredDocuments(filterSQL, filterValues, offset: request.offset, limit: request.limit)
        }

        let matcher = TermMatcher(terms: query.positiveTerms)
        var hits: [SearchHit] = []
        hits.reserveCapacity(candidates.count)
        for candidate in candidates {
            hits.append(try hit(rowid: candidate.rowid, score: candidate.score, matcher: matcher))
        }
        let elapsed = clock.now - started
        let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        return SearchResults(query: request.query, total: total, tookMilliseconds: ms, hits: hits)
    }

    /// Every match of `expression` that passes the filters, with its bm25 score (higher is better).
    func scoredMatches(_ expression: String, _ filterSQL: String, _ filterValues: [String], ranking: Ranking) throws -> [(rowid: Int, score: Double)] {
        let sql = filterSQL.isEmpty
            ? "SELECT rowid, bm25(fts, ?2, ?3) FROM fts WHERE fts MATCH ?1"
            : "SELECT fts.rowid, bm25(fts, ?2, ?3) FROM fts JOIN documents d ON d.rowid = fts.rowid WHERE fts MATCH ?1 AND \(filterSQL)"
        let statement = try connection.cached(sql)
        statement.bind(1, expression)
        statement.bind(2, ranking.titleWeight)
        statement.bind(3, ranking.bodyWeight)
        for (k, value) in filterValues.enumerated() { statement.bind(Int32(4 + k), value) }
        var result: [(rowid: Int, score: Double)] = []
        while try statement.step() {
            result.append((statement.int(0), -statement.double(1)))
        }
        return result
    }

    /// Adds the phrase bonuses, sorts, and breaks ties by date within the first `window`.
    func rank(_ scored: [(rowid: Int, score: Double)], query: Query, window: Int, ranking: Ranking) throws -> [(rowid: Int, score: Double)] {
        var scores = scored
        let phraseWords = Self.phraseWords(of: query)
        if phraseWords.count >= 2, !scores.isEmpty {
            let phrase = "\"" + phraseWords.joined(separator: " ") + "\""
            let inTitle = try matchingRowids("{title} : " + phrase)
            let anywhere = try matchingRowids(phrase)
            for k in scores.indices {
                let rowid = scores[k].rowid
                if inTitle.contains(rowid) { scores[k].score += ranking.titlePhraseBonus }
                if anywhere.contains(rowid) { scores[k].score += ranking.phraseBonus }
            }
        }
        // Partial order is enough: only the first `window` (plus ties) are shown.
        scores.sort { $0.score > $1.score || ($0.score == $1.score && $0.rowid > $1.rowid) }
        let head = Array(scores.prefix(window + ranking.tieWindow))
        let dates = try self.dates(of: head.map(\.rowid))
        let ordered = head.sorted { a, b in
            if a.score != b.score { return a.score > b.score }
            let da = dates[a.rowid] ?? "", db = dates[b.rowid] ?? ""
            return da != db ? da > db : a.rowid > b.rowid
        }
        return Array(ordered.prefix(window))
    }

    /// The words of the query that make its phrase: every positive text term outside OR
    /// groups, in order. Empty when the query is a single word or has alternatives only.
    static func phraseWords(of query: Query) -> [String] {
        var words: [String] = []
        func collect(_ clause: Clause) {
            switch clause {
            case .text(let term) where term.column == nil && !term.isPrefix:
                words.append(term.text)
            case .all(let clauses):
                clauses.forEach(collect)
            default:
                break
            }
        }
        if let root = query.root { collect(root) }
        return words
    }

    func matchingRowids(_ expression: String) throws -> Set<Int> {
        let statement = try connection.cached("SELECT rowid FROM fts WHERE fts MATCH ?1")
        statement.bind(1, expression)
        var rowids = Set<Int>()
        while try statement.step() { rowids.insert(statement.int(0)) }
        return rowids
    }

    func dates(of rowids: [Int]) throws -> [Int: String] {
        let statement = try connection.cached("SELECT date FROM documents WHERE rowid = ?1")
        var result: [Int: String] = [:]
        for rowid in rowids {
            statement.reset()
            statement.bind(1, rowid)
            if try statement.step(), let date = statement.string(0) { result[rowid] = date }
        }
        return result
    }

    /// Matches sorted by date, newest first (no ranking needed beyond that).
    func datedMatches(_ expression: String, _ filterSQL: String, _ filterValues: [String], offset: Int, limit: Int) throws -> ([(rowid: Int, score: Double)], Int) {
        let filter = filterSQL.isEmpty ? "" : " AND \(filterSQL)"
        let count = try connection.cached("SELECT count(*) FROM fts JOIN documents d ON d.rowid = fts.rowid WHERE fts MATCH ?1\(filter)")
        count.bind(1, expression)
        for (k, value) in filterValues.enumerated() { count.bind(Int32(4 + k), value) }
        let total = try count.step() ? count.int(0) : 0
        let page = try connection.cached("""
            SELECT fts.rowid, -bm25(fts) FROM fts JOIN documents d ON d.rowid = fts.rowid
            WHERE fts MATCH ?1\(filter) ORDER BY d.date DESC, fts.rowid DESC LIMIT ?2 OFFSET ?3
            """)
        page.bind(1, expression)
        page.bind(2, limit)
        page.bind(3, offset)
        for (k, value) in filterValues.enumerated() { page.bind(Int32(4 + k), value) }
        var result: [(rowid: Int, score: Double)] = []
        while try page.step() { result.append((page.int(0), page.double(1))) }
        return (result, total)
    }

    /// A query made only of filters lists the matching documents, newest first.
    func filteredDocuments(_ filterSQL: String, _ filterValues: [String], offset: Int, limit: Int) throws -> ([(rowid: Int, score: Double)], Int) {
        let count = try connection.cached("SELECT count(*) FROM documents d WHERE \(filterSQL)")
        for (k, value) in filterValues.enumerated() { count.bind(Int32(4 + k), value) }
        let total = try count.step() ? count.int(0) : 0
        let page = try connection.cached("SELECT d.rowid FROM documents d WHERE \(filterSQL) ORDER BY d.date DESC, d.rowid DESC LIMIT ?2 OFFSET ?3")
        page.bind(2, limit)
        page.bind(3, offset)
        for (k, value) in filterValues.enumerated() { page.bind(Int32(4 + k), value) }
        var result: [(rowid: Int, score: Double)] = []
        while try page.step() { result.append((page.int(0), 0)) }
        return (result, total)
    }

    /// SQL over `documents d` for the filters; values are bound from parameter 4 on.
    static func filterClause(_ filters: Filters) -> (String, [String]) {
        var parts: [String] = []
        var values: [String] = []
        func parameter(_ value: String) -> String {
            values.append(value)
            return "?\(3 + values.count)"
        }
        if !filters.sources.isEmpty {
            let alternatives = filters.sources.map { source in
                "d.source_folded LIKE '%' || \(parameter(likeEscaped(source))) || '%' ESCAPE '\\'"
            }
            parts.append("(" + alternatives.joined(separator: " OR ") + ")")
        }
        if !filters.kinds.isEmpty {
            parts.append("d.kind_folded IN (" + filters.kinds.map { parameter($0) }.joined(separator: ", ") + ")")
        }
        if let from = filters.from { parts.append("d.date >= \(parameter(from))") }
        // "to:2021-06" includes every day of June: compare against the prefix followed by "~",
        // which sorts after any digit or "-".
        if let to = filters.to { parts.append("d.date <= \(parameter(to + "~"))") }
        return (parts.joined(separator: " AND "), values)
    }

    static func likeEscaped(_ value: String) -> String {
        var result = ""
        for c in value {
            if c == "%" || c == "_" || c == "\\" { result.append("\\") }
            result.append(c)
        }
        return result
    }

    func hit(rowid: Int, score: Double, matcher: TermMatcher) throws -> SearchHit {
        let statement = try connection.cached("""
            SELECT d.id, d.key, d.title, d.source, d.kind, d.date, d.url, fts.body
            FROM documents d JOIN fts ON fts.rowid = d.rowid WHERE d.rowid = ?1
            """)
        statement.bind(1, rowid)
        guard try statement.step() else { throw IndexError("index row \(rowid) vanished") }
        let body = statement.string(7) ?? ""
        return SearchHit(
            id: statement.string(0) ?? "", key: statement.string(1), title: statement.string(2),
            source: statement.string(3), kind: statement.string(4), date: statement.string(5),
            url: statement.string(6), score: (score * 1000).rounded() / 1000,
            snippet: SnippetBuilder.snippet(of: body, matcher: matcher))
    }
}

extension Filters {
    /// Adds the request's own filters (flags, URL parameters) to those typed in the query.
    mutating func merge(_ other: Filters) {
        sources += other.sources.map(foldedFilterValue).filter { !$0.isEmpty }
        kinds += other.kinds.map(foldedFilterValue).filter { !$0.isEmpty }
        if let from = other.from { self.from = max(self.from ?? from, from) }
        if let to = other.to { self.to = min(self.to ?? to, to) }
    }
}
