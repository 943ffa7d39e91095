import CSQLite
import Foundation
import VietText

// VanBan's tokenizer inside FTS5 (the version-1 tokenizer API: SQLite 3.40 here).
//
// Documents: every token is emitted in its folded form ("hoa") and, when different, its
// canonical accented form ("hóa") at the same position (FTS5_TOKEN_COLOCATED). Both carry
// the byte range of the token in the ORIGINAL text, so highlight() and snippet() mark what
// the user stored.
// Queries: each query word is emitted in ONE form. A word typed with any diacritic (or đ)
// is emitted accented, so it matches only that accented word ("hóa" does not find "hòa");
// a word typed without diacritics is emitted folded, and matches every accented variant.
// Because accented forms always contain a non-ASCII letter and folded forms of Vietnamese
// never do, the two vocabularies cannot collide.

enum FTS5Tokenizer {
    static let name = "vanban"

    /// Registers the tokenizer (and the ranking function vb_rank) on `connection`. Must run
    /// on every connection that reads or writes the FTS table (FTS5 looks them up per connection).
    static func register(on connection: Connection) throws {
        var api: UnsafeMutablePointer<fts5_api>?
        try withUnsafeMutablePointer(to: &api) { pointer in
            let statement = try connection.prepare("SELECT fts5(?1)")
            // The type string must outlive the statement: a static string in the binary.
            let type: StaticString = "fts5_api_ptr"
            let typeName = UnsafeRawPointer(type.utf8Start).assumingMemoryBound(to: CChar.self)
            sqlite3_bind_pointer(statement.handle, 1, pointer, typeName, nil)
            try statement.step()
        }
        guard let api, api.pointee.iVersion >= 2 else {
            throw SQLiteError(code: SQLITE_ERROR, message: "this SQLite has no FTS5 (libsqlite3 built without it)")
        }
        var tokenizer = fts5_tokenizer(xCreate: create, xDelete: delete, xTokenize: tokenize)
        // The tokenizer's context is the connection's word collector (owned by the
        // connection, which outlives every FTS5 table it opens).
        let collector = Unmanaged.passUnretained(connection.wordCollector).toOpaque()
        let rc = api.pointee.xCreateTokenizer(api, name, collector, &tokenizer, nil)
        try connection.check(rc)
        try FTS5RankFunction.register(api, on: connection)
    }
}

/// The instance is the connection's `WordCollector` (the context given at registration);
/// FTS5 only needs it to be non-null, and the connection owns it, so delete does nothing.
private let create: @convention(c) (
    UnsafeMutableRawPointer?, UnsafeMutablePointer<UnsafePointer<CChar>?>?, Int32,
    UnsafeMutablePointer<OpaquePointer?>?
) -> Int32 = { context, _, _, out in
    guard let context else { return SQLITE_ERROR }
    out?.pointee = OpaquePointer(context)
    return SQLITE_OK
}

private let delete: @convention(c) (OpaquePointer?) -> Void = { _ in }

/// Stops the tokenizer when FTS5's callback returns an error; the error code is kept.
private struct StopTokenizing: Error { let code: Int32 }

private typealias TokenCallback = @convention(c) (
    UnsafeMutableRawPointer?, Int32, UnsafePointer<CChar>?, Int32, Int32, Int32
) -> Int32

private let tokenize: @convention(c) (
    OpaquePointer?, UnsafeMutableRawPointer?, Int32, UnsafePointer<CChar>?, Int32, TokenCallback?
) -> Int32 = { instance, context, flags, text, length, emit in
    guard let emit, let text, length > 0 else { return SQLITE_OK }
    let bytes = UnsafeBufferPointer(
        start: UnsafeRawPointer(text).assumingMemoryBound(to: UInt8.self), count: Int(length))
    let isQuery = flags & FTS5_TOKENIZE_QUERY != 0
    let collector = instance.map { Unmanaged<WordCollector>.fromOpaque(UnsafeRawPointer($0)).takeUnretainedValue() }
    let collecting = !isQuery && collector?.isCollecting == true
    if collecting { collector?.beginValue() }
    // The value is the body when its bytes are (FTS5 reads a nul-terminated copy of the bound
    // text, so the address differs; equal bytes sketch the same signature either way).
    let sketching = !isQuery && collector?.sketchTarget.map {
        $0.count == bytes.count && memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) == 0
    } == true
    // A local builder (taken out of the collector and put back): no access to a class's
    // property per token.
    var sketch = RepostSignature.Builder?.none
    if sketching { collector!.sketched = true; sketch = collector!.sketch; collector!.sketch = nil }
    defer { if sketching { collector!.sketch = sketch } }
    do {
        try Tokenizer.forEachToken(in: bytes) { token in
            if collecting { collector!.collect(token, in: bytes) }
            if sketching { sketch!.add(folded: token.folded) }
            let start = Int32(token.start), end = Int32(token.end)
            if isQuery {
                let form = token.hasDiacritics ? token.accented : token.folded
                try emitForm(emit, context, 0, form, start, end)
            } else {
                try emitForm(emit, context, 0, token.folded, start, end)
                if token.hasDiacritics {
                    try emitForm(emit, context, FTS5_TOKEN_COLOCATED, token.accented, start, end)
                }
            }
        }
    } catch let stop as StopTokenizing {
        return stop.code
    } catch {
        return SQLITE_ERROR
    }
    return SQLITE_OK
}

@inline(__always)
private func emitForm(
    _ emit: TokenCallback, _ context: UnsafeMutableRawPointer?, _ flags: Int32,
    _ form: UnsafeBufferPointer<UInt8>, _ start: Int32, _ end: Int32
) throws {
    let pointer = UnsafeRawPointer(form.baseAddress!).assumingMemoryBound(to: CChar.self)
    let rc = emit(context, flags, pointer, Int32(form.count), start, end)
    if rc != SQLITE_OK { throw StopTokenizing(code: rc) }
}
