import CSQLite
import DocumentModel
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
    public var metadata: DocumentMetadata
    public var score: Double
    public var snippet: Snippet
    /// Where in the text the snippet's first match is: "Điều 8. Chế độ thông tin, báo cáo".
    public var location: String?
    /// The document's own number is the one the query names ("nghị định 45/2010").
    public var numberMatch: Bool
}

public struct SearchResults: Sendable {
    public var query: String
    public var total: Int
    public var tookMilliseconds: Double
    public var hits: [SearchHit]
}

/// Ranking constants, tuned on the known-item query sets of scripts/bench/bench-search.
public struct Ranking: Sendable {
    public var titleWeight = 8.0
    public var bodyWeight = 1.0
    /// Added to -bm25 when the query's words form a phrase in the title / anywhere.
    public var titlePhraseBonus = 40.0
    public var phraseBonus = 10.0
    /// Candidates re-sorted with their dates for tie-breaking, beyond the requested page.
    public var tieWindow = 50
    /// An official text's score is multiplied by this among the best candidates.
    public var officialTextBoost = 1.15
    public init() {}
}

func foldedFilterValue(_ value: String) -> String {
    VietText.fold(value).trimmingSpaces
}

extension IndexConnection {
    public func search(_ request: SearchRequest, ranking: Ranking = Ranking()) throws -> SearchResults {
        defer { connection.resetStatements() }
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

        let compiled = query.root?.compile()
        if query.root != nil && compiled == nil {
            throw QueryError("the query only excludes words: add at least one word to search for")
        }
        if compiled == nil && query.filters.isEmpty {
            throw QueryError("the query is empty: type words to search for, or a filter such as kind:news")
        }

        let (filterSQL, filterValues) = Self.filterClause(query.filters)
        var candidates: [(rowid: Int, score: Double)] = []
        var ownNumbers = Set<Int>()
        var total = 0
        let window = request.offset + request.limit

        if let compiled {
            if request.sort == .date {
                (candidates, total) = try datedMatches(compiled.expression, filterSQL, filterValues, offset: request.offset, limit: request.limit)
            } else {
                let scored = try scoredMatches(compiled, query: query, filterSQL, filterValues, ranking: ranking)
                // The texts whose own number the query names come first, matched or not.
                let own = try NumberQuery(request.query).map { try numberMatches($0, query.filters) } ?? []
                ownNumbers = Set(own)
                let rest = own.isEmpty ? scored : scored.filter { !ownNumbers.contains($0.rowid) }
                total = rest.count + own.count
                let top = (scored.map(\.score).max() ?? 0) + 100
                candidates = own.enumerated().map { ($0.element, top - Double($0.offset)) }
                if candidates.count < window { candidates += try rank(rest, window: window - candidates.count, ranking: ranking) }
                candidates = Array(candidates.dropFirst(request.offset).prefix(request.limit))
            }
        } else {
            (candidates, total) = try filteredDocuments(filterSQL, filterValues, offset: request.offset, limit: request.limit)
        }

        let matcher = TermMatcher(terms: query.positiveTerms)
        var hits: [SearchHit] = []
        hits.reserveCapacity(candidates.count)
        for candidate in candidates {
            var h = try hit(rowid: candidate.rowid, score: candidate.score, matcher: matcher)
            h.numberMatch = ownNumbers.contains(candidate.rowid)
            hits.append(h)
        }
        let elapsed = clock.now - started
        let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        return SearchResults(query: request.query, total: total, tookMilliseconds: ms, hits: hits)
    }

    /// Every match of `compiled` that passes the filters, scored by vb_rank: BM25 plus the
    /// phrase bonuses, in one pass (higher is better).
    func scoredMatches(_ compiled: CompiledExpression, query: Query, _ filterSQL: String, _ filterValues: [String],
                       ranking: Ranking) throws -> [(rowid: Int, score: Double)] {
        let phrase = Self.leadingPhrase(of: query)
        // A phrase needs two tokens: two words, or one document number ("100/NQ-CP").
        let phraseCount = phrase.tokens >= 2 ? phrase.phrases : 0
        let statistics = connection.rankStatistics
        statistics.validate(version: try dataVersion())
        if wantsDocumentLengths && !statistics.hasLengths { try statistics.loadLengths(from: connection) }
        let columns = "vb_rank(fts, ?2, ?3, ?4, ?5, ?6, ?7)"
        let sql = filterSQL.isEmpty
            ? "SELECT rowid, \(columns) FROM fts WHERE fts MATCH ?1"
            : "SELECT fts.rowid, \(columns) FROM fts JOIN documents d ON d.rowid = fts.rowid WHERE fts MATCH ?1 AND \(filterSQL)"
        let statement = try connection.cached(sql)
        statement.bind(1, compiled.expression)
        statement.bind(2, phraseCount)
        statement.bind(3, ranking.titleWeight)
        statement.bind(4, ranking.bodyWeight)
        statement.bind(5, ranking.titlePhraseBonus)
        statement.bind(6, ranking.phraseBonus)
        statement.bind(7, compiled.phrases.joined(separator: "\u{1}"))
        for (k, value) in filterValues.enumerated() { statement.bind(Int32(8 + k), value) }
        var result: [(rowid: Int, score: Double)] = []
        while try statement.step() {
            result.append((statement.int(0), statement.double(1)))
        }
        // A connection that answers big queries loads all row lengths once (a few ms for the
        // shared corpus); one that answers a single small query never pays for it.
        if result.count >= 1000 { wantsDocumentLengths = true }
        return result
    }

