import Foundation
import VietText

// Reading a parsed query before it is matched: which accents the words typed without them
// most likely carry, which adjacent words form one word, and which synonyms apply. Every
// decision comes from the index's own statistics (`WordStatistics`: how often each form of a
// syllable, and each pair of adjacent forms, occurs in the stored text), so it follows the
// archive it serves and needs no dictionary.
//
// Only plain words are read (`Term.isPlainWord`): a quoted phrase, a prefix, a column term or
// a document number is matched exactly as typed.

/// Counts from the index (see `WordCounts`; `IndexConnection` implements it).
protocol WordStatistics {
    /// Occurrences of exactly this form ("cắt"; "cat" written without marks).
    func count(form: String) -> Int
    /// Occurrences of any form folding to `folded`.
    func count(folded: String) -> Int
    /// Occurrences of the form `first` followed by the form `second`, separated by spaces only.
    func count(forms first: String, _ second: String) -> Int
    /// ... of any forms of the folded syllables `first`, `second`.
    func count(folded first: String, _ second: String) -> Int
    /// The accented forms of a folded syllable seen in the text ("cat" -> "cát", "cắt", ...).
    func accentedForms(of folded: String) -> [String]
    /// Tokens counted.
    var tokens: Int { get }
    /// Counts at or below this are noise (an absent pair's estimate), so taken as zero.
    var noise: Double { get }
    /// How many documents hold every one of these exact forms, counting up to `limit`; nil
    /// when unknown (statistics without an index behind them).
    func documents(holdingAll forms: [String], limit: Int) -> Int?
}

extension WordStatistics {
    func documents(holdingAll forms: [String], limit: Int) -> Int? { nil }
}

/// One positive clause of the query's top level, as `SearchPlan` matches and scores it.
struct QuerySlot: Equatable {
    var clause: Clause
    /// The plain word, when the clause is one (see `Term.isPlainWord`).
    var word: Term?
    /// Folded form of the plain word.
    var folded: String?
    /// The accented reading chosen for a plain word typed without accents, when it differs.
    var restored: String?
    /// The form the word is read as, once the reader has chosen one (as typed, restored, or
    /// chosen to stay without marks); nil when the statistics could not tell.
    var reading: String?
    /// Typed with "+", a quoted phrase or a group: the soft fallback never drops it.
    var isRequired: Bool
    /// Typed with a capital letter (a name: "Đồng Tâm").
    var isCapitalized: Bool
    /// A question word ending the query ("bao nhiêu", "gì"): scored when present, never
    /// required (see `QuestionWords`).
    var isOptional = false
}

/// The query's top level, read.
struct ReadQuery {
    var slots: [QuerySlot]
    var negatives: [Clause]
    /// Runs of slots read as one word (one slot each for the others), in order, covering all.
    var units: [Range<Int>]
    /// The runs of slots the statistics (or capitals) join as words, before synonym spans are
    /// joined too: inside a synonym's span they say which of its literal syllables stand as
    /// one word ("khám chữa bệnh", "trái tuyến" in the span of "khám bệnh, chữa bệnh không
    /// đúng tuyến").
    var words: [Range<Int>] = []
    /// Per slot s: how often the pair (s, s+1) occurs in the stored text as read (restored or
    /// typed forms; any forms for a word left without marks), or nil when not counted (no
    /// statistics, or not two plain words). vb_rank weighs a pair found adjacent in a row by
    /// how rare the pair is, not only its syllables ("thủ khoa": two common syllables, a rare word).
    var pairOccurrences: [Int?] = []
    /// Synonym spans over slots, with what each also finds.
    var synonyms: [(span: Range<Int>, alternatives: [String])]
    var reading: QueryReading
    /// True when the query is a single boolean group the reader leaves alone (a top-level OR).
    var isOpaque: Bool

