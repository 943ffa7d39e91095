import CSQLite
import DocumentModel
import Foundation
import Platform

// The index (`IndexConnection`: one connection to it): one SQLite database per "generation" in the index directory, and a pointer file
// naming the current one.
//
//   index/current                 "vanban-3.sqlite\n" (replaced atomically by rename)
//   index/vanban-3.sqlite[-wal|-shm]
//
// A rebuild (`vanban reindex`) writes generation n+1 beside the current one and then swaps the
// pointer; searches that already opened generation n finish on it, new ones open n+1, and the
// old files are removed. Swapping a pointer instead of renaming database files over each other
// keeps every database's -wal and -shm files with the database they belong to.
//
// Inside a generation (WAL mode: one writer, many readers, readers never see half a batch):
//   documents(rowid, id, seq, key, hash, title, source, kind, date, url, ...)  one row per id,
//            the current version; source_folded/kind_folded hold the folded filter values
//   fts(title, body)  contentless FTS5 with the "vanban" tokenizer; rowid = documents.rowid
//   texts(rowid, data)  the indexed text, compressed in chunks (TextStore): the index's one copy
//   meta(key, value)  "applied_seq": the last manifest sequence applied, "schema": version
//   accent_forms(folded, accented)  every accented form of a folded syllable seen in the text
//   repost_bands(key, doc)  the LSH bands of the repost signatures (see RepostIndex)
//   vanban-3.sqlite.words  counts of syllables and adjacent pairs (`WordCounts`)

/// One document as the index stores it: the current version of an archive document.
package struct IndexDocument: Sendable, Equatable {
    package var id: String
    package var seq: Int
    package var hash: String
    package let body: String
    package var mediaType: String?
    package var size: Int
    package var importedAt: String?
    /// Indexed: the title (with the body, in FTS); stored: every field, one column each.
    package var metadata: DocumentMetadata
    /// The numbers the text cites, and how (rows of `citations`).
    package var citations: [IndexCitation]
    /// Its articles, for saying where a hit matched (see `Outline`).
    package var outline: Outline
    /// The near-duplicate fingerprint of the body (nil for a body too short to have one).
    package var repostSignature: RepostSignature?
    /// The writer computes `repostSignature` as it indexes the body (news: see RepostIndex).
    package var signsReposts = false
    /// The id of the first document of its group of reposts, set by the writer (see RepostIndex).
    package var repostGroup: String?
    /// The source whose page template `edgeLines` are counted against (folded), nil for a
    /// document that is not news or has no source (see SourceLines).
    package var lineSource: String?
    /// The lines of the body a page template could hold (Extraction's `ArticleCleaner.edgeLines`).
    package var edgeLines: [String] = []
    /// Their keys in `source_lines`, set by the writer.
    package var edgeKeys: [Int64] = []
    /// The body compressed for the index's text store, when `compressText` made it ahead of
    /// the write (the writer compresses it otherwise). `body` is a constant, so this is always
    /// the compression of this document's body.
    package private(set) var storedText: StoredText?

    /// Compresses the body for the text store now, so the write transaction does not.
    package mutating func compressText() {
        var body = self.body
        storedText = body.withUTF8 { TextStore.compress($0) }
    }

    package init(id: String, seq: Int, hash: String, body: String, mediaType: String? = nil, size: Int = 0,
                 importedAt: String? = nil, metadata: DocumentMetadata = DocumentMetadata(),
                 citations: [IndexCitation] = [], outline: Outline = Outline(), repostSignature: RepostSignature? = nil,
                 signsReposts: Bool = false) {
        self.id = id; self.seq = seq; self.hash = hash; self.body = body
        self.mediaType = mediaType; self.size = size; self.importedAt = importedAt; self.metadata = metadata
        self.citations = citations; self.outline = outline; self.repostSignature = repostSignature
        self.signsReposts = signsReposts
    }
}

