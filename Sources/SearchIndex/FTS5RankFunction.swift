import CSQLite
import Foundation

// vb_rank(fts, plan, literals): VanBan's score for one matching row, higher is better. `plan`
// is `SearchPlan.encoded` (which slot of the query and which role each FTS5 phrase has, the
// pairs of adjacent words, the units, the weights); `literals` the phrases' literals joined
// with U+0001, in FTS5's phrase order. The score, in one walk over the row's phrase instances:
//
//   BM25 per slot (k1 = 1.2, b = 0.75; title and body frequencies weighted): its words as
//     typed, or a synonym at `synonymWeight` if that scores more; plus `restoredWeight` times
//     the BM25 of the restored accented reading (documents with "cắt" over those with "cát")
//   + per pair of adjacent query words found adjacent in the row (in order): a BM25-like
//     term with the pair's own IDF (from how often the pair occurs: `Ranking.pairSpecificity`),
//     `wordPairWeight` inside a word of several syllables, `pairWeight` between words (the
//     sequential dependence model of Metzler & Croft), more again when the restored readings
//     are the ones adjacent
//   + `titleCoverageBonus` times the squared IDF-weighted share of the query's slots in the
//     title
//   + `proximityWeight` times, for each two query words (a word of several syllables
//     counting as one) found within `proximityWindow` tokens, a BM25-like term over the sum of
//     1/d² of their distances, weighted by the rarer word's IDF (BM25TP, Rasolofo & Savoy)
//   + titleBonus / phraseBonus when the leading slots occur as one phrase in the title /
//     anywhere (known-item searches: a title typed from memory, a document number)
//   and, in the soft fallback, times (IDF-weighted share of slots matched)^softExponent.
//
// A row where every slot matched and every word of several syllables stands together is
// "strong"; RankStatistics counts them per query, so the search can tell weak results.
//
// Why not bm25() + other functions: each walks the row's phrase instances, and bm25() also
// asks FTS5 for each row's length (a b-tree lookup in %_docsize) and counts, for every query,
// the rows holding each phrase (a scan of its posting list). vb_rank walks the instances once,
// reads row lengths from memory when `RankStatistics` has them, and keeps document
// frequencies across queries, keyed by phrase literal, until the index changes.

enum FTS5RankFunction {
    static let name = "vb_rank"

    static func register(_ api: UnsafeMutablePointer<fts5_api>, on connection: Connection) throws {
        let statistics = Unmanaged.passUnretained(connection.rankStatistics).toOpaque()
        try connection.check(api.pointee.xCreateFunction(api, name, statistics, rankFunction, nil))
    }
}

/// Corpus statistics for ranking, kept per connection for as long as the index does not
/// change (`version` is the connection's data version when they were gathered):
/// - document frequencies by phrase literal, filled in by vb_rank as queries need them;
/// - every row's length in tokens, indexed by rowid, once loaded: the rank function then
///   reads a row's length here instead of asking FTS5 (a quarter of the ranking time on
///   queries with thousands of matches). `IndexConnection` loads them for queries matching many rows.
final class RankStatistics {
    private(set) var lengths: UnsafeMutableBufferPointer<Int32>?
    var frequencies: [String: Int] = [:]
    /// Documents holding all of some exact forms (up to a limit), by FTS5 expression: the
    /// query reader's check of close readings (`QueryReader.checkedAgainstDocuments`).
    var documentCounts: [String: Int] = [:]
    private(set) var version = -1
    /// The rowids of official texts, and the number of documents, once loaded (see
    /// `IndexConnection.officialLift`).
    var officialRows: Set<Int>?
    var documentRows = 0
    /// Every row's facet values, once read (see `FacetRows`).
    var facetRows: FacetRows?
    /// Rows scored "strong", and rows holding the whole query as a phrase, since the last reset.
    var strongRows = 0
    var phraseRows = 0

    deinit { lengths?.deallocate() }

    /// Forgets everything gathered at another data version.
    func validate(version: Int) {
        guard version != self.version else { return }
        lengths?.deallocate()
        lengths = nil
        frequencies.removeAll()
        documentCounts.removeAll()
        officialRows = nil
        facetRows = nil
        self.version = version
    }

    var hasLengths: Bool { lengths != nil }

    func length(of rowid: Int64) -> Int32? {
        guard let lengths, rowid >= 0, rowid < lengths.count else { return nil }
        let length = lengths[Int(rowid)]
        return length >= 0 ? length : nil
    }

