import CSQLite
import Foundation

// vb_rank(fts, n, titleWeight, bodyWeight, titleBonus, phraseBonus, idfs): VanBan's score for
// one matching row, higher is better (FTS5 passes the arguments after `fts` as argv[0...]):
//
//   BM25 (k1 = 1.2, b = 0.75, the formula of FTS5's bm25(), column weights applied to term
//   frequencies) + titleBonus if the query's first n phrases occur as one phrase in the
//   title + phraseBonus if they occur as one phrase in any column.
//
// Why not bm25() + a phrase function: FTS5's bm25() counts, for every query, the rows holding
// each phrase (a full scan of each posting list) to get its IDF. VanBan passes the IDFs in
// ("idfs": one number per phrase, in expression order), computed from document frequencies
// it caches per index generation and data version. Both the frequencies and the phrase test
// come from one walk over the row's phrase instances.

enum FTS5RankFunction {
    static let name = "vb_rank"

    static func register(_ api: UnsafeMutablePointer<fts5_api>, on connection: Connection) throws {
        let lengths = Unmanaged.passUnretained(connection.documentLengths).toOpaque()
        try connection.check(api.pointee.xCreateFunction(api, name, lengths, rankFunction, nil))
    }
}

/// Every row's length in tokens, indexed by rowid, when loaded: the rank function then reads
/// a row's length here instead of asking FTS5, which costs a b-tree lookup in %_docsize per
/// row (a quarter of the ranking time on queries with thousands of matches). Owned by its
/// connection; loaded by `SearchIndex` for queries that match many rows.
final class DocumentLengths {
    private(set) var lengths: UnsafeMutableBufferPointer<Int32>?
    /// The data version the lengths were read at.
    private(set) var version = -1

    deinit { lengths?.deallocate() }

    func length(of rowid: Int64) -> Int32? {
        guard let lengths, rowid >= 0, rowid < lengths.count else { return nil }
        let length = lengths[Int(rowid)]
        return length >= 0 ? length : nil
    }

    /// Reads every row's total length from FTS5's %_docsize table (one varint per column).
    func load(from connection: Connection, version: Int) throws {
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
        self.version = version
    }

    func invalidate() {
        lengths?.deallocate()
        lengths = nil
        version = -1
    }
}

/// What stays the same for every row of one query: parsed once, kept as FTS5 auxdata.
private final class RankQueryData {
    var idf: [Double]
    var averageLength: Double
    init(idf: [Double], averageLength: Double) {
        self.idf = idf
        self.averageLength = averageLength
    }
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

    // Per-query data: IDFs from the argument, average row length from FTS5's totals.
    let data: RankQueryData
    if let existing = api.pointee.xGetAuxdata(fts, 0) {
        data = Unmanaged<RankQueryData>.fromOpaque(existing).takeUnretainedValue()
    } else {
        var idf = [Double](repeating: 1e-6, count: phraseCount)
        if let text = sqlite3_value_text(argv[5]) {
            let values = String(cString: text).split(separator: " ").compactMap { Double($0) }
            for (k, value) in values.prefix(phraseCount).enumerated() { idf[k] = value }
        }
        var rows: Int64 = 0, tokens: Int64 = 0
        _ = api.pointee.xRowCount(fts, &rows)
        _ = api.pointee.xColumnTotalSize(fts, -1, &tokens)
        let created = RankQueryData(idf: idf, averageLength: rows > 0 ? max(1, Double(tokens) / Double(rows)) : 1)
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
    let lengths = api.pointee.xUserData(fts).map { Unmanaged<DocumentLengths>.fromOpaque($0).takeUnretainedValue() }
    if let known = lengths?.length(of: api.pointee.xRowid(fts)) {
        length = known
    } else {
        _ = api.pointee.xColumnSize(fts, -1, &length)
    }

    // shift[i]: how many tokens phrase i starts after phrase 0 when the query is a phrase.
    var shift = [Int32](repeating: 0, count: max(n, 1))
    if n > 1 {
        for i in 1..<n { shift[i] = shift[i - 1] + api.pointee.xPhraseSize(fts, Int32(i - 1)) }
    }
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
