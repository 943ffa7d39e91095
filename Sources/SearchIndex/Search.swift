import CSQLite
import DocumentModel
import Foundation
import VietText

// Query execution and ranking.
//
// 1. The parsed query is read (QueryReader: accents restored, words of several syllables,
//    synonyms) and becomes one FTS5 MATCH expression and a scoring plan (SearchPlan);
//    metadata filters become SQL on the documents table. Every match is visited once to count
//    it and score it with vb_rank (BM25, adjacent words, title coverage, the whole query as a
//    phrase: see FTS5RankFunction).
// 2. When every word matches few documents, or none that holds the query's words of several
//    syllables together, the search falls back to documents matching all but one word (the
//    soft fallback, like Elasticsearch's minimum_should_match), scored by how many and which
//    words they hold. `SearchRequest.strict` (`--strict`) turns it off.
// 3. Among the best candidates, what VanBan knows of each document adjusts the score: an
//    official text over news about it, a text other texts cite. Ties go to the newest
//    document. Snippets are cut from the page's hits only.

public enum SearchSort: String, Sendable, CaseIterable {
    case relevance, date
}

public struct SearchRequest: Sendable {
    public var query: String
    public var limit: Int
    public var offset: Int
    public var filters: Filters
    public var sort: SearchSort
    /// Every word must match: no soft fallback.
    public var strict: Bool
    /// Reposts of one text count as one result, its best-ranked (relevance order only; see
    /// RepostIndex): `total` and paging count groups, and the hit names the others.
    public var collapse: Bool
    /// Count the whole result set by kind, type, issuer, source and year (`SearchResults.facets`).
    public var facets: Bool