    /// Changes whenever this connection or another one commits to the database.
    func dataVersion() throws -> Int {
        let other = try connection.scalarInt("PRAGMA data_version") ?? 0
        return other << 32 | Int(truncatingIfNeeded: sqlite3_total_changes64(connection.handle) & 0xFFFF_FFFF)
    }

    /// Sorts, and breaks ties by date (newest first) within the first `window`. Within the
    /// candidates looked at, an official text's score is raised by `officialTextBoost`: when a
    /// text and the news about it match about equally (the same title words), the text comes
    /// first.
    func rank(_ scored: [(rowid: Int, score: Double)], window: Int, ranking: Ranking) throws -> [(rowid: Int, score: Double)] {
        var head = Self.best(scored, count: window + ranking.tieWindow)
        let (dates, official) = try self.dates(of: head.map(\.rowid))
        if ranking.officialTextBoost != 1 {
            for k in head.indices where official.contains(head[k].rowid) { head[k].score *= ranking.officialTextBoost }
        }
        let ordered = head.sorted { a, b in
            if a.score != b.score { return a.score > b.score }
            let da = dates[a.rowid] ?? "", db = dates[b.rowid] ?? ""
            return da != db ? da > db : a.rowid > b.rowid
        }
        return Array(ordered.prefix(window))
    }

    /// The `count` best-scored matches, best first, without sorting them all: a broad query
    /// has tens of thousands of matches and shows ten (a bounded min-heap, n log count).
    static func best(_ scored: [(rowid: Int, score: Double)], count: Int) -> [(rowid: Int, score: Double)] {
        @inline(__always) func better(_ a: (rowid: Int, score: Double), _ b: (rowid: Int, score: Double)) -> Bool {
            a.score > b.score || (a.score == b.score && a.rowid > b.rowid)
        }
        guard scored.count > count * 2 else { return scored.sorted(by: better).prefix(count).map { $0 } }
        // heap[0] is the worst of the best `count` seen so far.
        var heap: [(rowid: Int, score: Double)] = []
        heap.reserveCapacity(count)
        func siftDown(_ start: Int) {
            var i = start
            while true {
                let l = 2 * i + 1, r = l + 1
                var worst = i
                if l < heap.count && better(heap[worst], heap[l]) { worst = l }
                if r < heap.count && better(heap[worst], heap[r]) { worst = r }
                if worst == i { return }
                heap.swapAt(i, worst)
                i = worst
            }
        }
        for candidate in scored {
            if heap.count < count {
                heap.append(candidate)
                var i = heap.count - 1
                while i > 0 && better(heap[(i - 1) / 2], heap[i]) {
                    heap.swapAt(i, (i - 1) / 2)
                    i = (i - 1) / 2
                }
            } else if better(candidate, heap[0]) {
                heap[0] = candidate
                siftDown(0)
            }
        }
        return heap.sorted(by: better)
    }

    /// The query's phrase for ranking: its leading plain words (no column, no prefix, outside
    /// OR groups), in order. They are the first FTS5 phrases of the compiled expression,
    /// because `fts5Expression` writes positive clauses first and in order; vb_phrase relies
    /// on that numbering.
    static func leadingPhrase(of query: Query) -> (phrases: Int, tokens: Int) {
        guard let root = query.root else { return (0, 0) }
        let clauses: [Clause]
        if case .all(let all) = root { clauses = all } else { clauses = [root] }
        var phrases = 0, tokens = 0
        for clause in clauses {
            if case .excluded = clause { continue }
            guard case .text(let term) = clause, term.column == nil, !term.isPrefix else { break }
            phrases += 1
            tokens += term.text.split(separator: " ").count
        }
        return (phrases, tokens)
    }

