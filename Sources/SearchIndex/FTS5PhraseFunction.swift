import CSQLite

// vb_phrase(fts, n): an FTS5 auxiliary function telling, for the current row, whether the
// query's first n phrases (its positive words, in order) occur one right after another:
//   bit 0 (1): in the title column;   bit 1 (2): in some column.
// Ranking uses it to put documents holding the query as a phrase first, especially in the
// title. Computing it inside the one ranking pass replaces two more MATCH queries, which
// would each read the same posting lists again.

enum FTS5PhraseFunction {
    static let name = "vb_phrase"

    static func register(_ api: UnsafeMutablePointer<fts5_api>, on connection: Connection) throws {
        let rc = api.pointee.xCreateFunction(api, name, nil, phraseFunction, nil)
        try connection.check(rc)
    }
}

private let phraseFunction: @convention(c) (
    UnsafePointer<Fts5ExtensionApi>?, OpaquePointer?, OpaquePointer?, Int32,
    UnsafeMutablePointer<OpaquePointer?>?
) -> Void = { api, fts, context, argc, argv in
    guard let api, let fts, let context else { return }
    var n = Int(api.pointee.xPhraseCount(fts))
    if argc >= 1, let argv, let value = argv[0] { n = min(n, Int(sqlite3_value_int(value))) }
    guard n >= 1 && n <= 64 else { sqlite3_result_int(context, 0); return }

    // The row's phrase instances, in position order (FTS5 merges them so; bm25 has already
    // made it build and cache this array for the row).
    var count: Int32 = 0
    guard api.pointee.xInstCount(fts, &count) == SQLITE_OK, count > 0 else {
        sqlite3_result_int(context, 0); return
    }
    // shift[i]: how many tokens phrase i starts after phrase 0 when the query is a phrase.
    var shift = [Int32](repeating: 0, count: n)
    for i in 1..<max(n, 1) where i < n {
        shift[i] = shift[i - 1] + api.pointee.xPhraseSize(fts, Int32(i - 1))
    }
    let all: UInt64 = n == 64 ? ~0 : (1 << UInt64(n)) - 1
    let flags: Int32 = withUnsafeTemporaryAllocation(of: Int32.self, capacity: 3 * Int(count)) { buffer in
        let phrases = buffer.baseAddress!
        let columns = phrases + Int(count)
        let offsets = columns + Int(count)
        for j in 0..<Int(count) {
            _ = api.pointee.xInst(fts, Int32(j), phrases + j, columns + j, offsets + j)
        }
        var flags: Int32 = 0
        let span = shift[n - 1]
        for j in 0..<Int(count) where phrases[j] == 0 {
            // Phrase i must sit exactly shift[i] tokens after this instance, in its column.
            var found: UInt64 = 1
            var k = j + 1
            while k < Int(count) && columns[k] == columns[j] && offsets[k] <= offsets[j] + span {
                let phrase = Int(phrases[k])
                if phrase < n && offsets[k] == offsets[j] + shift[phrase] { found |= 1 << UInt64(phrase) }
                k += 1
            }
            if found == all {
                flags |= 2
                if columns[j] == 0 { flags |= 1; break }  // the title is column 0
            }
        }
        return flags
    }
    sqlite3_result_int(context, flags)
}