    /// Reads every row's total length from FTS5's %_docsize table (one varint per column).
    func loadLengths(from connection: Connection) throws {
        let maxRowid = try connection.scalarInt("SELECT coalesce(max(id), 0) FROM fts_docsize") ?? 0
        let buffer = UnsafeMutableBufferPointer<Int32>.allocate(capacity: maxRowid + 1)
        buffer.initialize(repeating: -1)
        let statement = try connection.prepare("SELECT id, sz FROM fts_docsize")
        while try statement.step() {
            let rowid = statement.int(0)
            guard rowid >= 0 && rowid <= maxRowid, let blob = sqlite3_column_blob(statement.handle, 1) else { continue }
            let bytes = UnsafeBufferPointer(start: blob.assumingMemoryBound(to: UInt8.self),
                                            count: Int(sqlite3_column_bytes(statement.handle, 1)))
            var total: Int32 = 0
            var value: UInt32 = 0
            for byte in bytes {  // SQLite varints: 7 bits a byte, high bit = more follows
                value = value << 7 | UInt32(byte & 0x7F)
                if byte & 0x80 == 0 { total &+= Int32(truncatingIfNeeded: value); value = 0 }
            }
            buffer[rowid] = total
        }
        lengths?.deallocate()
        lengths = buffer
    }
}

/// What stays the same for every row of one query: parsed once, kept as FTS5 auxdata.
private final class RankQueryData {
    struct Weights {
        var title = 8.0, body = 1.0, titlePhrase = 40.0, phrase = 10.0
        var pair = 0.5, wordPair = 0.5, restored = 0.5, synonym = 0.7, titleCoverage = 0.0, softExponent = 2.0
        var lengthCap = 1_000_000.0
        var syllableInWord = 0.1, scatteredCredit = 0.5, pairSpecificity = 0.0
        var proximity = 0.0, proximityWindow: Int32 = 8
    }
    var weights = Weights()
    var slotCount = 0, lead = 0, soft = false
    var slotTokens: [Int32] = []
    /// Per FTS5 phrase: its group (copies of one literal in one slot and role share a group).
    var phraseGroup: [Int] = []
    var groupSlot: [Int] = [], groupLast: [Int] = [], groupRole: [UInt8] = [], groupIdf: [Double] = []
    /// The groups of words of several syllables as phrases ("hop tac xa"); their slots are
    /// scored through them (see `score`), and their IDF replaces the syllables' in coverage.
    var wordGroups: [Int] = []
    /// Per slot: its restored group, if any; the IDF of its words as typed.
    var restoredGroup: [Int] = []
    /// Per slot: the last slot of the synonym span starting there, or -1.
    var synonymLast: [Int] = []
    var slotIdf: [Double] = []
    var idfTotal = 0.0
    /// pairOfSlot[s]: index into `pairs` of the pair (s, s+1), or -1.
    var pairOfSlot: [Int] = []
    var pairs: [(slot: Int, weight: Double, occurrences: Int)] = []
    /// Per pair: the IDF its term is weighted by (see `Ranking.pairSpecificity`).
    var pairIdf: [Double] = []
    var units: [(first: Int, last: Int)] = []
    /// Proximity (see `Ranking.proximityWeight`): the query's words, each a slot or a unit of
    /// several, function words aside; per group, the word its instances stand for whole (-1:
    /// a syllable of a longer word, or not counted), and its length in tokens.
    var proximityWords = 0
    var groupWord: [Int] = [], groupTokens: [Int32] = []
    var wordIdf: [Double] = []
    var averageLength = 1.0
    /// The current row's phrase instances (reused from row to row).
    let instances = PhraseInstances()
    /// shift[s]: how many tokens slot s starts after slot 0 when the lead occurs as one phrase.
    var shift: [Int32] = []
    var valid = false

    static let roleBase = UInt8(ascii: "b"), roleRestored = UInt8(ascii: "r"), roleSynonym = UInt8(ascii: "s")
    static let roleWord = UInt8(ascii: "u")