/// One citation as the index keeps it: the cited number's key (which resolves to whichever
/// document has that number, now or when it arrives), how it is cited, where and in what words.
package struct IndexCitation: Sendable, Equatable {
    package var relation: String
    package var number: DocumentNumber
    package var scope: String?
    package var sentence: String
    package init(relation: String, number: DocumentNumber, scope: String?, sentence: String) {
        self.relation = relation; self.number = number; self.scope = scope; self.sentence = sentence
    }
}

/// A document's articles as byte ranges of its body, stored compactly in one column:
/// "start end label heading" per line.
package struct Outline: Sendable, Equatable {
    package struct Article: Sendable, Equatable {
        package var start: Int
        package var end: Int
        /// "Điều 8. Chế độ thông tin, báo cáo".
        package var title: String
        package init(start: Int, end: Int, title: String) { self.start = start; self.end = end; self.title = title }
    }
    package var articles: [Article] = []
    package init(articles: [Article] = []) { self.articles = articles }

    var encoded: String? {
        articles.isEmpty ? nil : articles.map { "\($0.start) \($0.end) \($0.title.replacingOccurrences(of: "\n", with: " "))" }.joined(separator: "\n")
    }

    init(encoded: String?) {
        guard let encoded else { return }
        for line in encoded.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 2)
            guard parts.count == 3, let s = Int(parts[0]), let e = Int(parts[1]) else { continue }
            articles.append(Article(start: s, end: e, title: String(parts[2])))
        }
    }

    /// The article holding byte `offset` of the body.
    package func article(containing offset: Int) -> Article? {
        articles.last { $0.start <= offset && offset < $0.end }
    }
}

/// The `documents` table's columns for `DocumentMetadata`: one per field, named as the field,
/// plus `<name>_folded` or `<name>_key` for the fields filters compare that way.
enum MetadataColumns {
    static let fields = DocumentMetadata.fields
    static let foldedFields = fields.filter { $0.index == .folded }
    static let numberFields = fields.filter { $0.index == .documentNumber }
    /// Every metadata column name, in the order `bind` binds them.
    static let names: [String] = fields.map(\.name) + foldedFields.map { "\($0.name)_folded" } + numberFields.map { "\($0.name)_key" }
    static let definitions: String = names.map { "\($0) TEXT" }.joined(separator: ",\n    ")

    /// Binds the columns of `names` from parameter `first` on.
    static func bind(_ metadata: DocumentMetadata, to statement: Statement, from first: Int32) {
        var k = first
        for f in fields { statement.bind(k, metadata[f]); k += 1 }
        for f in foldedFields { statement.bind(k, metadata[f].map(foldedFilterValue)); k += 1 }
        for f in numberFields { statement.bind(k, metadata[f].flatMap(DocumentNumber.parse)?.key); k += 1 }
    }

    /// Reads `fields` from consecutive result columns starting at `first`.
    static func read(_ statement: Statement, from first: Int32) -> DocumentMetadata {
        var metadata = DocumentMetadata()
        for (k, f) in fields.enumerated() { metadata[f] = statement.string(first + Int32(k)) }
        return metadata
    }
}

