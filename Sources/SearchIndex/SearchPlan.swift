// A read query (`ReadQuery`) turned into what SQLite runs: one FTS5 MATCH expression, and the
// plan vb_rank scores its rows by (see FTS5RankFunction).
//
// Matching. Each positive clause of the query's top level is a "slot". A plain word matches
// as typed (folded, or with the accents typed); its restored reading is added as an
// alternative, ("cat" OR "cắt"), which matches nothing more (every "cắt" is also a "cat") but
// lets vb_rank see which documents hold the likely reading. A synonym's span becomes
// ((its words) OR "the synonym"). A word of several syllables (a unit of plain words) becomes
// ("hop tac xa" OR (hop AND tac AND xa)): it matches what its syllables match, and lets
// vb_rank score the word as a word, with the word's own document frequency, instead of as
// three common syllables; inside a synonym's span, the words its literal side holds are
// written so too (("hop tac xa" OR (hop AND tac AND xa)) OR "htx"). Strict: every slot (or
// its synonym) must match. Soft: all but one unit (of two words, only the commoner one
// dropped: see `ReadQuery.droppableUnits`), as an OR of AND groups, so FTS5 still intersects
// posting lists instead of visiting every document holding any word.
//
// Scoring (vb_rank reads the plan once per query): each FTS5 phrase is tagged with its slot
// and role, because FTS5 numbers phrases in the order they appear in the expression text, and
// the soft expression repeats each slot's phrases in several groups.

struct SearchPlan {
    var expression: String
    /// The FTS5 phrase literals in FTS5's order (vb_rank's document-frequency cache keys).
    var literals: [String]
    /// The plan vb_rank parses (see FTS5RankFunction).
    var encoded: String
    var isSoft: Bool

    /// The soft fallback is tried for queries of at most this many units.
    static let maxSoftUnits = 12

    enum Role: Character { case base = "b", restored = "r", synonym = "s", unit = "u", excluded = "x" }

    /// nil when nothing positive can be matched.
    static func make(_ read: ReadQuery, soft: Bool, ranking: Ranking) -> SearchPlan? {
        guard !read.slots.isEmpty else { return nil }
        var builder = Builder()

        // The slot optional slots lean on: the last one that is not optional.
        let anchor = read.slots.indices.last { !read.slots[$0].isOptional }
        // Segments: a synonym span (several slots or one), or one slot.
        var segments: [Range<Int>] = []
        var s = 0
        while s < read.slots.count {
            if let synonym = read.synonyms.first(where: { $0.span.lowerBound == s }) {
                segments.append(synonym.span)
                s = synonym.span.upperBound
            } else {
                segments.append(s..<(s + 1))
                s += 1
            }
        }
        // Words of several plain syllables, none optional: those no synonym touches (each of
        // their slots is a segment of its own), and those a synonym's span holds whole ("hợp
        // tác xã" in the span of "htx"), emitted inside the synonym's literal side.
        func isPlainWord(_ unit: Range<Int>) -> Bool {
            unit.count > 1 && unit.allSatisfy { read.slots[$0].word != nil && !read.slots[$0].isOptional }
        }
        let words = read.units.filter { unit in isPlainWord(unit) && !read.synonyms.contains { $0.span.overlaps(unit) } }
        let wordsInSynonyms = read.words.filter { word in
            isPlainWord(word) && read.synonyms.contains { $0.span.lowerBound <= word.lowerBound && word.upperBound <= $0.span.upperBound }
        }
        /// ("hop tac xa" OR (<its syllables, as `syllables` writes them>)).
        func emitWord(_ word: Range<Int>, syllables: () -> Void) {
            let text = word.compactMap { read.slots[$0].word?.text }.joined(separator: " ")
            builder.text += "("
            builder.emitPhrase(text, slot: word.lowerBound, role: .unit, last: word.upperBound - 1)
            builder.text += " OR ("
            syllables()
            builder.text += "))"
        }
        func emit(_ segment: Range<Int>) {
            let synonym = read.synonyms.first { $0.span == segment }
            if synonym != nil { builder.text += "((" }
            var first = true
            var next = segment.lowerBound
            for slot in segment {
                guard slot >= next else { continue }
                if !first { builder.text += " AND " }
                first = false
                if synonym != nil, let word = wordsInSynonyms.first(where: { $0.lowerBound == slot }) {
                    builder.text += "("
                    emitWord(word) {
                        for s in word {
                            if s > word.lowerBound { builder.text += " AND " }
                            builder.text += "("
                            builder.emitSlot(read.slots[s], index: s)
                            builder.text += ")"
                        }
                    }
                    builder.text += ")"
                    next = word.upperBound
                    continue
                }
                next = slot + 1
                builder.text += "("
                builder.emitSlot(read.slots[slot], index: slot)
                // An optional slot: (word OR anchor) matches whatever the anchor matches, and
                // lets vb_rank see the word where it occurs.
                if read.slots[slot].isOptional, let anchor {
                    builder.text += " OR "
                    builder.emitSlot(read.slots[anchor], index: anchor)
                }
                builder.text += ")"
            }
            if let synonym {
                builder.text += ")"
                for alternative in synonym.alternatives {
                    builder.text += " OR "
                    builder.emitPhrase(alternative, slot: segment.lowerBound, role: .synonym, last: segment.upperBound - 1)
                }
                builder.text += ")"
            }
        }
        func emitAll(except unit: Range<Int>?) {
            var first = true
            var i = 0
            while i < segments.count {
                let segment = segments[i]
                i += 1
                if let unit, unit.contains(segment.lowerBound) { continue }
                if !first { builder.text += " AND " }
                first = false
                builder.text += "("
                if let word = words.first(where: { $0.lowerBound == segment.lowerBound }) {
                    emitWord(word) {
                        emit(segment)
                        for _ in 1..<word.count {
                            builder.text += " AND "
                            emit(segments[i])
                            i += 1
                        }
                    }
                } else {
                    emit(segment)
                }
                builder.text += ")"
            }
        }
        let droppable = read.droppableUnits
        // Two units at least (of two, see `droppableUnits`), and a bounded expression: each
        // dropped unit repeats every other slot once.
        let isSoft = soft && droppable.count >= 1 && read.units.count >= 2 && read.units.count <= maxSoftUnits
        if isSoft {
            builder.text += "("
            for (k, u) in droppable.enumerated() {
                if k > 0 { builder.text += " OR " }
                builder.text += "("
                emitAll(except: read.units[u])
                builder.text += ")"
            }
            builder.text += ")"
        } else {
            builder.text += "("
            emitAll(except: nil)
            builder.text += ")"
        }
        for negative in read.negatives {
            guard case .excluded(let inner) = negative, let compiled = inner.compile() else { continue }
            builder.text = "(\(builder.text)) NOT (\(compiled.expression))"
            for literal in compiled.phrases { builder.phrases.append((literal, -1, .excluded, -1)) }
        }
        guard !builder.phrases.filter({ $0.role != .excluded }).isEmpty else { return nil }
        return SearchPlan(expression: builder.text, literals: builder.phrases.map(\.literal),
                          encoded: encode(read, builder.phrases, soft: isSoft, ranking: ranking), isSoft: isSoft)
    }