    public init(query: String, limit: Int = 10, offset: Int = 0, filters: Filters = Filters(), sort: SearchSort = .relevance,
                strict: Bool = false, collapse: Bool = true, facets: Bool = false) {
        self.query = query
        self.limit = limit
        self.offset = offset
        self.filters = filters
        self.sort = sort
        self.strict = strict
        self.collapse = collapse
        self.facets = facets
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
    /// Ids of the reposts of this document that also match, collapsed into it (best first).
    public var duplicates: [String] = []
}

public struct SearchResults: Sendable {
    public var query: String
    /// How many results the query has: documents, a collapsed group of reposts counting once.
    public var total: Int
    public var tookMilliseconds: Double
    public var hits: [SearchHit]
    /// How the query was read (restored accents, phrases, synonyms, soft fallback).
    public var reading: QueryReading = QueryReading()
    /// Reposts were collapsed (a relevance-ranked search asked to; date order lists them all).
    public var collapsed = false
    /// The whole result set by kind, type, issuer, source and year, when asked for (counted
    /// after collapsing, as `total` is).
    public var facets: Facets?
}

/// Ranking constants, tuned on the known-item query sets of scripts/bench/bench-search and the
/// graded topical set of scripts/bench/bench-relevance (see FTS5RankFunction for each term).
public struct Ranking: Sendable {
    public var titleWeight = 8.0
    public var bodyWeight = 1.0
    /// Added when the query's leading words form a phrase in the title / anywhere.
    public var titlePhraseBonus = 40.0
    public var phraseBonus = 10.0
    /// Weight of adjacent query words found adjacent: between words / inside one word.
    public var pairWeight = 0.5
    public var wordPairWeight = 0.5
    /// How much of a pair's own rarity its term uses, from 0 (the mean IDF of its two words)
    /// to 1 (the larger of: either word's IDF, and the pair's IDF estimated from how often it
    /// occurs; both bound the true pair IDF from below, as a pair is never in more documents
    /// than either of its words, nor than its occurrences).
    public var pairSpecificity = 1.0
    /// Weight of the restored accented reading, on top of the folded words.
    public var restoredWeight = 1.0
    /// A synonym's BM25 counts this much of the literal words'.
    public var synonymWeight = 0.7
    /// A word of several syllables scores as one word (BM25 with the word's own IDF, where its
    /// syllables stand together), plus this much of its syllables' own BM25 ...
    public var syllableInWordWeight = 0.1
    /// ... and counts this much towards coverage where its syllables are only scattered.
    public var scatteredWordCredit = 0.5
    /// Proximity: for each two words of the query (whole words, function words aside) found
    /// within `proximityWindow` tokens of each other, a BM25-like term over the sum of 1/d²
    /// of their distances, times the rarer word's IDF, times this (BM25TP, Rasolofo & Savoy).
    /// A text about the query's subject says its words together; a long text that only
    /// mentions each of them somewhere does not.
    public var proximityWeight = 2.0
    public var proximityWindow = 8
    /// Added times the squared IDF-weighted share of query words in the title.
    public var titleCoverageBonus = 6.0
    /// A row longer than this many times the average counts as this long in BM25's length
    /// normalisation: a 300-page law is not 300 times less about its subject than a news page.
    public var lengthCap = 1_000_000.0
    /// Soft fallback: the score times (IDF-weighted share of words matched) to this power.
    public var softExponent = 2.0
    /// The soft fallback is taken when every word matches fewer documents than this, or
    /// fewer than `softBelowStrong` strong ones (every word, each word of several syllables whole).
    public var softBelowMatches = 20
    public var softBelowStrong = 5
    /// Candidates re-sorted with their dates for tie-breaking, beyond the requested page.
    public var tieWindow = 50
    /// An official text's score is multiplied by this among the best candidates...
    public var officialTextBoost = 1.15
    /// ... and by up to 1 + this more when the query is a legal topic: when official texts
    /// are much more common among its matches than in the archive (the lift; full boost at 8x).
    public var legalTopicBoost = 0.25
    /// Candidates the document signals (kind, citations) are applied to, beyond the page.
    public var boostWindow = 200
    /// ... and a text's by 1 + this times ln(1 + the number of texts citing it).
    public var citedBoost = 0.03
    public init() {}
}

func foldedFilterValue(_ value: String) -> String {
    VietText.fold(value).trimmingSpaces
}

extension IndexConnection {
    public func search(_ request: SearchRequest, ranking: Ranking = Ranking(), synonyms: SynonymTable = .bundled) throws -> SearchResults {
        try run(request, ranking: ranking, synonyms: synonyms, collectingRows: false).results
    }