    /// Units the soft fallback may drop: none holding a required or optional slot. Of two
    /// words of several syllables (no synonym over either), only the commoner: "thực phẩm
    /// bẩn" without "tràn lan" is still the subject, "ủy ban nhân dân" without "Thanh Hóa" is
    /// any province's.
    var droppableUnits: [Int] {
        let free = units.indices.filter { u in units[u].allSatisfy { !slots[$0].isRequired && !slots[$0].isOptional } }
        guard units.count == 2 else { return free }
        let counts = units.map { unit in unit.dropLast().compactMap { pairOccurrences[$0] }.min() }
        guard units.allSatisfy({ $0.count > 1 }), synonyms.isEmpty,
              let a = counts[0], let b = counts[1], a != b else { return [] }
        return free.filter { $0 == (a > b ? 0 : 1) }
    }
}

enum QueryReader {
    /// A candidate reading is kept when it has at least this share of the syllable's commonest
    /// form: a rare form's few pairs are mostly sketch noise, and would win the conditional
    /// probabilities they divide.
    static let candidateShare = 0.02
    static let maxCandidates = 8
    /// The pair model, interpolated with the syllable model (Jelinek-Mercer): P(b | a) =
    /// λ c(a b) / c(a) + (1 - λ) P(b). An unseen pair keeps a fair share of P(b), so one
    /// sketch-noise pair of a rare form does not outweigh a common word with no pair seen.
    static let interpolation = 0.95
    /// Two adjacent syllables read as one word when either one predicts the other this often,
    /// and they occur together this many times more often than chance would put them side by
    /// side (pointwise mutual information): "thiên tai", "danh hiệu", not "của chính".
    static let wordCohesion = 0.05
    static let wordAssociation = 10.0
    static let minimumPairCount = 3
    /// Readings within this factor of the likeliest are checked against the documents: the
    /// one whose words occur together in the most documents wins, each document counting
    /// `documentEvidence` nats ... a pair model alone reads "tiếp dân và don thu" as "đón
    /// thủ" ("đón Thủ tướng" is common), the documents about "tiếp dân" say "đơn thư".
    static let alternativeGap = log(50.0)
    static let maxAlternatives = 3
    static let documentEvidence = 1.0
    static let documentLimit = 500
    /// Longer runs are not checked: a title typed from memory has context enough for its
    /// folded words to find it, and each check costs an FTS5 query.
    static let maxCheckedRun = 8

    static func read(_ query: Query, statistics: WordStatistics?, strict: Bool,
                     synonyms: SynonymTable = .bundled) -> ReadQuery {
        var clauses: [Clause] = []
        var isOpaque = false
        switch query.root {
        case .all(let all)?: clauses = all
        case let root?: clauses = [root]
            if case .any = root { isOpaque = true }
        case nil: break
        }
        var slots: [QuerySlot] = []
        var negatives: [Clause] = []
        for clause in clauses {
            if case .excluded = clause { negatives.append(clause); continue }
            // A group of only exclusions matches nothing on its own (FTS5 cannot say NOT alone).
            if clause.compile() == nil { continue }
            var slot = QuerySlot(clause: clause, word: nil, folded: nil, restored: nil, isRequired: true, isCapitalized: false)
            if case .text(let term) = clause {
                // Quoted: required. A number or another joined word typed bare ("02/2025/TT-BYT")
                // is not: a title typed with a mistyped (or misread) number still finds the text
                // by its other words when the number matches nothing.
                slot.isRequired = term.isRequired || (term.isPhrase && !term.isJoinedWord)
                if term.isPlainWord {
                    slot.word = term
                    slot.folded = VietText.fold(term.text)
                    slot.isCapitalized = term.text.first?.isUppercase == true
                }
            }
            slots.append(slot)
        }
        var read = ReadQuery(slots: slots, negatives: negatives, units: [], synonyms: [], reading: QueryReading(),
                             isOpaque: isOpaque)
        read.reading.strict = strict
        if let statistics, statistics.tokens > 0 { restoreAccents(&read, statistics) }
        markQuestionWords(&read)
        findSynonyms(&read, synonyms)
        segment(&read, statistics)
        markFunctionWords(&read)
        return read
    }