    /// Runs `sql` with `expression` bound to ?1 and counts its rows (benchmarks).
    public func countRows(_ sql: String, binding expression: String) throws -> Int {
        let statement = try connection.cached(sql)
        statement.bind(1, expression)
        var rows = 0
        while try statement.step() { rows += 1 }
        return rows
    }

    /// The texts whose own number `number` names, best first (the whole number, else the
    /// newest of those with that serial and year or type), within the filters. At most 5.
    func numberMatches(_ number: NumberQuery, _ filters: Filters) throws -> [Int] {
        var (filterSQL, values) = Self.filterClause(filters)
        func parameter(_ value: String) -> String {
            values.append(value)
            return "?\(7 + values.count)"
        }
        let condition = number.condition(parameter)
        let sql = "SELECT d.rowid FROM documents d WHERE \(condition)\(filterSQL.isEmpty ? "" : " AND " + filterSQL) ORDER BY coalesce(d.issued, d.date) DESC, d.rowid DESC LIMIT 5"
        let statement = try connection.cached(sql)
        for (k, value) in values.enumerated() { statement.bind(Int32(8 + k), value) }
        var rowids: [Int] = []
        while try statement.step() { rowids.append(statement.int(0)) }
        return rowids
    }

    /// The rows' dates (given at import, else issued), and which rows are official texts.
    func dates(of rowids: [Int]) throws -> ([Int: String], Set<Int>) {
        let statement = try connection.cached("SELECT coalesce(date, issued), type IS NOT NULL FROM documents WHERE rowid = ?1")
        var result: [Int: String] = [:]
        var official = Set<Int>()
        for rowid in rowids {
            statement.reset()
            statement.bind(1, rowid)
            guard try statement.step() else { continue }
            if let date = statement.string(0) { result[rowid] = date }
            if statement.int(1) != 0 { official.insert(rowid) }
        }
        return (result, official)
    }

    /// Matches sorted by date, newest first (no ranking needed beyond that).
    func datedMatches(_ expression: String, _ filterSQL: String, _ filterValues: [String], offset: Int, limit: Int) throws -> ([(rowid: Int, score: Double)], Int) {
        let filter = filterSQL.isEmpty ? "" : " AND \(filterSQL)"
        let count = try connection.cached("SELECT count(*) FROM fts JOIN documents d ON d.rowid = fts.rowid WHERE fts MATCH ?1\(filter)")
        count.bind(1, expression)
        for (k, value) in filterValues.enumerated() { count.bind(Int32(8 + k), value) }
        let total = try count.step() ? count.int(0) : 0
        let page = try connection.cached("""
            SELECT fts.rowid, -bm25(fts) FROM fts JOIN documents d ON d.rowid = fts.rowid
            WHERE fts MATCH ?1\(filter) ORDER BY coalesce(d.date, d.issued) DESC, fts.rowid DESC LIMIT ?2 OFFSET ?3
            """)
        page.bind(1, expression)
        page.bind(2, limit)
        page.bind(3, offset)
        for (k, value) in filterValues.enumerated() { page.bind(Int32(8 + k), value) }
        var result: [(rowid: Int, score: Double)] = []
        while try page.step() { result.append((page.int(0), page.double(1))) }
        return (result, total)
    }

    /// A query made only of filters lists the matching documents, newest first.
    func filteredDocuments(_ filterSQL: String, _ filterValues: [String], offset: Int, limit: Int) throws -> ([(rowid: Int, score: Double)], Int) {
        let count = try connection.cached("SELECT count(*) FROM documents d WHERE \(filterSQL)")
        for (k, value) in filterValues.enumerated() { count.bind(Int32(8 + k), value) }
        let total = try count.step() ? count.int(0) : 0
        let page = try connection.cached("SELECT d.rowid FROM documents d WHERE \(filterSQL) ORDER BY coalesce(d.date, d.issued) DESC, d.rowid DESC LIMIT ?2 OFFSET ?3")
        page.bind(2, limit)
        page.bind(3, offset)
        for (k, value) in filterValues.enumerated() { page.bind(Int32(8 + k), value) }
        var result: [(rowid: Int, score: Double)] = []
        while try page.step() { result.append((page.int(0), 0)) }
        return (result, total)
    }