    /// The search, and with `collectingRows` the rowids of its whole result set (every match,
    /// not just the page: what facets and period reports count).
    func run(_ request: SearchRequest, ranking: Ranking, synonyms: SynonymTable,
             collectingRows: Bool) throws -> (results: SearchResults, rows: [Int]?) {
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
        var groups = RepostGroups()
        var duplicatesOf: [Int: [Int]] = [:]
        /// Every match, when the facets or the rows are asked for.
        var matched: [Int]?
        let wantsRows = request.facets || collectingRows
        let window = request.offset + request.limit
        connection.rankStatistics.validate(version: try dataVersion())
        var read = QueryReader.read(query, statistics: compiled == nil ? nil : wordStatistics, strict: request.strict,
                                    synonyms: synonyms)
        let strictPlan = compiled == nil ? nil : SearchPlan.make(read, soft: false, ranking: ranking)
        if compiled != nil && strictPlan == nil {
            throw QueryError("the query only excludes words: add at least one word to search for")
        }

        if let plan = strictPlan {
            if request.sort == .date {
                (candidates, total) = try datedMatches(plan.expression, filterSQL, filterValues, offset: request.offset, limit: request.limit)
                if wantsRows { matched = try matchingRows(plan.expression, filterSQL, filterValues) }
            } else {
                let statistics = connection.rankStatistics
                statistics.strongRows = 0
                statistics.phraseRows = 0
                var scored = try scoredMatches(plan, filterSQL, filterValues)
                // No fallback when a document holds the whole query as typed (a known item).
                if !request.strict && !read.isOpaque && statistics.phraseRows == 0
                    && (scored.count < ranking.softBelowMatches || statistics.strongRows < ranking.softBelowStrong),
                   let soft = SearchPlan.make(read, soft: true, ranking: ranking), soft.isSoft {
                    let more = try scoredMatches(soft, filterSQL, filterValues)
                    if more.count > scored.count {
                        scored = more
                        read.reading.softMatch = true
                        read.reading.optionalWords = read.droppableUnits.map { unit in
                            read.slots[read.units[unit]].compactMap { slot in
                                // A word as read; a number (a joined word) as its tokens.
                                if let form = QueryReader.form(of: slot) { return form }
                                if case .text(let term) = slot.clause { return term.text }
                                return nil
                            }.joined(separator: " ")
                        }.filter { !$0.isEmpty }
                    }
                }
                // The texts whose own number the query names come first, matched or not.
                let own = try NumberQuery(request.query).map { try numberMatches($0, query.filters) } ?? []
                ownNumbers = Set(own)
                var rest = own.isEmpty ? scored : scored.filter { !ownNumbers.contains($0.rowid) }
                if request.collapse {
                    let version = try dataVersion()
                    groups = try connection.meter.unmetered { try repostGroups(version: version) }
                    (rest, duplicatesOf) = Self.collapse(rest, groups)
                }
                total = rest.count + own.count
                if wantsRows { matched = own + rest.map(\.rowid) }
                let top = (scored.map(\.score).max() ?? 0) + 100
                candidates = own.enumerated().map { ($0.element, top - Double($0.offset)) }
                if candidates.count < window { candidates += try rank(rest, window: window - candidates.count, ranking: ranking) }
                candidates = Array(candidates.dropFirst(request.offset).prefix(request.limit))
            }
        } else {
            (candidates, total) = try filteredDocuments(filterSQL, filterValues, offset: request.offset, limit: request.limit)
            if wantsRows { matched = try matchingRows(nil, filterSQL, filterValues) }
        }
        let facets = request.facets ? try matched.map { try self.facets(of: $0) } : nil

        // Highlight the words as typed, their restored readings and the synonyms used.
        let highlighted = query.positiveTerms
            + read.slots.compactMap { $0.restored.map { Term(text: $0, isPrefix: false, column: nil, isPhrase: false) } }
            + read.synonyms.flatMap { $0.alternatives.map { Term(text: $0, isPrefix: false, column: nil, isPhrase: true) } }
        let matcher = TermMatcher(terms: highlighted)
        var hits: [SearchHit] = []
        hits.reserveCapacity(candidates.count)
        for candidate in candidates {
            var h = try hit(rowid: candidate.rowid, score: candidate.score, matcher: matcher)
            h.numberMatch = ownNumbers.contains(candidate.rowid)
            h.duplicates = (duplicatesOf[candidate.rowid] ?? []).compactMap { groups.idOf[$0] }
            hits.append(h)
        }
        let elapsed = clock.now - started
        let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        var results = SearchResults(query: request.query, total: total, tookMilliseconds: ms, hits: hits, reading: read.reading,
                                    facets: facets)
        results.collapsed = request.collapse && strictPlan != nil && request.sort == .relevance
        return (results, matched)
    }

    /// How `text` is read (see QueryReader), without searching.
    public func readQuery(_ text: String, strict: Bool = false, synonyms: SynonymTable = .bundled) throws -> QueryReading {
        defer { connection.resetStatements() }
        let query = try QueryParser.parse(text)
        connection.rankStatistics.validate(version: try dataVersion())
        return QueryReader.read(query, statistics: wordStatistics, strict: strict, synonyms: synonyms).reading
    }