    init(plan: String, literals: [String], phraseCount: Int, rows: Int64, idf: (Int) -> Double?) {
        var phrases: [(slot: Int, role: UInt8, last: Int)] = []
        var optional = Set<Int>()
        for line in plan.split(separator: "\n") {
            let f = line.split(separator: " ")
            guard let kind = f.first else { continue }
            switch kind {
            case "W" where f.count >= 12:
                let v = f.dropFirst().map { Double($0) ?? 0 }
                weights = Weights(title: v[0], body: v[1], titlePhrase: v[2], phrase: v[3], pair: v[4], wordPair: v[5],
                                  restored: v[6], synonym: v[7], titleCoverage: v[8], softExponent: v[9], lengthCap: v[10])
                if v.count >= 13 { weights.syllableInWord = v[11]; weights.scatteredCredit = v[12] }
                if v.count >= 14 { weights.pairSpecificity = v[13] }
                if v.count >= 16 { weights.proximity = v[14]; weights.proximityWindow = Int32(max(1, min(v[15], 64))) }
            case "S" where f.count >= 4:
                slotCount = Int(f[1]) ?? 0; lead = Int(f[2]) ?? 0; soft = f[3] == "1"
            case "T" where f.count >= 2:
                slotTokens.append(Int32(f[1]) ?? 0)
            case "P" where f.count >= 4:
                phrases.append((Int(f[1]) ?? -1, f[2].utf8.first ?? 0, Int(f[3]) ?? -1))
            case "A" where f.count >= 3:
                pairs.append((Int(f[1]) ?? 0, Double(f[2]) ?? 0, f.count >= 4 ? Int(f[3]) ?? -1 : -1))
            case "U" where f.count >= 3:
                units.append((Int(f[1]) ?? 0, Int(f[2]) ?? 0))
            case "O" where f.count >= 2:
                if let slot = Int(f[1]) { optional.insert(slot) }
            default: continue
            }
        }
        guard phrases.count == phraseCount, slotTokens.count == slotCount, slotCount <= 64 else { return }
        var groups: [String: Int] = [:]
        restoredGroup = Array(repeating: -1, count: slotCount)
        synonymLast = Array(repeating: -1, count: slotCount)
        slotIdf = Array(repeating: 0, count: slotCount)
        for (i, phrase) in phrases.enumerated() {
            guard phrase.slot >= 0 && phrase.slot < slotCount else { phraseGroup.append(-1); continue }
            let key = "\(phrase.slot) \(phrase.role) \(i < literals.count ? literals[i] : "#\(i)")"
            if let g = groups[key] { phraseGroup.append(g); continue }
            let g = groupSlot.count
            groups[key] = g
            phraseGroup.append(g)
            groupSlot.append(phrase.slot)
            groupLast.append(min(max(phrase.last, phrase.slot), slotCount - 1))
            groupRole.append(phrase.role)
            groupTokens.append(Int32(i < literals.count ? max(1, literals[i].split(separator: " ").count) : 1))
            let value = idf(i) ?? 1e-6
            groupIdf.append(value)
            if phrase.role == Self.roleRestored { restoredGroup[phrase.slot] = g }
            if phrase.role == Self.roleSynonym { synonymLast[phrase.slot] = groupLast[g] }
            if phrase.role == Self.roleBase { slotIdf[phrase.slot] = max(slotIdf[phrase.slot], value) }
            if phrase.role == Self.roleWord && groupLast[g] > phrase.slot { wordGroups.append(g) }
        }
        // A word's slots share its IDF: "hợp tác xã" weighs what the word weighs, not what
        // three common syllables add up to.
        for g in wordGroups {
            let first = groupSlot[g], last = groupLast[g]
            for s in first...last { slotIdf[s] = groupIdf[g] / Double(last - first + 1) }
        }
        idfTotal = slotIdf.reduce(0, +)
        pairOfSlot = Array(repeating: -1, count: slotCount)
        pairs = pairs.filter { $0.slot >= 0 && $0.slot + 1 < slotCount }
        for (k, pair) in pairs.enumerated() { pairOfSlot[pair.slot] = k }
        pairIdf = pairs.map { pair in
            let a = slotIdf[pair.slot], b = slotIdf[pair.slot + 1]
            let mean = (a + b) / 2
            // Lower bounds of the pair's IDF: each word's, and its occurrences' (>= its documents).
            var bound = max(a, b)
            if pair.occurrences >= 0 {
                let n = Double(min(Int64(pair.occurrences), rows))
                bound = max(bound, log((Double(rows) - n + 0.5) / (n + 0.5)))
            }
            return mean + weights.pairSpecificity * (max(bound, mean) - mean)
        }
        units = units.filter { $0.first >= 0 && $0.last < slotCount && $0.first < $0.last }
        // The words proximity counts: each unit, and each slot outside units, in slot order.
        var wordOfSlot = Array(repeating: -1, count: slotCount)
        var wordRange: [(first: Int, last: Int)] = []
        var s = 0
        while s < slotCount {
            let last = units.first { $0.first == s }?.last ?? s
            if !(s...last).contains(where: optional.contains) {
                for t in s...last { wordOfSlot[t] = wordRange.count }
                wordRange.append((s, last))
            }
            s = last + 1
        }
        proximityWords = wordRange.count
        wordIdf = wordRange.map { range in (range.first...range.last).reduce(0) { $0 + slotIdf[$1] } }

        // A word's instances: those of a phrase covering it whole (the word, a synonym of it,
        // a single syllable as typed or restored); inside a word of several syllables, those of
        // the words it holds ("khám chữa bệnh", "trái tuyến"), else of its syllables.
        let holdsWords = Set(groupSlot.indices.filter { groupRole[$0] == Self.roleWord }.map { wordOfSlot[groupSlot[$0]] })
        groupWord = groupSlot.indices.map { g in
            let word = wordOfSlot[groupSlot[g]]
            guard word >= 0, groupLast[g] <= wordRange[word].last else { return -1 }
            if (groupSlot[g], groupLast[g]) == wordRange[word] || groupRole[g] == Self.roleWord { return word }
            let isSyllable = groupRole[g] == Self.roleBase || groupRole[g] == Self.roleRestored
            return isSyllable && !holdsWords.contains(word) ? word : -1
        }
        lead = min(lead, slotCount)
        shift = Array(repeating: 0, count: max(lead, 1))
        if lead > 1 { for s in 1..<lead { shift[s] = shift[s - 1] + slotTokens[s - 1] } }
        valid = true
    }
}