    // MARK: Accents

    /// For each run of plain words, the most likely accented reading under a bigram model of
    /// the stored text (Viterbi over each word's accented forms). A word typed with accents
    /// keeps them and constrains its neighbours.
    static func restoreAccents(_ read: inout ReadQuery, _ statistics: WordStatistics) {
        let total = Double(max(statistics.tokens, 1))
        var k = 0
        var restoredAny = false
        while k < read.slots.count {
            guard read.slots[k].word != nil else { k += 1; continue }
            var end = k
            while end < read.slots.count && read.slots[end].word != nil { end += 1 }
            // Candidates per slot, with their counts.
            var candidates: [[(form: String, count: Double)]] = []
            for s in k..<end {
                let slot = read.slots[s]
                let typed = Tokenizer.tokens(in: slot.word!.text).first
                if let typed, typed.accented != typed.folded {
                    candidates.append([(typed.accented, Double(statistics.count(form: typed.accented)))])
                    continue
                }
                let folded = slot.folded ?? ""
                // Every accented form seen, and the form written without marks.
                var forms = (statistics.accentedForms(of: folded) + [folded]).map { ($0, Double(statistics.count(form: $0))) }
                let top = forms.map(\.1).max() ?? 0
                forms = forms.filter { $0.1 >= max(1, top * candidateShare) }.sorted { $0.1 > $1.1 }
                candidates.append(Array(forms.prefix(maxCandidates)).map { (form: $0.0, count: $0.1) })
                if candidates.last!.isEmpty { candidates[candidates.count - 1] = [(folded, 0)] }
            }
            // Viterbi: best[i][c] = best log-probability of a reading ending in candidate c.
            var best: [[Double]] = [candidates[0].map { log(($0.count + 0.5) / total) }]
            var back: [[Int]] = [Array(repeating: -1, count: candidates[0].count)]
            for i in 1..<max(candidates.count, 1) {
                var row: [Double] = [], from: [Int] = []
                for b in candidates[i] {
                    var bestScore = -Double.infinity, bestFrom = 0
                    for (j, a) in candidates[i - 1].enumerated() {
                        let score = best[i - 1][j] + logTransition(a, b, statistics)
                        if score > bestScore { bestScore = score; bestFrom = j }
                    }
                    row.append(bestScore)
                    from.append(bestFrom)
                }
                best.append(row)
                back.append(from)
            }
            var c = best[best.count - 1].indices.max { best[best.count - 1][$0] < best[best.count - 1][$1] } ?? 0
            var path = Array(repeating: 0, count: candidates.count)
            for i in stride(from: candidates.count - 1, through: 0, by: -1) {
                path[i] = c
                if i > 0 { c = back[i][c] }
            }
            path = checkedAgainstDocuments(path, candidates, statistics)
            for i in stride(from: candidates.count - 1, through: 0, by: -1) {
                let form = candidates[i][path[i]].form
                let s = k + i
                let typedFolded = read.slots[s].folded ?? ""
                read.slots[s].reading = form
                if form != typedFolded && Tokenizer.tokens(in: read.slots[s].word!.text).first?.accented == typedFolded {
                    read.slots[s].restored = form
                    restoredAny = true
                }
            }
            k = end
        }
        if restoredAny {
            read.reading.restored = read.slots.map { slot in
                if let restored = slot.restored { return slot.isCapitalized ? restored.capitalizedFirst : restored }
                if case .text(let term) = slot.clause { return term.isPhrase ? "\"\(term.text)\"" : term.text }
                return ""
            }.filter { !$0.isEmpty }.joined(separator: " ")
        }
    }

    /// The log-probability of one reading under the pair model (as the Viterbi pass scores it).
    static func logProbability(_ path: [Int], _ candidates: [[(form: String, count: Double)]],
                               _ statistics: WordStatistics) -> Double {
        var score = log((candidates[0][path[0]].count + 0.5) / Double(max(statistics.tokens, 1)))
        for i in 1..<max(path.count, 1) {
            score += logTransition(candidates[i - 1][path[i - 1]], candidates[i][path[i]], statistics)
        }
        return score
    }

