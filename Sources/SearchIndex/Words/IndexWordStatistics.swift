import VietText

// The index's word statistics as `QueryReader` reads them: counts from the generation's
// `WordCounts` sketch, accented forms from its `accent_forms` table.

struct IndexWordStatistics: WordStatistics {
    let counts: WordCounts
    let connection: Connection

    func count(form: String) -> Int { counts.count(form: form) }
    func count(folded: String) -> Int { counts.count(folded: folded) }
    func count(forms first: String, _ second: String) -> Int { counts.count(forms: first, second) }
    func count(folded first: String, _ second: String) -> Int { counts.count(folded: first, second) }
    var tokens: Int { counts.tokens }
    var noise: Double { counts.noise }

    func documents(holdingAll forms: [String], limit: Int) -> Int? {
        // Each form (or phrase of forms) a literal: FTS5 reads an accented literal as exact forms.
        let literals = forms.filter { !$0.isEmpty }.map { "\"" + $0.replacingOccurrences(of: "\"", with: "") + "\"" }
        guard !literals.isEmpty else { return nil }
        let expression = literals.joined(separator: " AND ")
        let cache = connection.rankStatistics
        if let known = cache.documentCounts[expression] { return known }
        guard let statement = try? connection.cached("SELECT count(*) FROM (SELECT rowid FROM fts WHERE fts MATCH ?1 LIMIT ?2)")
        else { return nil }
        defer { statement.reset() }
        statement.bind(1, expression)
        statement.bind(2, limit)
        guard (try? statement.step()) == true else { return nil }
        let count = statement.int(0)
        cache.documentCounts[expression] = count
        return count
    }

    func accentedForms(of folded: String) -> [String] {
        guard let statement = try? connection.cached("SELECT accented FROM accent_forms WHERE folded = ?1") else { return [] }
        defer { statement.reset() }
        statement.bind(1, folded)
        var forms: [String] = []
        while (try? statement.step()) == true {
            if let form = statement.string(0) { forms.append(form) }
        }
        return forms
    }
}

extension IndexConnection {
    /// "form: count (folded: count)" for one form, or a pair of forms separated by a space
    /// (vanban-bench words: a look at the statistics the query reader uses).
    public func wordStatisticsReport(_ text: String) throws -> String {
        guard let counts = wordCounts else { return "\(text): no word statistics" }
        let tokens = Tokenizer.tokens(in: text)
        if tokens.count == 2 {
            return "\(text): \(counts.count(forms: tokens[0].accented, tokens[1].accented)) (folded: \(counts.count(folded: tokens[0].folded, tokens[1].folded)))"
        }
        guard let token = tokens.first else { return "\(text): no token" }
        return "\(text): \(counts.count(form: token.accented)) (folded: \(counts.count(folded: token.folded))) of \(counts.tokens) tokens"
    }

    /// nil for a generation without word statistics: queries are then read without them.
    var wordStatistics: WordStatistics? {
        wordCounts.map { IndexWordStatistics(counts: $0, connection: connection) }
    }
}