/// xQueryPhrase's callback: counts the rows holding the phrase.
private let countRow: @convention(c) (UnsafePointer<Fts5ExtensionApi>?, OpaquePointer?, UnsafeMutableRawPointer?) -> Int32 = { _, _, counter in
    counter?.assumingMemoryBound(to: Int.self).pointee += 1
    return SQLITE_OK
}

private let releaseQueryData: @convention(c) (UnsafeMutableRawPointer?) -> Void = { pointer in
    if let pointer { Unmanaged<RankQueryData>.fromOpaque(pointer).release() }
}

private let rankFunction: @convention(c) (
    UnsafePointer<Fts5ExtensionApi>?, OpaquePointer?, OpaquePointer?, Int32,
    UnsafeMutablePointer<OpaquePointer?>?
) -> Void = { api, fts, context, argc, argv in
    guard let api, let fts, let context, let argv, argc >= 2 else {
        if let context { sqlite3_result_error(context, "vb_rank: wrong arguments", -1) }
        return
    }
    let phraseCount = Int(api.pointee.xPhraseCount(fts))
    let statistics = api.pointee.xUserData(fts).map { Unmanaged<RankStatistics>.fromOpaque($0).takeUnretainedValue() }

    // Per-query data: the plan, each phrase's IDF and the average row length, on the first row.
    let data: RankQueryData
    if let existing = api.pointee.xGetAuxdata(fts, 0) {
        data = Unmanaged<RankQueryData>.fromOpaque(existing).takeUnretainedValue()
    } else {
        var rows: Int64 = 0, tokens: Int64 = 0
        _ = api.pointee.xRowCount(fts, &rows)
        _ = api.pointee.xColumnTotalSize(fts, -1, &tokens)
        let plan = sqlite3_value_text(argv[0]).map { String(cString: $0) } ?? ""
        let literals = sqlite3_value_text(argv[1]).map { String(cString: $0) }?
            .split(separator: "\u{1}", omittingEmptySubsequences: false).map(String.init) ?? []
        var failure: Int32 = SQLITE_OK
        let created = RankQueryData(plan: plan, literals: literals, phraseCount: phraseCount, rows: rows) { i in
            let key = i < literals.count ? literals[i] : nil
            var frequency = key.flatMap { statistics?.frequencies[$0] }
            if frequency == nil {
                var hits = 0
                let rc = withUnsafeMutablePointer(to: &hits) { pointer in
                    api.pointee.xQueryPhrase(fts, Int32(i), pointer, countRow)
                }
                guard rc == SQLITE_OK else { failure = rc; return nil }
                frequency = hits
                if let key { statistics?.frequencies[key] = hits }
            }
            let n = Double(frequency ?? 0)
            let value = log((Double(rows) - n + 0.5) / (n + 0.5))
            return value > 0 ? value : 1e-6
        }
        guard failure == SQLITE_OK else {
            sqlite3_result_error_code(context, failure)
            return
        }
        guard created.valid else {
            sqlite3_result_error(context, "vb_rank: the plan does not match the expression", -1)
            return
        }
        created.averageLength = rows > 0 ? max(1, Double(tokens) / Double(rows)) : 1
        let retained = Unmanaged.passRetained(created)
        if api.pointee.xSetAuxdata(fts, retained.toOpaque(), releaseQueryData) != SQLITE_OK {
            retained.release()
            sqlite3_result_error(context, "vb_rank: out of memory", -1)
            return
        }
        data = created
    }

    guard let count = data.instances.gather(api, fts, phraseCount: phraseCount) else {
        sqlite3_result_error(context, "vb_rank: cannot read phrase instances", -1)
        return
    }
    var length: Int32 = 0
    if let known = statistics?.length(of: api.pointee.xRowid(fts)) {
        length = known
    } else {
        _ = api.pointee.xColumnSize(fts, -1, &length)
    }
    let (score, strong, phrase) = score(data, count, length: length, phraseCount: phraseCount)
    if strong { statistics?.strongRows += 1 }
    if phrase { statistics?.phraseRows += 1 }
    sqlite3_result_double(context, score)
}