    /// log P(b | a): the pair model interpolated with the syllable model (see `interpolation`);
    /// a pair count at or below the sketch's noise counts as unseen.
    @inline(__always)
    static func logTransition(_ a: (form: String, count: Double), _ b: (form: String, count: Double),
                              _ statistics: WordStatistics) -> Double {
        var pair = Double(statistics.count(forms: a.form, b.form))
        if pair <= statistics.noise { pair = 0 }
        let unigram = (b.count + 0.5) / Double(max(statistics.tokens, 1))
        return log(interpolation * pair / max(a.count, 1) + (1 - interpolation) * unigram)
    }

    /// The best reading, or a close one (one word, or two adjacent words, read otherwise)
    /// whose words occur together in more documents: the pair model sees two syllables at a
    /// time, the documents see the whole query.
    static func checkedAgainstDocuments(_ path: [Int], _ candidates: [[(form: String, count: Double)]],
                                        _ statistics: WordStatistics) -> [Int] {
        guard path.count >= 2 && path.count <= maxCheckedRun else { return path }
        let bestScore = logProbability(path, candidates, statistics)
        // A form without marks would match every form of its syllable in FTS5: a reading that
        // puts one where the best has another cannot be counted like the others.
        func hasMarks(_ i: Int, _ c: Int) -> Bool { VietText.fold(candidates[i][c].form) != candidates[i][c].form }
        var seen: Set<[Int]> = [path]
        var readings: [(path: [Int], score: Double)] = []
        func consider(_ other: [Int]) {
            guard seen.insert(other).inserted,
                  !other.indices.contains(where: { other[$0] != path[$0] && !hasMarks($0, other[$0]) }) else { return }
            let score = logProbability(other, candidates, statistics)
            if score >= bestScore - alternativeGap { readings.append((other, score)) }
        }
        for i in path.indices where candidates[i].count > 1 {
            for c in candidates[i].indices where c != path[i] {
                var other = path
                other[i] = c
                consider(other)
                // With its right neighbour: "đón thủ" and "đơn thư" differ in both syllables.
                guard i + 1 < path.count else { continue }
                for d in candidates[i + 1].indices where d != path[i + 1] {
                    other[i + 1] = d
                    consider(other)
                }
            }
        }
        guard !readings.isEmpty else { return path }
        readings = Array(readings.sorted { $0.score > $1.score }.prefix(maxAlternatives))
        readings.insert((path, bestScore), at: 0)
        // The slots where the readings differ, plus the two rarest others as context (a
        // common word's long posting list would cost more than it tells); adjacent slots
        // of one kind counted as one phrase ("tiếp dân", "đơn thư").
        let differing = Set(path.indices.filter { i in readings.contains { $0.path[i] != path[i] } })
        let context = path.indices.filter { !differing.contains($0) && hasMarks($0, path[$0]) }.sorted { candidates[$0][path[$0]].count < candidates[$1][path[$1]].count }.prefix(2)
        let counted = (Array(differing) + context).sorted()
        var chosen = path, chosenValue = -Double.infinity
        for reading in readings {
            var phrases: [String] = []
            for (k, i) in counted.enumerated() {
                let form = candidates[i][reading.path[i]].form
                // Adjacent slots of one kind (both differing, or both context) are one phrase.
                if k > 0 && counted[k - 1] == i - 1 && differing.contains(i) == differing.contains(i - 1) {
                    phrases[phrases.count - 1] += " " + form
                } else {
                    phrases.append(form)
                }
            }
            guard let documents = statistics.documents(holdingAll: phrases, limit: documentLimit) else { return path }
            let value = reading.score + documentEvidence * log(Double(documents) + 0.5)
            if value > chosenValue { chosen = reading.path; chosenValue = value }
        }
        return chosen
    }