/// An error about the index files themselves (as opposed to a query).
package struct IndexError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// A connection to the current generation of an index directory. Not thread-safe: use one
/// per thread (the HTTP server keeps a pool).
package final class IndexConnection {
    /// Benchmarks only (`vanban-bench index --no-word-statistics`): index without gathering
    /// the query reader's word statistics, to measure what gathering them costs.
    package nonisolated(unsafe) static var gathersWordStatistics = true
    /// 2: derived official-text fields, the citations table, article outlines.
    /// 3: word statistics (`accent_forms`, the `.words` sketch) for reading queries.
    /// 4: the conversion fields (`encoding`, `case_may_be_lost`), the extraction fields `ocr`,
    ///    `ocr_confidence`, `ocr_pages`; news bodies without page chrome, `origin`, repost
    ///    groups (`repost_bands`, `repost_*`).
    /// 5: contentless FTS5, each text kept once compressed in `texts`.
    /// 6: repost signatures by one-permutation MinHash (old signatures are not comparable).
    /// 7: lines a source repeats on its pages (`source_lines`, `documents.edge_keys`).
    public static let schemaVersion = 7
    static let pointerName = "current"

    public let directory: URL
    public private(set) var generation: String
    let connection: Connection
    let readOnly: Bool

    /// Set once a query matched many rows: rank with in-memory row lengths from then on.
    var wantsDocumentLengths = false
    /// The repost groups as last read, with the data version they were read at (RepostIndex).
    var repostGroupCache: (version: Int, groups: RepostGroups)?

    /// Opens (and, unless `readOnly`, creates) the index in `directory`.
    public init(directory: URL, readOnly: Bool = false) throws {
        self.directory = directory
        self.readOnly = readOnly
        if !readOnly {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        }
        var name = Self.currentGeneration(in: directory)
        if name == nil {
            guard !readOnly else { throw IndexError("no index in \(directory.path)") }
            name = try Self.createFirstGeneration(in: directory)
        }
        generation = name!
        let path = directory.appendingPathComponent(generation).path
        connection = try Self.openConnection(path, readOnly: readOnly)
        if !readOnly { connection.wordCollector.counts = WordCounts(path: WordCounts.path(forDatabase: path), writable: true) }
    }

    /// The word statistics of this generation, or nil when it has none (see `WordCounts`).
    /// A writer reads its own writable mapping; readers share the process's one read-only
    /// mapping (`WordCounts.sharedReader`), taken on first use.
    var wordCounts: WordCounts? {
        if let counts = connection.wordCollector.counts { return counts }
        if !triedWordCounts {
            triedWordCounts = true
            readerWordCounts = WordCounts.sharedReader(path: WordCounts.path(forDatabase: databaseURL.path))
        }
        return readerWordCounts
    }
    private var readerWordCounts: WordCounts?
    private var triedWordCounts = false

    /// The database file of the current generation.
    public var databaseURL: URL { directory.appendingPathComponent(generation) }

    /// The schema version this generation was built with (see `schemaVersion`). An index of
    /// an older schema lacks columns the code relies on: it is rebuilt, never searched.
    public func storedSchemaVersion() throws -> Int {
        try connection.scalarInt("SELECT value FROM meta WHERE key = 'schema'") ?? 0
    }

    /// True when the index in `directory` exists and was built with an older (or newer)
    /// schema than this code's: the caller rebuilds it (`reindex`) before using it.
    public static func needsRebuild(in directory: URL) -> Bool {
        guard currentGeneration(in: directory) != nil,
              let index = try? IndexConnection(directory: directory, readOnly: true) else { return false }
        return (try? index.storedSchemaVersion()) != schemaVersion
    }

    /// True when a rebuild has swapped in a newer generation since this connection opened:
    /// the caller should open a new `IndexConnection`.
    public var isStale: Bool { Self.currentGeneration(in: directory) != generation }

    static func currentGeneration(in directory: URL) -> String? {
        let pointer = directory.appendingPathComponent(pointerName)
        guard let data = FileManager.default.contents(atPath: pointer.path),
              let name = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines),
              !name.isEmpty, !name.contains("/"),
              FileManager.default.fileExists(atPath: directory.appendingPathComponent(name).path)
        else { return nil }
        return name
    }

    /// 8 KB pages, not SQLite's 4 KB: a compressed news text (about 1.5 KB, see TextStore)
    /// leaves less of a page unused, and FTS5's 4 KB leaves fit whole. Measured on the shared
    /// corpus: 4% smaller (16 KB pages gained only 1% more).
    static let pageSize = 8192

    static func openConnection(_ path: String, readOnly: Bool) throws -> Connection {
        let connection = try Connection(path: path, readOnly: readOnly)
        try FTS5Tokenizer.register(on: connection)
        if !readOnly {
            // Takes effect only on a new, empty database (see `pageSize`).
            try connection.execute("PRAGMA page_size=\(pageSize)")
            try connection.execute("PRAGMA journal_mode=WAL")
            // The index is a cache of the archive: after a power loss it catches up from the
            // manifest, so it does not need a sync per transaction.
            try connection.execute("PRAGMA synchronous=NORMAL")
        }
        try connection.execute("PRAGMA cache_size=-32000")
        return connection
    }

    static func createSchema(on connection: Connection) throws {
        try connection.execute("""
            CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS documents(
                rowid INTEGER PRIMARY KEY,
                id TEXT NOT NULL UNIQUE,
                seq INTEGER NOT NULL,
                hash TEXT NOT NULL,
                media_type TEXT,
                size INTEGER NOT NULL DEFAULT 0,
                imported_at TEXT,
                outline TEXT,
                repost_signature BLOB,
                repost_group TEXT,
                edge_keys BLOB,
                \(MetadataColumns.definitions)
            );
            -- Locality-sensitive hashing of the repost signatures: one row per band of each
            -- document's signature; documents sharing a key are compared (RepostIndex).
            CREATE TABLE IF NOT EXISTS repost_bands(
                key INTEGER NOT NULL,
                doc INTEGER NOT NULL,
                PRIMARY KEY (key, doc)
            ) WITHOUT ROWID;
            -- How many documents of a source hold each candidate line of a page template
            -- (SourceLines); `rows` lists them while they are fewer than the threshold.
            CREATE TABLE IF NOT EXISTS source_lines(
                key INTEGER PRIMARY KEY,
                documents INTEGER NOT NULL,
                rows TEXT
            );
            CREATE INDEX IF NOT EXISTS documents_key ON documents(key);
            CREATE INDEX IF NOT EXISTS documents_date ON documents(date);
            CREATE INDEX IF NOT EXISTS documents_kind ON documents(kind_folded);
            CREATE INDEX IF NOT EXISTS documents_number ON documents(number_key);
            CREATE INDEX IF NOT EXISTS documents_type ON documents(type_folded);
            -- One row per number a document cites. `number_key` is not a reference to a row:
            -- it resolves to whichever document has that number, so an edge to a text not yet
            -- archived resolves when it arrives, without a reindex.
            CREATE TABLE IF NOT EXISTS citations(
                source INTEGER NOT NULL,
                relation TEXT NOT NULL,
                number_key TEXT NOT NULL,
                number TEXT NOT NULL,
                scope TEXT,
                sentence TEXT NOT NULL
            );
            CREATE INDEX IF NOT EXISTS citations_target ON citations(number_key, relation);
            CREATE INDEX IF NOT EXISTS citations_source ON citations(source);
            -- Contentless: the text is kept once, compressed, in `texts` (TextStore).
            CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(title, body, content='', tokenize='\(FTS5Tokenizer.name)');
            \(TextStore.createSQL)
            -- The accented forms of each folded syllable, as the tokenizer met them ("cat" ->
            -- "cát", "cắt", ...): the readings a query typed without accents can have.
            CREATE TABLE IF NOT EXISTS accent_forms(
                folded TEXT NOT NULL,
                accented TEXT NOT NULL,
                PRIMARY KEY (folded, accented)
            ) WITHOUT ROWID;
            INSERT OR IGNORE INTO meta(key, value) VALUES ('schema', \(schemaVersion)), ('applied_seq', 0);
            """)
    }

    /// Creates generation 1 and points `current` at it. Two processes racing here both try;
    /// the pointer is written with an exclusive create, so only one wins and both use it.
    static func createFirstGeneration(in directory: URL) throws -> String {
        let name = "vanban-1.sqlite"
        let connection = try openConnection(directory.appendingPathComponent(name).path, readOnly: false)
        try createSchema(on: connection)
        try writePointer(name, in: directory, replace: false)
        return currentGeneration(in: directory) ?? name
    }

    /// Atomically points `current` at `name` (see `AtomicFile`).
    static func writePointer(_ name: String, in directory: URL, replace: Bool) throws {
        let pointer = directory.appendingPathComponent(pointerName)
        if !replace && FileManager.default.fileExists(atPath: pointer.path) { return }
        do {
            try AtomicFile.write(Array((name + "\n").utf8), to: pointer.path)
        } catch {
            throw IndexError(error.message)
        }
    }

    // MARK: Reading state

    /// The last manifest sequence number this index has applied.
    public func appliedSequence() throws -> Int {
        try connection.scalarInt("SELECT value FROM meta WHERE key = 'applied_seq'") ?? 0
    }

    public func documentCount() throws -> Int {
        try connection.scalarInt("SELECT count(*) FROM documents") ?? 0
    }

    /// Size in bytes of the current generation's files (database + WAL).
    public func sizeOnDisk() -> Int {
        let base = databaseURL.path
        return [base, base + "-wal"].reduce(0) { total, path in
            let size = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
            return total + size
        }
    }

    // MARK: Writing

    /// Runs `body` in one write transaction: everything it applies becomes visible to
    /// readers at once, or not at all. Concurrent writers wait (busy timeout).
    ///
    /// With `wait: false` it gives up at once (throwing a busy `SQLiteError`) when another
    /// process is writing, instead of waiting up to the busy timeout.
    public func write<T>(wait: Bool = true, _ body: (IndexWriter) throws -> T) throws -> T {
        guard !readOnly else { throw IndexError("the index was opened read-only") }
        if !wait { sqlite3_busy_timeout(connection.handle, 0) }
        defer { if !wait { sqlite3_busy_timeout(connection.handle, Connection.busyTimeoutMilliseconds) } }
        do {
            return try connection.transaction {
                let writer = IndexWriter(connection: connection)
                let result = try body(writer)
                try writer.finish()
                return result
            }
        } catch {
            // The forms remembered in this transaction were rolled back with it.
            connection.wordCollector.forgetForms()
            throw error
        }
    }
}