/// The score of the current row (see the comment at the top), whether it is strong, and
/// whether it holds the leading words as one phrase.
private func score(_ data: RankQueryData, _ count: Int, length: Int32, phraseCount: Int) -> (Double, Bool, Bool) {
    let w = data.weights
    let groups = data.groupSlot.count
    let slots = data.slotCount
    let k1 = 1.2, b = 0.75
    let norm = k1 * (1 - b + b * min(Double(length) / data.averageLength, w.lengthCap))
    @inline(__always) func saturate(_ tf: Double) -> Double { tf * (k1 + 1) / (tf + norm) }

    let phrases = data.instances.phrases, columns = data.instances.columns, offsets = data.instances.offsets
    return withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * phraseCount + 2 * groups + 4 * data.pairs.count + 2) { doubles in
        let phraseTf = doubles.baseAddress!, phraseTitle = phraseTf + phraseCount
        let groupTf = phraseTitle + phraseCount, groupTitle = groupTf + groups
        let pairAny = groupTitle + groups, pairPreferred = pairAny + data.pairs.count
        // The last position each pair was counted at (no per-row array: this runs per row).
        let lastAny = pairPreferred + data.pairs.count, lastPreferred = lastAny + data.pairs.count
        (phraseTf).initialize(repeating: 0, count: 2 * phraseCount + 2 * groups + 2 * data.pairs.count + 2)
        lastAny.initialize(repeating: -1, count: 2 * data.pairs.count)
        for j in 0..<count {
            let p = Int(phrases[j])
            guard p < phraseCount else { continue }
            if columns[j] == 0 { phraseTf[p] += w.title; phraseTitle[p] = 1 } else { phraseTf[p] += w.body }
        }
        // Copies of a phrase (the soft expression repeats them) see the same instances.
        for p in 0..<phraseCount {
            let g = data.phraseGroup[p]
            guard g >= 0 else { continue }
            groupTf[g] = max(groupTf[g], phraseTf[p])
            groupTitle[g] = max(groupTitle[g], phraseTitle[p])
        }

        // BM25 per slot, coverage, title coverage.
        var score = 0.0
        var matched: UInt64 = 0, inTitle: UInt64 = 0, scattered: UInt64 = 0
        withUnsafeTemporaryAllocation(of: Double.self, capacity: 3 * slots + 1) { perSlot in
            let base = perSlot.baseAddress!, synonym = base + slots, restored = synonym + slots
            base.initialize(repeating: 0, count: 3 * slots)
            // Slots a synonym of their span matched (in the title): they count as matched
            // however the literal words stand.
            var bySynonym: UInt64 = 0, synonymInTitle: UInt64 = 0
            @inline(__always) func mask(_ first: Int, _ last: Int) -> UInt64 {
                (last - first >= 63 ? ~0 : (UInt64(1) << UInt64(last - first + 1)) - 1) << UInt64(first)
            }
            for g in 0..<groups where groupTf[g] > 0 {
                let value = data.groupIdf[g] * saturate(groupTf[g])
                let s = data.groupSlot[g]
                switch data.groupRole[g] {
                case RankQueryData.roleBase:
                    base[s] += value
                    matched |= 1 << UInt64(s)
                    if groupTitle[g] > 0 { inTitle |= 1 << UInt64(s) }
                case RankQueryData.roleRestored:
                    restored[s] = max(restored[s], value)
                    if groupTitle[g] > 0 { inTitle |= 1 << UInt64(s) }
                case RankQueryData.roleSynonym:
                    // Once per slot of its span, with its own IDF, as the span's syllables
                    // each score: the texts that use the law's term instead of the everyday
                    // words are what such a query wants (scored once, or at the literal
                    // words' IDF, the graded set loses 0.02-0.03 nDCG@10).
                    synonym[s] = max(synonym[s], w.synonym * value * Double(data.groupLast[g] - s + 1))
                    bySynonym |= mask(s, data.groupLast[g])
                    if groupTitle[g] > 0 { synonymInTitle |= mask(s, data.groupLast[g]) }
                default: break
                }
            }
            // A word of several syllables: BM25 of the word where they stand together, plus a
            // share of the syllables' own; only the share, and partial coverage, where they
            // are scattered (the "thi" and "đua" of unrelated sentences are not "thi đua").
            for g in data.wordGroups {
                let first = data.groupSlot[g], last = data.groupLast[g]
                var syllables = 0.0
                for s in first...last { syllables += base[s]; base[s] = 0 }
                let word = mask(first, last)
                if groupTf[g] > 0 {
                    base[first] = data.groupIdf[g] * saturate(groupTf[g]) + w.syllableInWord * syllables
                    matched |= word
                    inTitle = groupTitle[g] > 0 ? inTitle | word : inTitle & ~word
                } else {
                    base[first] = w.syllableInWord * syllables
                    scattered |= matched & word
                    inTitle &= ~word
                }
            }
            matched |= bySynonym
            scattered &= ~bySynonym
            inTitle |= synonymInTitle
            // A synonym stands for its whole span: the span scores the better of the two,
            // the literal words (as words) or the synonym, once.
            for s in 0..<slots where data.synonymLast[s] >= 0 && synonym[s] > 0 {
                let last = data.synonymLast[s]
                var literal = 0.0
                for t in s...last { literal += base[t] }
                if synonym[s] > literal {
                    base[s] = synonym[s]
                    for t in s...last where t > s { base[t] = 0 }
                }
            }
            for s in 0..<slots { score += base[s] + w.restored * restored[s] }
        }
        var coverage = 1.0, titleCoverage = 0.0
        if data.idfTotal > 0 {
            var m = 0.0, t = 0.0
            for s in 0..<slots {
                if matched & (1 << UInt64(s)) != 0 {
                    m += data.slotIdf[s] * (scattered & (1 << UInt64(s)) != 0 ? w.scatteredCredit : 1)
                }
                if inTitle & (1 << UInt64(s)) != 0 { t += data.slotIdf[s] }
            }
            coverage = m / data.idfTotal
            titleCoverage = t / data.idfTotal
        }
        score += w.titleCoverage * titleCoverage * titleCoverage

        // One walk in position order: adjacent pairs, and the lead as one phrase.
        // Instances come sorted by (column, offset); colocated forms share an offset.
        @inline(__always) func slotOf(_ j: Int) -> (slot: Int, preferred: Bool)? {
            let p = Int(phrases[j])
            guard p < phraseCount else { return nil }
            let g = data.phraseGroup[p]
            guard g >= 0 else { return nil }
            let role = data.groupRole[g]
            guard role == RankQueryData.roleBase || role == RankQueryData.roleRestored else { return nil }
            let s = data.groupSlot[g]
            return (s, role == RankQueryData.roleRestored || data.restoredGroup[s] < 0)
        }
        let lead = data.lead
        let span = lead > 0 ? data.shift[lead - 1] : 0
        let all: UInt64 = lead >= 64 ? ~0 : (1 << UInt64(lead)) - 1
        var leadInTitle = false, leadAnywhere = false
        for j in 0..<count {
            guard let (s, preferred) = slotOf(j) else { continue }
            let position = Double(Int64(columns[j]) << 32 | Int64(offsets[j]))  // exact below 2^53
            let k0 = j + 1
            // Pairs: an instance of slot s+1 right after this one.
            let pairIndex = data.pairOfSlot.isEmpty ? -1 : data.pairOfSlot[s]
            if pairIndex >= 0 {
                var k = k0
                while k < count && columns[k] == columns[j] && offsets[k] <= offsets[j] + 1 {
                    if offsets[k] == offsets[j] + 1, let (t, preferredNext) = slotOf(k), t == s + 1 {
                        let weight = columns[j] == 0 ? w.title : w.body
                        if lastAny[pairIndex] != position { pairAny[pairIndex] += weight; lastAny[pairIndex] = position }
                        if preferred && preferredNext && lastPreferred[pairIndex] != position {
                            pairPreferred[pairIndex] += weight
                            lastPreferred[pairIndex] = position
                        }
                    }
                    k += 1
                }
            }
            // The lead as one phrase, from an instance of slot 0.
            if lead > 0 && s == 0 && !(leadInTitle || (leadAnywhere && columns[j] != 0)) {
                var found: UInt64 = 1
                var k = k0
                while k < count && columns[k] == columns[j] && offsets[k] <= offsets[j] + span {
                    if let (t, _) = slotOf(k), t < lead, offsets[k] == offsets[j] + data.shift[t] { found |= 1 << UInt64(t) }
                    k += 1
                }
                if found & all == all {
                    leadAnywhere = true
                    if columns[j] == 0 { leadInTitle = true }
                }
            }
        }
        score += w.proximity * proximity(data, count, phrases, columns, offsets, saturate)
        var strong = coverage >= 1
        for (k, pair) in data.pairs.enumerated() {
            score += pair.weight * data.pairIdf[k] * (saturate(pairAny[k]) + w.restored * saturate(pairPreferred[k]))
        }
        if strong {
            for unit in data.units {
                for s in unit.first..<unit.last where data.pairOfSlot[s] >= 0 && pairAny[data.pairOfSlot[s]] == 0 {
                    strong = false
                }
            }
        }
        score += (leadInTitle ? w.titlePhrase : 0) + (leadAnywhere ? w.phrase : 0)
        if coverage < 1 && (data.soft || scattered != 0) { score *= pow(coverage, w.softExponent) }
        return (score, strong, leadAnywhere)

    }
}

