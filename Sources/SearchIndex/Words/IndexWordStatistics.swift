// The index's word statistics as `QueryReader` reads them: counts from the generation's
// `WordCounts` sketch, accented forms from its `accent_forms` table.

struct IndexWordStatistics: WordStatistics {
    let counts: WordCounts
    let connection: Connection

    func count(_ form: String) -> Int { counts.count(of: form) }
    func count(_ first: String, _ second: String) -> Int { counts.count(of: first, second) }
    var tokens: Int { counts.tokens }

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
    /// nil for a generation without word statistics: queries are then read without them.
    var wordStatistics: WordStatistics? {
        wordCounts.map { IndexWordStatistics(counts: $0, connection: connection) }
    }
}