/// Applies documents inside a `IndexConnection.write` transaction.
///
/// Why the metadata rows wait: every write statement on an ordinary table inside the
/// transaction opens a statement savepoint, and FTS5 answers a savepoint by flushing its
/// in-memory term hash to a new on-disk segment. Writing the `documents` row next to each
/// FTS row would flush (and later merge) one tiny segment per document: measured 2x slower
/// on the news corpus. So FTS rows are inserted as documents arrive, with rowids assigned
/// here, and the `documents` rows are written together when the writer finishes.
package final class IndexWriter {
    let connection: Connection
    /// Documents whose `documents` row is not written yet, by id.
    var pending: [String: (rowid: Int, document: IndexDocument)] = [:]
    private var nextRowid: Int?
    /// Repost state not written yet (RepostIndex): band keys of the pending documents, their
    /// ids by rowid, rowids replaced by a new version, groups begun by an earlier document.
    /// (A key's first pending rowid; the rare others, reposts within the batch, beside it:
    /// one array per key would be 16 allocations a document.)
    var pendingBands: [Int64: Int] = [:]
    var pendingBandsMore: [Int64: [Int]] = [:]
    var pendingIDs: [Int: String] = [:]
    var replacedRowids: Set<Int> = []
    var groupStarts: Set<String> = []
    /// The band keys that may be in `repost_bands` (BandKeyFilter), once a document is signed.
    var bandFilter: BandKeyFilter?
    /// Source-line counts this batch changed (SourceLines), written by `finish`.
    var lineCounts: [Int64: SourceLineCount] = [:]

    init(connection: Connection) {
        self.connection = connection
    }

    public func appliedSequence() throws -> Int {
        try connection.scalarInt("SELECT value FROM meta WHERE key = 'applied_seq'") ?? 0
    }

    public func setAppliedSequence(_ seq: Int) throws {
        let statement = try connection.cached("UPDATE meta SET value = ?1 WHERE key = 'applied_seq'")
        statement.bind(1, seq)
        try statement.run()
    }

    /// Makes `document` the indexed version of its id (replacing an older version).
    public func apply(_ document: IndexDocument) throws {
        var rowid: Int?
        var oldEdgeKeys: [Int64] = []
        if let waiting = pending[document.id] {
            if waiting.document.seq >= document.seq { return }
            rowid = waiting.rowid
            oldEdgeKeys = waiting.document.edgeKeys
        } else {
            let find = try connection.cached("SELECT rowid, seq, edge_keys FROM documents WHERE id = ?1")
            find.bind(1, document.id)
            if try find.step() {
                if find.int(1) >= document.seq { find.reset(); return }  // already has this version or a newer one
                rowid = find.int(0)
                oldEdgeKeys = SourceLines.decode(find.blob(2))
            }
            find.reset()
        }
        if let rowid {
            try forgetText(rowid: rowid, pendingTitle: pending[document.id].map { $0.document.metadata.title ?? "" })
            if pending[document.id] == nil { replacedRowids.insert(rowid) }
        } else {
            if nextRowid == nil {
                nextRowid = (try connection.scalarInt("SELECT coalesce(max(rowid), 0) FROM documents") ?? 0) + 1
            }
            rowid = nextRowid
            nextRowid! += 1
        }
        // Lines the source repeats on its pages are left out (and out of the earlier pages
        // holding a line that reaches the threshold now): before this insert's statement is
        // bound, as those pages are re-inserted with it.
        var body = document.body
        var storedText = document.storedText
        let leaveOut = try countSourceLines(document, rowid: rowid!, oldKeys: oldEdgeKeys)
        if !leaveOut.isEmpty, let cut = body.withUTF8({ SourceLines.cut($0, lines: leaveOut) }) {
            body = String(decoding: cut, as: UTF8.self)
            storedText = nil
        }
        let insert = try connection.cached("INSERT INTO fts(rowid, title, body) VALUES (?1, ?2, ?3)")
        insert.bind(1, rowid)
        insert.bind(2, document.metadata.title ?? "")
        let collector = connection.wordCollector
        if !collector.knownFormsLoaded { try loadKnownForms() }
        // The tokenizer counts the words of what is inserted, never of what a DELETE re-reads.
        collector.isCollecting = IndexConnection.gathersWordStatistics
        defer { collector.isCollecting = false }
        // The body is bound in place (no copy here, no strlen; FTS5 tokenizes a nul-terminated
        // copy SQLite makes): it outlives the statement's run.
        // Its repost signature is built as FTS5 tokenizes it (WordCollector.sketch).
        let signs = document.signsReposts && document.repostSignature == nil
        var sketched: RepostSignature??
        try body.withUTF8 { bytes in
            insert.bindStatic(3, utf8: bytes)
            if signs { collector.sketch = RepostSignature.Builder(); collector.sketchTarget = bytes; collector.sketched = false }
            defer { if signs { collector.sketchTarget = nil } }
            try insert.run()
            if signs, collector.sketched { sketched = .some(collector.sketch!.finish()) }
            collector.sketch = nil
            // Compressed ahead (`compressText`, on all cores) or, failing that, here.
            try TextStore.write(storedText ?? TextStore.compress(bytes), rowid: rowid!, on: connection)
        }
        insert.reset()
        var document = document
        if signs { document.repostSignature = sketched ?? RepostSignature(body: body) }
        if let source = document.lineSource { document.edgeKeys = document.edgeLines.map { SourceLines.key(source: source, line: $0) } }
        let bandKeys = document.repostSignature?.bandKeys ?? []
        document.repostGroup = try repostGroup(of: document, keys: bandKeys, rowid: rowid!)
        pending[document.id] = (rowid!, document)
        pendingIDs[rowid!] = document.id
        for key in bandKeys {
            if pendingBands[key] == nil { pendingBands[key] = rowid! } else { pendingBandsMore[key, default: []].append(rowid!) }
            bandFilter?.insert(key)
        }
        if pending.count >= 20_000 { try finish() }
    }

    /// Removes row `rowid`'s tokens from the contentless FTS5 table, by giving FTS5 the values
    /// it was inserted with: the title (the pending document's when it is still in this batch,
    /// else the stored row's) and the stored text. Values that differ by one byte would
    /// remove the wrong tokens and corrupt the index, hence `TextStore`'s invariant. Then removes
    /// the stored text too, so the new version is written into an empty place.
    func forgetText(rowid: Int, pendingTitle: String?) throws {
        var title = pendingTitle
        if title == nil {
            let find = try connection.cached("SELECT title FROM documents WHERE rowid = ?1")
            find.bind(1, rowid)
            title = try find.step() ? (find.string(0) ?? "") : ""
            find.reset()
        }
        let text = try TextStore.text(rowid: rowid, on: connection)
        try TextStore.delete(rowid: rowid, on: connection)
        let delete = try connection.cached("INSERT INTO fts(fts, rowid, title, body) VALUES ('delete', ?1, ?2, ?3)")
        delete.bind(1, rowid)
        delete.bind(2, title)
        try text.withUnsafeBufferPointer { bytes in
            delete.bindStatic(3, utf8: bytes)
            try delete.run()
        }
        delete.reset()
    }

    static let upsertSQL: String = {
        let columns = ["rowid", "id", "seq", "hash", "media_type", "size", "imported_at", "outline", "repost_signature", "repost_group", "edge_keys"] + MetadataColumns.names
        let updated = columns.dropFirst(2).map { "\($0) = excluded.\($0)" }
        return """
            INSERT INTO documents(\(columns.joined(separator: ", ")))
            VALUES (\((1...columns.count).map { "?\($0)" }.joined(separator: ", ")))
            ON CONFLICT(rowid) DO UPDATE SET \(updated.joined(separator: ", "))
            """
    }()

    private func loadKnownForms() throws {
        let statement = try connection.prepare("SELECT folded, accented FROM accent_forms")
        var forms: [(String, String)] = []
        while try statement.step() { forms.append((statement.string(0) ?? "", statement.string(1) ?? "")) }
        connection.wordCollector.loadKnownForms(forms)
    }

    /// Writes the waiting `documents` rows and the new accent forms. `IndexConnection.write`
    /// calls it before committing.
    func finish() throws {
        let collector = connection.wordCollector
        if !collector.newForms.isEmpty {
            let insert = try connection.cached("INSERT OR IGNORE INTO accent_forms(folded, accented) VALUES (?1, ?2)")
            for form in collector.newForms {
                insert.reset()
                insert.bind(1, form.folded)
                insert.bind(2, form.accented)
                try insert.run()
            }
            collector.newForms.removeAll(keepingCapacity: true)
        }
        try writeSourceLines()
        guard !pending.isEmpty else { return }
        try forgetReplacedBands()
        let upsert = try connection.cached(Self.upsertSQL)
        let forget = try connection.cached("DELETE FROM citations WHERE source = ?1")
        let cite = try connection.cached("INSERT INTO citations(source, relation, number_key, number, scope, sentence) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
        for (rowid, document) in pending.values.sorted(by: { $0.rowid < $1.rowid }) {
            upsert.reset()
            upsert.bind(1, rowid)
            upsert.bind(2, document.id)
            upsert.bind(3, document.seq)
            upsert.bind(4, document.hash)
            upsert.bind(5, document.mediaType)
            upsert.bind(6, document.size)
            upsert.bind(7, document.importedAt)
            upsert.bind(8, document.outline.encoded)
            upsert.bind(9, blob: document.repostSignature?.bytes)
            upsert.bind(10, document.repostGroup)
            upsert.bind(11, blob: SourceLines.encode(document.edgeKeys))
            MetadataColumns.bind(document.metadata, to: upsert, from: 12)
            try upsert.run()
            forget.reset()
            forget.bind(1, rowid)
            try forget.run()
            for c in document.citations {
                cite.reset()
                cite.bind(1, rowid)
                cite.bind(2, c.relation)
                cite.bind(3, c.number.key)
                cite.bind(4, c.number.text)
                cite.bind(5, c.scope)
                cite.bind(6, c.sentence)
                try cite.run()
            }
        }
        try writeRepostState()
        pending.removeAll(keepingCapacity: true)
    }
}