    /// Every match of `plan` that passes the filters, scored by vb_rank (higher is better).
    func scoredMatches(_ plan: SearchPlan, _ filterSQL: String, _ filterValues: [String]) throws -> [(rowid: Int, score: Double)] {
        // `search` validated the statistics against the data version before reading the query.
        let statistics = connection.rankStatistics
        if wantsDocumentLengths && !statistics.hasLengths {
            try connection.meter.unmetered { try statistics.loadLengths(from: connection) }
        }
        let columns = "vb_rank(fts, ?2, ?3)"
        let sql = filterSQL.isEmpty
            ? "SELECT rowid, \(columns) FROM fts WHERE fts MATCH ?1"
            // CROSS JOIN keeps FTS the outer loop: driven from a filter's index instead, SQLite
            // would run the MATCH (a prefix's whole expansion) once per filtered row.
            : "SELECT fts.rowid, \(columns) FROM fts CROSS JOIN documents d ON d.rowid = fts.rowid WHERE fts MATCH ?1 AND \(filterSQL)"
        let statement = try connection.cached(sql)
        statement.bind(1, plan.expression)
        statement.bind(2, plan.encoded)
        statement.bind(3, plan.literals.joined(separator: "\u{1}"))
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
        var head = Self.best(scored, count: window + max(ranking.tieWindow, ranking.boostWindow))
        let (dates, official, cited) = try self.dates(of: head.map(\.rowid))
        let lift = try officialLift(scored)
        let topic = lift > 1 ? min(1, log2(lift) / 3) : 0
        let officialBoost = ranking.officialTextBoost * (1 + ranking.legalTopicBoost * topic)
        for k in head.indices {
            if official.contains(head[k].rowid) { head[k].score *= officialBoost }
            if let n = cited[head[k].rowid], n > 0 { head[k].score *= 1 + ranking.citedBoost * log(1 + Double(n)) }
        }
        let ordered = head.sorted { a, b in
            if a.score != b.score { return a.score > b.score }
            let da = dates[a.rowid] ?? "", db = dates[b.rowid] ?? ""
            return da != db ? da > db : a.rowid > b.rowid
        }
        return Array(ordered.prefix(window))
    }