    struct Builder {
        var text = ""
        var phrases: [(literal: String, slot: Int, role: Role, last: Int)] = []

        mutating func emitPhrase(_ words: String, slot: Int, role: Role, last: Int? = nil) {
            let literal = "\"" + words.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
            text += literal
            phrases.append((literal, slot, role, last ?? slot))
        }

        mutating func emitSlot(_ slot: QuerySlot, index: Int) {
            if let word = slot.word {
                if let restored = slot.restored {
                    text += "("
                    emitPhrase(word.text, slot: index, role: .base)
                    text += " OR "
                    emitPhrase(restored, slot: index, role: .restored)
                    text += ")"
                } else {
                    emitPhrase(word.text, slot: index, role: .base)
                }
                return
            }
            guard let compiled = slot.clause.compile() else { return }
            text += compiled.expression
            for literal in compiled.phrases { phrases.append((literal, index, .base, index)) }
        }
    }

    /// The plan's text: one record per line, fields separated by spaces.
    ///   W <weights...>                    the `Ranking` constants vb_rank uses
    ///   S <slots> <lead> <soft>           slot count; leading slots for the whole-query phrase
    ///   T <tokens>                        per slot: its phrase length (0: not part of the lead)
    ///   P <slot> <role> <last>            per FTS5 phrase, in FTS5's order
    ///   A <slot> <weight> <occurrences>   adjacent plain words slot, slot+1, their pair weight, and
    ///                                     how often the pair occurs in the text (-1: not counted)
    ///   U <first> <last>                  a unit of several slots (a word of several syllables)
    ///   O <slot>                          an optional slot (a function word, a question word)
    static func encode(_ read: ReadQuery, _ phrases: [(literal: String, slot: Int, role: Role, last: Int)],
                       soft: Bool, ranking: Ranking) -> String {
        var lines: [String] = []
        lines.append("W \(ranking.titleWeight) \(ranking.bodyWeight) \(ranking.titlePhraseBonus) \(ranking.phraseBonus) "
            + "\(ranking.pairWeight) \(ranking.wordPairWeight) \(ranking.restoredWeight) \(ranking.synonymWeight) "
            + "\(ranking.titleCoverageBonus) \(ranking.softExponent) \(ranking.lengthCap) "
            + "\(ranking.syllableInWordWeight) \(ranking.scatteredWordCredit) \(ranking.pairSpecificity) "
            + "\(ranking.proximityWeight) \(ranking.proximityWindow)")
        // The lead: the leading slots that are plain text (no column, no prefix), as typed.
        var lead = 0, leadTokens = 0
        var tokens: [Int] = []
        for slot in read.slots {
            var count = 0
            if case .text(let term) = slot.clause, term.column == nil, !term.isPrefix {
                count = term.text.split(separator: " ").count
            }
            tokens.append(count)
        }
        for count in tokens {
            guard count > 0 else { break }
            lead += 1
            leadTokens += count
        }
        if leadTokens < 2 { lead = 0 }
        lines.append("S \(read.slots.count) \(lead) \(soft ? 1 : 0)")
        for count in tokens { lines.append("T \(count)") }
        for phrase in phrases { lines.append("P \(phrase.slot) \(phrase.role.rawValue) \(phrase.last)") }
        let inUnit = Set(read.units.filter { $0.count > 1 }.flatMap { Array($0.dropLast()) })
        for s in 0..<max(read.slots.count - 1, 0) where read.slots[s].word != nil && read.slots[s + 1].word != nil {
            let occurrences = s < read.pairOccurrences.count ? read.pairOccurrences[s] ?? -1 : -1
            lines.append("A \(s) \(inUnit.contains(s) ? ranking.wordPairWeight : ranking.pairWeight) \(occurrences)")
        }
        for unit in read.units where unit.count > 1 { lines.append("U \(unit.lowerBound) \(unit.upperBound - 1)") }
        for (s, slot) in read.slots.enumerated() where slot.isOptional { lines.append("O \(s)") }
        return lines.joined(separator: "\n")
    }
}