/// The proximity term of one row (see `Ranking.proximityWeight`): for each two query words,
/// the sum of 1/d² over their instances within the window (d: tokens between the end of one
/// and the start of the other, plus one; title instances weighted as title tf is), saturated
/// like a term frequency and weighted by the rarer word's IDF.
@inline(__always)
private func proximity(_ data: RankQueryData, _ count: Int, _ phrases: UnsafeMutablePointer<Int32>,
                       _ columns: UnsafeMutablePointer<Int32>, _ offsets: UnsafeMutablePointer<Int32>,
                       _ saturate: (Double) -> Double) -> Double {
    let words = data.proximityWords
    let w = data.weights
    // At most 16 words: the pair table stays small enough for the stack, per row.
    guard w.proximity > 0, words >= 2, words <= 16 else { return 0 }
    @inline(__always) func wordOf(_ j: Int) -> Int {
        let p = Int(phrases[j])
        guard p < data.phraseGroup.count else { return -1 }
        let g = data.phraseGroup[p]
        return g >= 0 ? data.groupWord[g] : -1
    }
    return withUnsafeTemporaryAllocation(of: Double.self, capacity: words * words) { buffer in
        let together = buffer.baseAddress!
        together.initialize(repeating: 0, count: words * words)
        // Colocated instances (a word as typed and as restored share a position) count once:
        // `seenHere` holds the words met at the current position of j, `seenThere` at k's.
        var here: (Int32, Int32) = (-1, -1), seenHere: UInt64 = 0
        for j in 0..<count {
            let a = wordOf(j)
            guard a >= 0 else { continue }
            if (columns[j], offsets[j]) != here { here = (columns[j], offsets[j]); seenHere = 0 }
            guard seenHere & (1 << UInt64(a)) == 0 else { continue }
            seenHere |= 1 << UInt64(a)
            let g = data.phraseGroup[Int(phrases[j])]
            let end = offsets[j] + data.groupTokens[g] - 1
            let weight = columns[j] == 0 ? w.title : w.body
            var there: Int32 = -1, seenThere: UInt64 = 0
            var k = j + 1
            while k < count && columns[k] == columns[j] && offsets[k] <= end + w.proximityWindow {
                if offsets[k] != there { there = offsets[k]; seenThere = 0 }
                let b = wordOf(k)
                if b >= 0 && b != a && offsets[k] > end && seenThere & (1 << UInt64(b)) == 0 {
                    seenThere |= 1 << UInt64(b)
                    let d = Double(offsets[k] - end)
                    together[min(a, b) * words + max(a, b)] += weight / (d * d)
                }
                k += 1
            }
        }
        var total = 0.0
        for a in 0..<words {
            for b in (a + 1)..<words where together[a * words + b] > 0 {
                total += min(data.wordIdf[a], data.wordIdf[b]) * saturate(together[a * words + b])
            }
        }
        return total
    }
}

