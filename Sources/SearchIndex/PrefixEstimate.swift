import VietText

// A prefix query's cost, known before it runs. FTS5 answers "ch*" by merging the position
// lists of every indexed word starting with "ch" (chương, chính, chủ, chi... in both their
// accented and folded forms) inside one call that SQLite's progress handler cannot interrupt:
// on the full corpus that single step alone can take longer than the whole search budget. So
// a prefix is priced first, from the word statistics the index already keeps (the accented
// syllables seen, in `accent_forms`, and their counts, in the `WordCounts` sketch): the
// occurrences of every syllable it starts. One too common to merge within the budget is
// refused at once with "query too broad", naming the prefix, instead of stalling a thread.

extension IndexConnection {
    /// Estimated occurrences in the archive of the indexed words `prefix` starts, or nil when
    /// this generation has no word statistics. Typed without diacritics ("ch"), a prefix
    /// matches every form of the syllables it starts (folded counts); typed with them ("chư"),
    /// only the accented forms that start with it. An estimate: a syllable never written with a
    /// diacritic is counted only when it is the prefix itself.
    func estimatedOccurrences(ofPrefix prefix: String) throws -> Int? {
        guard let statistics = wordStatistics else { return nil }
        guard let token = Tokenizer.tokens(in: prefix).last else { return 0 }
        let folded = token.folded, accented = token.accented
        let plain = folded == accented
        // Text compares as UTF-8 bytes: U+10FFFF sorts after every syllable starting `folded`.
        let statement = try connection.cached("SELECT folded, accented FROM accent_forms WHERE folded >= ?1 AND folded < ?2")
        defer { statement.reset() }
        statement.bind(1, folded)
        statement.bind(2, folded + "\u{10FFFF}")
        var total = 0
        var syllables = Set<String>()
        while try statement.step() {
            guard let syllable = statement.string(0), let form = statement.string(1) else { continue }
            if plain {
                if syllables.insert(syllable).inserted { total += statistics.count(folded: syllable) }
            } else if form.hasPrefix(accented) {
                total += statistics.count(form: form)
            }
        }
        if plain && !syllables.contains(folded) { total += statistics.count(folded: folded) }
        return total
    }

    /// Throws `QueryError.tooBroad` when a prefix of `query` starts more occurrences than
    /// `budget.maxPrefixOccurrences` (summed over the query's prefixes: "ch* OR th*" merges both).
    func checkPrefixes(of query: Query, as typed: String, budget: SearchBudget) throws {
        guard let limit = budget.maxPrefixOccurrences, let root = query.root else { return }
        var total = 0
        var widest: (prefix: String, count: Int)?
        for term in root.allTerms where term.isPrefix {
            guard let last = term.text.split(separator: " ").last.map(String.init),
                  let count = try estimatedOccurrences(ofPrefix: last) else { continue }
            total += count
            if count > (widest?.count ?? -1) { widest = (last + "*", count) }
        }
        if total > limit, let widest {
            throw QueryError.tooBroad(typed, prefix: widest.prefix, occurrences: total)
        }
    }
}

extension Clause {
    /// Every term of the clause, excluded ones too (an excluded prefix is merged all the same).
    var allTerms: [Term] {
        switch self {
        case .text(let term): return [term]
        case .all(let clauses), .any(let clauses): return clauses.flatMap(\.allTerms)
        case .excluded(let inner): return inner.allTerms
        }
    }
}

extension QueryError {
    static func tooBroad(_ query: String, prefix: String, occurrences: Int) -> QueryError {
        let shown = query.count > 200 ? String(query.prefix(200)) + "…" : query
        return QueryError("query too broad: \"\(shown)\": \(prefix) starts about \(grouped(occurrences)) words of the archive, "
            + "more than one search may go through; type more letters before *, or use fewer prefixes", kind: .tooBroad)
    }
}

/// 1234567 -> "1,234,567".
func grouped(_ n: Int) -> String {
    let digits = Array(String(n))
    var out = ""
    for (k, d) in digits.enumerated() {
        if k > 0 && (digits.count - k) % 3 == 0 { out.append(",") }
        out.append(d)
    }
    return out
}