    /// The form a slot is read as: restored, else as typed (accented, or folded).
    static func form(of slot: QuerySlot) -> String? {
        guard let word = slot.word else { return nil }
        return slot.reading ?? slot.restored ?? Tokenizer.tokens(in: word.text).first?.accented
    }

    // MARK: Question words

    /// A query that ends by asking ("làm thêm giờ tối đa bao nhiêu", "nghỉ sinh con hưởng chế
    /// độ gì") has words the answer does not contain: they are made optional, never required.
    static func markQuestionWords(_ read: inout ReadQuery) {
        var end = read.slots.count
        while end > 0 && read.slots[end - 1].word != nil && !read.slots[end - 1].isRequired { end -= 1 }
        let run = Array(read.slots[end...].indices)
        guard !run.isEmpty else { return }
        let words = run.map { form(of: read.slots[$0]) ?? "" }
        guard let length = QuestionWords.trailingLength(words) else { return }
        // Something must stay required.
        guard read.slots.count - length >= 1 else { return }
        let first = read.slots.count - length
        for s in first..<read.slots.count { read.slots[s].isOptional = true }
        read.reading.questionWords = read.slots[first...].compactMap { $0.word?.text }.joined(separator: " ")
    }

    // MARK: Function words

    /// Function words standing alone ("của", "từng", "ở") and frame words ("phòng chống",
    /// "quy định", see `FrameWords`) are matched when present, never required, when enough
    /// content words remain; not in a strict reading.
    static func markFunctionWords(_ read: inout ReadQuery) {
        guard !read.reading.strict && !read.isOpaque else { return }
        let single = Set(read.units.filter { $0.count == 1 }.map(\.lowerBound))
        let inSynonym = Set(read.synonyms.flatMap { Array($0.span) })
        let function = read.slots.indices.filter { s in
            let slot = read.slots[s]
            guard slot.word != nil, !slot.isRequired, !slot.isOptional, single.contains(s), !inSynonym.contains(s),
                  let form = form(of: slot) else { return false }
            return FunctionWords.contains(form)
        }
        // Frame words: a whole unit of several syllables ("phòng chống", "quy định").
        let frameUnits = read.units.filter { unit in
            unit.count > 1 && !unit.contains(where: inSynonym.contains) && unit.allSatisfy { s in
                read.slots[s].word != nil && !read.slots[s].isRequired && !read.slots[s].isOptional
            } && FrameWords.contains(unit.compactMap { form(of: read.slots[$0]) })
        }
        let optional = Set(function + frameUnits.flatMap { Array($0) })
        let content = read.slots.indices.filter { !read.slots[$0].isOptional && !optional.contains($0) }
        guard !optional.isEmpty, content.count >= FunctionWords.minimumContentWords else { return }
        for s in optional { read.slots[s].isOptional = true }
        read.reading.functionWords = function.compactMap { form(of: read.slots[$0]) }
        read.reading.frameWords = frameUnits.map { unit in unit.compactMap { form(of: read.slots[$0]) }.joined(separator: " ") }
    }

    // MARK: Synonyms