/// One row's phrase instances, in (column, offset, phrase) order: the order xInst gives.
///
/// Gathered with xPhraseFirst/xPhraseNext, one phrase at a time, then sorted, instead of
/// xInstCount/xInst: FTS5 builds its instance array by picking, for each instance, the least
/// position among all the query's phrases (fts5CacheInstArray), a cost of instances × phrases
/// per row. A folded query has two phrases a syllable (as typed and as restored) and more for
/// its words: on "6 da co gia ban tai" (8,904 rows) that pick was a quarter of the search.
/// Ties (colocated forms of one position) sort by phrase number, as FTS5 orders them.
private final class PhraseInstances {
    private(set) var phrases: UnsafeMutablePointer<Int32>
    private(set) var columns: UnsafeMutablePointer<Int32>
    private(set) var offsets: UnsafeMutablePointer<Int32>
    private var keys: UnsafeMutablePointer<UInt64>
    private var capacity: Int

    init() {
        capacity = 256
        keys = .allocate(capacity: capacity)
        phrases = .allocate(capacity: capacity)
        columns = .allocate(capacity: capacity)
        offsets = .allocate(capacity: capacity)
    }

    deinit {
        keys.deallocate(); phrases.deallocate(); columns.deallocate(); offsets.deallocate()
    }