    /// How many times more common official texts are among `scored` than in the whole index:
    /// about 1 for a news event, 10 and more for a legal topic ("làm thêm giờ tối đa").
    func officialLift(_ scored: [(rowid: Int, score: Double)]) throws -> Double {
        let statistics = connection.rankStatistics
        if statistics.officialRows == nil {
            try connection.meter.unmetered {
                var rows = Set<Int>()
                let statement = try connection.prepare("SELECT rowid FROM documents WHERE type IS NOT NULL")
                while try statement.step() { rows.insert(statement.int(0)) }
                statistics.officialRows = rows
                statistics.documentRows = try connection.scalarInt("SELECT count(*) FROM documents") ?? 0
            }
        }
        guard let official = statistics.officialRows, !official.isEmpty, !scored.isEmpty, statistics.documentRows > 0 else { return 1 }
        let matched = scored.reduce(0) { $0 + (official.contains($1.rowid) ? 1 : 0) }
        return (Double(matched) / Double(scored.count)) / (Double(official.count) / Double(statistics.documentRows))
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

    /// The rows' dates (given at import, else issued), which rows are official texts, and how
    /// many texts cite each (by its number).
    func dates(of rowids: [Int]) throws -> ([Int: String], Set<Int>, [Int: Int]) {
        let statement = try connection.cached("""
            SELECT coalesce(date, issued), type IS NOT NULL,
                   CASE WHEN number_key IS NULL THEN 0
                        ELSE (SELECT count(DISTINCT c.source) FROM citations c WHERE c.number_key = documents.number_key) END
            FROM documents WHERE rowid = ?1
            """)
        var result: [Int: String] = [:]
        var official = Set<Int>()
        var cited: [Int: Int] = [:]
        for rowid in rowids {
            statement.reset()
            statement.bind(1, rowid)
            guard try statement.step() else { continue }
            if let date = statement.string(0) { result[rowid] = date }
            if statement.int(1) != 0 { official.insert(rowid) }
            cited[rowid] = statement.int(2)
        }
        return (result, official, cited)
    }

    /// Matches sorted by date, newest first (no ranking needed beyond that).
    func datedMatches(_ expression: String, _ filterSQL: String, _ filterValues: [String], offset: Int, limit: Int) throws -> ([(rowid: Int, score: Double)], Int) {
        let filter = filterSQL.isEmpty ? "" : " AND \(filterSQL)"
        let count = try connection.cached("SELECT count(*) FROM fts CROSS JOIN documents d ON d.rowid = fts.rowid WHERE fts MATCH ?1\(filter)")
        count.bind(1, expression)
        for (k, value) in filterValues.enumerated() { count.bind(Int32(8 + k), value) }
        let total = try count.step() ? count.int(0) : 0
        let page = try connection.cached("""
            SELECT fts.rowid, -bm25(fts) FROM fts CROSS JOIN documents d ON d.rowid = fts.rowid
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

    /// The rowids of every match of `expression` (nil: every document) that passes the filters.
    func matchingRows(_ expression: String?, _ filterSQL: String, _ filterValues: [String]) throws -> [Int] {
        let sql: String
        switch (expression, filterSQL.isEmpty) {
        case (nil, true): sql = "SELECT rowid FROM documents"
        case (nil, false): sql = "SELECT d.rowid FROM documents d WHERE \(filterSQL)"
        case (_?, true): sql = "SELECT rowid FROM fts WHERE fts MATCH ?1"
        case (_?, false): sql = "SELECT fts.rowid FROM fts CROSS JOIN documents d ON d.rowid = fts.rowid WHERE fts MATCH ?1 AND \(filterSQL)"
        }
        let statement = try connection.cached(sql)
        if let expression { statement.bind(1, expression) }
        for (k, value) in filterValues.enumerated() { statement.bind(Int32(8 + k), value) }
        var rows: [Int] = []
        while try statement.step() { rows.append(statement.int(0)) }
        return rows
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
                n.hasSuffix("/") ? "d.number_key GLOB \(parameter(globPrefix(n)))" : "d.number_key = \(parameter(n))"
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

    /// A GLOB pattern for the keys that start with `prefix`. GLOB, not LIKE: it compares as
    /// the column's BINARY collation does, so SQLite answers it from `documents_number` as a
    /// range; LIKE is case-insensitive and would scan every row (number keys are folded, so
    /// case never matters here).
    package static func globPrefix(_ prefix: String) -> String {
        var result = ""
        for c in prefix {
            switch c {
            case "*", "?", "[": result += "[\(c)]"
            default: result.append(c)
            }
        }
        return result + "*"
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
        try connection.checkBudget()  // a page of long documents is Swift work, outside SQLite
        let statement = try connection.cached("""
            SELECT d.outline, d.id, \(MetadataColumns.fields.map { "d.\($0.name)" }.joined(separator: ", "))
            FROM documents d WHERE d.rowid = ?1
            """)
        statement.bind(1, rowid)
        guard try statement.step() else { throw IndexError("index row \(rowid) vanished") }
        // The text is inflated until the passage cannot change: usually the first 4 KB (the
        // passage of a known-item hit is near the start), else as far as the scan can go.
        let reader = try TextStore.Reader(rowid: rowid, on: connection)
        defer { reader.close() }
        var wanted = 4096
        let found: Snippet
        while true {
            try reader.read(upTo: max(wanted, reader.bytes.count + 1))
            let isComplete = reader.isComplete
            let passage = reader.bytes.withUnsafeBufferPointer {
                SnippetBuilder.passage(of: $0, matcher: matcher, isComplete: isComplete)
            }
            switch passage {
            case .settled(let snippet): found = snippet
            case .needs(let bytes): wanted = bytes; continue
            }
            break
        }
        let location = found.matchOffset.flatMap { Outline(encoded: statement.string(0)).article(containing: $0)?.title }
        return SearchHit(
            id: statement.string(1) ?? "", metadata: MetadataColumns.read(statement, from: 2),
            score: (score * 1000).rounded() / 1000, snippet: found, location: location, numberMatch: false)
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