    /// SQL over `documents d` for the filters; values are bound from parameter 8 on.
    static func filterClause(_ filters: Filters) -> (String, [String]) {
        var parts: [String] = []
        var values: [String] = []
        func parameter(_ value: String) -> String {
            values.append(value)
            return "?\(7 + values.count)"
        }
        func contains(_ column: String, _ needles: [String]) {
            guard !needles.isEmpty else { return }
            let alternatives = needles.map { "d.\(column) LIKE '%' || \(parameter(likeEscaped($0))) || '%' ESCAPE '\\'" }
            parts.append("(" + alternatives.joined(separator: " OR ") + ")")
        }
        contains("source_folded", filters.sources)
        if !filters.kinds.isEmpty {
            parts.append("d.kind_folded IN (" + filters.kinds.map { parameter($0) }.joined(separator: ", ") + ")")
        }
        if !filters.types.isEmpty {
            parts.append("d.type_folded IN (" + filters.types.map { parameter($0) }.joined(separator: ", ") + ")")
        }
        if !filters.numbers.isEmpty {
            // A whole key, or "45/2010/" (a serial with its year): the keys it starts.
            let alternatives = filters.numbers.map { n in
                n.hasSuffix("/") ? "d.number_key LIKE \(parameter(likeEscaped(n) + "%")) ESCAPE '\\'" : "d.number_key = \(parameter(n))"
            }
            parts.append("(" + alternatives.joined(separator: " OR ") + ")")
        }
        contains("issuer_folded", filters.issuers)
        contains("signers_folded", filters.signers)
        if !filters.statuses.isEmpty {
            parts.append("(\(ValidityStatus.sql(today: ValidityStatus.today()))) IN (" + filters.statuses.map { "'\($0.rawValue)'" }.joined(separator: ", ") + ")")
        }
        for c in filters.citing {
            let relation = c.relation.map { " AND c.relation = \(parameter($0))" } ?? ""
            parts.append("EXISTS (SELECT 1 FROM citations c WHERE c.source = d.rowid AND c.number_key = \(parameter(c.key))\(relation))")
        }
        // The date given at import, else the issue date read from the text.
        if let from = filters.from { parts.append("coalesce(d.date, d.issued) >= \(parameter(from))") }
        // "to:2021-06" includes every day of June: compare against the prefix followed by "~",
        // which sorts after any digit or "-".
        if let to = filters.to { parts.append("coalesce(d.date, d.issued) <= \(parameter(to + "~"))") }
        return (parts.joined(separator: " AND "), values)
    }

    package static func likeEscaped(_ value: String) -> String {
        var result = ""
        for c in value {
            if c == "%" || c == "_" || c == "\\" { result.append("\\") }
            result.append(c)
        }
        return result
    }

    func hit(rowid: Int, score: Double, matcher: TermMatcher) throws -> SearchHit {
        let statement = try connection.cached("""
            SELECT fts.body, d.outline, d.id, \(MetadataColumns.fields.map { "d.\($0.name)" }.joined(separator: ", "))
            FROM documents d JOIN fts ON fts.rowid = d.rowid WHERE d.rowid = ?1
            """)
        statement.bind(1, rowid)
        guard try statement.step() else { throw IndexError("index row \(rowid) vanished") }
        // The body is read in place: SQLite's buffer stays valid until the statement moves on.
        let bodyBytes = UnsafeBufferPointer(
            start: sqlite3_column_text(statement.handle, 0), count: Int(sqlite3_column_bytes(statement.handle, 0)))
        let snippet = bodyBytes.baseAddress == nil
            ? Snippet(text: "", highlights: []) : SnippetBuilder.snippet(of: bodyBytes, matcher: matcher)
        let location = snippet.matchOffset.flatMap { Outline(encoded: statement.string(1)).article(containing: $0)?.title }
        return SearchHit(
            id: statement.string(2) ?? "", metadata: MetadataColumns.read(statement, from: 3),
            score: (score * 1000).rounded() / 1000, snippet: snippet, location: location, numberMatch: false)
    }
}

extension Filters {
    /// Adds the request's own filters (flags, URL parameters) to those typed in the query.
    mutating func merge(_ other: Filters) {
        sources += other.sources.map(foldedFilterValue).filter { !$0.isEmpty }
        kinds += other.kinds.map(foldedFilterValue).filter { !$0.isEmpty }
        // The official-text filters arrive checked and folded (`Filters.add`).
        types += other.types
        numbers += other.numbers
        issuers += other.issuers
        signers += other.signers
        statuses += other.statuses
        citing += other.citing
        if let from = other.from { self.from = max(self.from ?? from, from) }
        if let to = other.to { self.to = min(self.to ?? to, to) }
    }
}
