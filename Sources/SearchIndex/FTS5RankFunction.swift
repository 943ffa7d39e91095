import CSQLite
import Foundation

// vb_rank(fts, n, titleWeight, bodyWeight, titleBonus, phraseBonus, phrases): VanBan's score
// for one matching row, higher is better (FTS5 passes the arguments after `fts` as argv[0...]):
//
//   BM25 (k1 = 1.2, b = 0.75, the formula of FTS5's bm25(), column weights applied to term
//   frequencies) + titleBonus if the query's first n phrases occur as one phrase in the
//   title + phraseBonus if they occur as one phrase in any column.
//
// Why not bm25() + a phrase function: both walk the row's phrase instances, and bm25() also
// asks FTS5 for each row's length (a b-tree lookup in %_docsize) and counts, for every query,
// the rows holding each phrase (a scan of its posting list). vb_rank walks the instances once,
// reads row lengths from memory when `RankStatistics` has them, and keeps document
// frequencies across queries, keyed by the phrase literals passed in `phrases` (joined with
// U+0001, in FTS5's phrase order), until the index changes.

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
    private(set) var version = -1

    deinit { lengths?.deallocate() }

    /// Forgets everything gathered at another data version.
    func validate(version: Int) {
        guard version != self.version else { return }
        lengths?.deallocate()
        lengths = nil
        frequencies.removeAll()
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
    let idf: [Double]
    let averageLength: Double
    /// shift[i]: how many tokens phrase i starts after phrase 0 when the query's first n
    /// phrases occur as one phrase.
    let shift: [Int32]
    init(idf: [Double], averageLength: Double, shift: [Int32]) {
        self.idf = idf
        self.averageLength = averageLength
        self.shift = shift
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
    guard let api, let fts, let context, let argv, argc >= 6 else {
        if let context { sqlite3_result_error(context, "vb_rank: wrong arguments", -1) }
        return
    }
    let phraseCount = Int(api.pointee.xPhraseCount(fts))
    let n = min(Int(sqlite3_value_int(argv[0])), phraseCount, 64)
    let weights = (sqlite3_value_double(argv[1]), sqlite3_value_double(argv[2]))
    let titleBonus = sqlite3_value_double(argv[3])
    let phraseBonus = sqlite3_value_double(argv[4])

    let statistics = api.pointee.xUserData(fts).map { Unmanaged<RankStatistics>.fromOpaque($0).takeUnretainedValue() }

    // Per-query data: each phrase's IDF and the average row length, computed on the first row.
    let data: RankQueryData
    if let existing = api.pointee.xGetAuxdata(fts, 0) {
        data = Unmanaged<RankQueryData>.fromOpaque(existing).takeUnretainedValue()
    } else {
        var rows: Int64 = 0, tokens: Int64 = 0
        _ = api.pointee.xRowCount(fts, &rows)
        _ = api.pointee.xColumnTotalSize(fts, -1, &tokens)
        let literals = sqlite3_value_text(argv[5]).map { String(cString: $0) }?
            .split(separator: "\u{1}", omittingEmptySubsequences: false).map(String.init) ?? []
        var idf = [Double](repeating: 1e-6, count: phraseCount)
        for i in 0..<phraseCount {
            let key = i < literals.count ? literals[i] : nil
            var frequency = key.flatMap { statistics?.frequencies[$0] }
            if frequency == nil {
                var hits = 0
                let rc = withUnsafeMutablePointer(to: &hits) { pointer in
                    api.pointee.xQueryPhrase(fts, Int32(i), pointer, countRow)
                }
                guard rc == SQLITE_OK else {
                    sqlite3_result_error_code(context, rc)
                    return
                }
                frequency = hits
                if let key { statistics?.frequencies[key] = hits }
            }
            let n = Double(frequency ?? 0)
            let value = log((Double(rows) - n + 0.5) / (n + 0.5))
            idf[i] = value > 0 ? value : 1e-6
        }
        var shift = [Int32](repeating: 0, count: max(n, 1))
        if n > 1 {
            for i in 1..<n { shift[i] = shift[i - 1] + api.pointee.xPhraseSize(fts, Int32(i - 1)) }
        }
        let created = RankQueryData(idf: idf, averageLength: rows > 0 ? max(1, Double(tokens) / Double(rows)) : 1,
                                    shift: shift)
        let retained = Unmanaged.passRetained(created)
        if api.pointee.xSetAuxdata(fts, retained.toOpaque(), releaseQueryData) != SQLITE_OK {
            retained.release()
            sqlite3_result_error(context, "vb_rank: out of memory", -1)
            return
        }
        data = created
    }

    var count: Int32 = 0
    guard api.pointee.xInstCount(fts, &count) == SQLITE_OK else {
        sqlite3_result_error(context, "vb_rank: cannot read phrase instances", -1)
        return
    }
    var length: Int32 = 0
    if let known = statistics?.length(of: api.pointee.xRowid(fts)) {
        length = known
    } else {
        _ = api.pointee.xColumnSize(fts, -1, &length)
    }

    let shift = data.shift
    let all: UInt64 = n == 64 ? ~0 : (1 << UInt64(n)) - 1

    let score: Double = withUnsafeTemporaryAllocation(of: Int32.self, capacity: 3 * Int(count) + 1) { buffer in
        withUnsafeTemporaryAllocation(of: Double.self, capacity: phraseCount + 1) { frequencies in
            let phrases = buffer.baseAddress!
            let columns = phrases + Int(count)
            let offsets = columns + Int(count)
            let frequency = frequencies.baseAddress!
            frequency.initialize(repeating: 0, count: phraseCount + 1)
            for j in 0..<Int(count) {
                _ = api.pointee.xInst(fts, Int32(j), phrases + j, columns + j, offsets + j)
                let phrase = Int(phrases[j])
                if phrase < phraseCount { frequency[phrase] += columns[j] == 0 ? weights.0 : weights.1 }
            }

            // BM25 over every phrase of the expression.
            let k1 = 1.2, b = 0.75
            let norm = k1 * (1 - b + b * Double(length) / data.averageLength)
            var score = 0.0
            for i in 0..<phraseCount where frequency[i] > 0 {
                score += data.idf[i] * frequency[i] * (k1 + 1) / (frequency[i] + norm)
            }

            // The phrase test: instances come in position order, so phrase i's match for an
            // instance of phrase 0 lies a few entries further on, in the same column.
            guard n >= 1 else { return score }
            let span = shift[n - 1]
            var inTitle = false, anywhere = false
            for j in 0..<Int(count) where phrases[j] == 0 {
                var found: UInt64 = 1
                var k = j + 1
                while k < Int(count) && columns[k] == columns[j] && offsets[k] <= offsets[j] + span {
                    let phrase = Int(phrases[k])
                    if phrase < n && offsets[k] == offsets[j] + shift[phrase] { found |= 1 << UInt64(phrase) }
                    k += 1
                }
                if found == all {
                    anywhere = true
                    if columns[j] == 0 { inTitle = true; break }  // the title is column 0
                }
            }
            return score + (inTitle ? titleBonus : 0) + (anywhere ? phraseBonus : 0)
        }
    }
    sqlite3_result_double(context, score)
}