    static func findSynonyms(_ read: inout ReadQuery, _ synonyms: SynonymTable) {
        // One word with inner punctuation that is a whole entry ("TT&TT", "GD&ĐT"): a synonym
        // of its own slot. (A document number's parts are not an entry.)
        for (s, slot) in read.slots.enumerated() {
            guard case .text(let term) = slot.clause, term.isJoinedWord, !term.isRequired, !term.isPrefix,
                  term.column == nil else { continue }
            let tokens = Tokenizer.tokens(in: term.text)
            let found = synonyms.matches(tokens.map(\.folded), read: tokens.map { $0.accented == $0.folded ? nil : $0.accented },
                                         at: 0).filter { $0.words.count == tokens.count }
            guard !found.isEmpty else { continue }
            read.synonyms.append((s..<(s + 1), found.map(\.alternative)))
            for entry in found { read.reading.synonyms.append("\(term.text) → \(entry.alternative)") }
        }
        var s = 0
        while s < read.slots.count {
            guard read.slots[s].word != nil else { s += 1; continue }
            var end = s
            while end < read.slots.count && read.slots[end].word != nil && !read.slots[end].isRequired
                    && !read.slots[end].isOptional { end += 1 }
            let folded = read.slots[s..<end].map { $0.folded ?? "" }
            // As read, with accents (restored or typed); nil where the word is read without
            // any (unknown to the statistics, or written so): then only its folded form counts.
            let asRead: [String?] = read.slots[s..<end].map { slot in
                let typed = Tokenizer.tokens(in: slot.word?.text ?? "").first
                let form = slot.reading ?? typed?.accented
                return form == nil || form == slot.folded ? nil : form
            }
            let typed = read.slots[s..<end].map { $0.word?.text ?? "" }
            var i = 0
            while i < folded.count {
                let found = synonyms.matches(folded, read: asRead, typed: typed, at: i)
                if let first = found.first {
                    let span = (s + i)..<(s + i + first.words.count)
                    read.synonyms.append((span, found.map(\.alternative)))
                    let typed = read.slots[span].compactMap { $0.word?.text }.joined(separator: " ")
                    for entry in found { read.reading.synonyms.append("\(typed) → \(entry.alternative)") }
                    i += first.words.count
                } else {
                    i += 1
                }
            }
            s = max(end, s + 1)
        }
    }

    // MARK: Words

    /// Joins adjacent plain words into units: a synonym's span is one unit; two syllables
    /// are one word when one predicts the other (`wordCohesion`), or when both are typed
    /// capitalized (a name).
    static func segment(_ read: inout ReadQuery, _ statistics: WordStatistics?) {
        var joined = Array(repeating: false, count: max(read.slots.count - 1, 0))
        read.pairOccurrences = Array(repeating: nil, count: read.slots.count)
        for s in joined.indices {
            let a = read.slots[s], b = read.slots[s + 1]
            guard a.word != nil, b.word != nil else { continue }
            if a.isCapitalized && b.isCapitalized { joined[s] = true; continue }
            guard let statistics, let fa = form(of: a), let fb = form(of: b) else { continue }
            // Words read with their accents are counted as those forms; a word typed without
            // accents and not restored, as any of its forms.
            let exact = a.reading != nil && b.reading != nil
            var pair = Double(exact ? statistics.count(forms: fa, fb) : statistics.count(folded: a.folded ?? fa, b.folded ?? fb))
            if pair <= statistics.noise { pair = 0 }
            read.pairOccurrences[s] = Int(pair)
            guard pair >= Double(minimumPairCount) else { continue }
            let ca = Double(max(exact ? statistics.count(form: fa) : statistics.count(folded: a.folded ?? fa), 1))
            let cb = Double(max(exact ? statistics.count(form: fb) : statistics.count(folded: b.folded ?? fb), 1))
            let association = pair * Double(max(statistics.tokens, 1)) / (ca * cb)
            if max(pair / ca, pair / cb) >= wordCohesion && association >= wordAssociation { joined[s] = true }
        }
        func runs(_ joined: [Bool]) -> [Range<Int>] {
            var runs: [Range<Int>] = []
            var start = 0
            for s in 0..<read.slots.count where s == read.slots.count - 1 || !joined[s] {
                runs.append(start..<(s + 1))
                start = s + 1
            }
            return runs
        }
        read.words = runs(joined)
        for (span, _) in read.synonyms where span.count > 1 {
            for s in span.lowerBound..<(span.upperBound - 1) { joined[s] = true }
        }
        let units = runs(joined)
        read.units = units
        read.reading.phrases = units.filter { $0.count > 1 }.map { unit in
            read.slots[unit].map { slot in
                let text = form(of: slot) ?? ""
                return slot.isCapitalized ? text.capitalizedFirst : text
            }.joined(separator: " ")
        }
    }
}

extension String {
    var capitalizedFirst: String {
        guard let first else { return self }
        return first.uppercased() + dropFirst()
    }
}