    /// Doubles the buffers, keeping the keys gathered so far (the rest is written after).
    private func grow() {
        let larger = capacity * 2
        let moved = UnsafeMutablePointer<UInt64>.allocate(capacity: larger)
        moved.moveInitialize(from: keys, count: capacity)
        keys.deallocate()
        keys = moved
        phrases.deallocate(); phrases = .allocate(capacity: larger)
        columns.deallocate(); columns = .allocate(capacity: larger)
        offsets.deallocate(); offsets = .allocate(capacity: larger)
        capacity = larger
    }

    /// Reads the current row's instances; their count, or nil when FTS5 fails.
    func gather(_ api: UnsafePointer<Fts5ExtensionApi>, _ fts: OpaquePointer, phraseCount: Int) -> Int? {
        // A key: column (16 bits), offset (32), phrase (16); FTS5 columns and phrases are
        // far fewer than 2^16, and an offset of 2^32 tokens would be a 20 GB text.
        guard phraseCount < 1 << 16 else { return nil }
        var count = 0
        var iterator = Fts5PhraseIter()
        var column: Int32 = 0, offset: Int32 = 0
        for p in 0..<phraseCount {
            guard api.pointee.xPhraseFirst(fts, Int32(p), &iterator, &column, &offset) == SQLITE_OK else { return nil }
            while column >= 0 {
                if count == capacity { grow() }
                keys[count] = UInt64(UInt16(truncatingIfNeeded: column)) << 48
                    | UInt64(UInt32(bitPattern: offset)) << 16 | UInt64(p)
                count += 1
                api.pointee.xPhraseNext(fts, &iterator, &column, &offset)
            }
        }
        // One sorted run per phrase: the standard library's sort finds and merges runs (it
        // measured faster here than a heap merge of the runs).
        var sorted = UnsafeMutableBufferPointer(start: keys, count: count)
        sorted.sort()
        for j in 0..<count {
            let key = keys[j]
            columns[j] = Int32(key >> 48)
            offsets[j] = Int32(truncatingIfNeeded: (key >> 16) & 0xFFFF_FFFF)
            phrases[j] = Int32(key & 0xFFFF)
        }
        return count
    }
}
