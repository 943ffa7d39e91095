import DocumentModel
import Archive
import CSQLite
import Extraction
import Foundation
import SearchIndex

/// VanBan: one archive and the index built from it. The only type the command line and the
/// HTTP server talk to (they import VanBanKit and nothing below it).
///
/// - Import: every path in (files, directories, stdin, JSON Lines, uploads) goes through
///   `importDocuments`, which archives each batch durably and then indexes it.
/// - Search: many threads at once, each on a pooled read-only connection (`ReaderPool`), with
///   an optional result cache valid for one index state (`ResultCache`).
/// - Writing the index: one read-write connection under `writerLock`, for imports, catch-up
///   with the manifest and nothing else.
/// - Reading documents, verify, stats and reindex read the archive directly.
///
/// Opening is cheap: the manifest is read on first use and caught up incrementally; the index
/// is opened on first use too.
public final class Library: @unchecked Sendable {
    /// How a long-running front end (the server) wants searches served. The defaults suit a
    /// command that runs one search and exits.
    public struct Configuration: Sendable {
        /// Results kept by the result cache (0 disables it).
        public var cacheEntries = 0
        /// Estimated bytes the result cache may hold.
        public var cacheBytes = 32 << 20
        /// Idle reader connections kept for reuse.
        public var maxIdleReaders = ProcessInfo.processInfo.activeProcessorCount
        /// How often (at most) a search checks whether `reindex` swapped in a new generation.
        public var staleCheckInterval: Duration = .milliseconds(250)
        /// What one search may spend before it fails with "query too broad" (`SearchBudget`):
        /// 250 ms, or VANBAN_SEARCH_BUDGET_MS milliseconds (0: no limit).
        public var searchBudget = Library.environmentSearchBudget
        /// Told what the library did on its own that the user should hear about (an index
        /// rebuilt because it belonged to another archive, repairs). Default: nothing.
        public var notice: (@Sendable (String) -> Void)?
        public init() {}
    }

    public let archiveURL: URL
    public let indexURL: URL
    let store: ObjectStore
    /// Results too slow to derive again at every reindex (OCR), beside the objects.
    let derived: DerivedStore
    let manifest: Manifest
    /// Automatic packing (Library+Packing.swift): the loose objects counted once, then kept up
    /// to date by imports; the crash tests' pause points.
    let packLock = NSLock()
    var looseEstimate: Int?
    let packPause = PackPausePoint()
    private let importLock = NSLock()
    let readers: ReaderPool
    private let cache: ResultCache?
    private let writerLock = NSLock()
    private var writer: IndexConnection?
    /// Guards `timer` and `schemaChecked`.
    private let timerLock = NSLock()
    private var timer: DispatchSourceTimer?
    private var schemaChecked = false
    private let filterValuesCache = FilterValuesCache()
    /// The synonym list searches use (the bundled one plus the archive's `synonyms.txt`).
    let synonyms: ArchiveSynonyms
    let searchBudget: SearchBudget
    /// See `Configuration.notice`.
    let notice: @Sendable (String) -> Void

    /// Where the index of the archive at `archive` lives when none is named: `archive/.index`,
    /// inside the archive it belongs to, so that two archives never share an index by default.
    public static func defaultIndexURL(archive: URL) -> URL {
        archive.standardizedFileURL.appendingPathComponent(".index")
    }

    /// Opens the archive at `archive`. With `create`, makes the directory when missing;
    /// otherwise a missing archive is an error.
    public init(archive: URL, index: URL, create: Bool = false, configuration: Configuration = Configuration()) throws {
        archiveURL = archive.standardizedFileURL
        indexURL = index.standardizedFileURL
        store = ObjectStore(archive: archiveURL)
        derived = DerivedStore(archive: archiveURL)
        manifest = Manifest(archive: archiveURL)
        searchBudget = configuration.searchBudget
        notice = configuration.notice ?? { _ in }
        synonyms = ArchiveSynonyms(archive: archiveURL, notice: notice)
        readers = ReaderPool(directory: indexURL, maxIdle: configuration.maxIdleReaders,
                             staleCheckInterval: configuration.staleCheckInterval)
        cache = configuration.cacheEntries > 0 && configuration.cacheBytes > 0
            ? ResultCache(maxEntries: configuration.cacheEntries, maxBytes: configuration.cacheBytes) : nil
        var isDir: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: archiveURL.path, isDirectory: &isDir)
        if exists && !isDir.boolValue {
            throw LibraryError(.noArchive, "\(archiveURL.path): not a directory")
        }
        if create {
            try store.createDirectories()
        } else if !exists {
            throw LibraryError(.noArchive, "no archive at \(archiveURL.path) (import documents first, or pass --archive DIR)")
        }
    }

    deinit { timer?.cancel() }

    /// Caps the memory SQLite uses in this process (page caches of every connection together):
    /// beyond it, SQLite reuses cache pages instead of allocating more. The database files
    /// stay in the operating system's cache, so a smaller SQLite cache costs little.
    public static func limitSQLiteMemory(bytes: Int) {
        sqlite3_soft_heap_limit64(Int64(bytes))
    }

    // MARK: Import

    /// Imports documents: see `Importer`. `report` is called once per input document, in
    /// input order, after its fate is durable. Unless `options.indexing` is off, each durable
    /// batch is indexed at once; when the index cannot be written the import still goes ahead
    /// (a warning says so) and the index catches up on its next use. `indexProgress` reports
    /// the catch-up that may run first. Throws only for usage errors and failures that stop
    /// everything (e.g. the archive cannot be written); per-document problems are results.
    @discardableResult
    public func importDocuments(_ inputs: [ImportInput], options: ImportOptions = ImportOptions(),
                                report: (ImportResult) -> Void = { _ in },
                                progress: ((ImportProgress) -> Void)? = nil,
                                indexProgress: ((IndexProgress) -> Void)? = nil) throws -> ImportSummary {
        guard options.indexing else {
            return try importDocuments(inputs, options: options, observer: nil, report: report, progress: progress)
        }
        try ensureCurrentSchema(progress: indexProgress)
        return try writerLock.withLock {
            var warning: String?
            var observer: ImportObserver?
            do {
                let index = try openWriter()
                try catchUp(index, progress: indexProgress)
                observer = IndexingObserver(library: self, index: index)
            } catch {
                writer = nil
                warning = "not indexing now (\(error)); the index catches up on its next use"
            }
            var summary = try importDocuments(inputs, options: options, observer: observer, report: report, progress: progress)
            if let warning { summary.warnings.insert(warning, at: 0) }
            return summary
        }
    }

    /// The pipeline with the caller's own observer of durable batches (tests; the index uses
    /// `IndexingObserver`).
    func importDocuments(_ inputs: [ImportInput], options: ImportOptions, observer: ImportObserver?,
                         report: (ImportResult) -> Void, progress: ((ImportProgress) -> Void)? = nil) throws -> ImportSummary {
        try importLock.withLock {
            try withoutActuallyEscaping(report) { report in
                try Importer(library: self, options: options, observer: observer, progress: progress, report: report).run(inputs)
            }
        }
    }

    // MARK: Search

    /// Runs `request` on a pooled reader connection, from the result cache when it holds the
    /// answer for the index as it is now. Throws `QueryError` for a query the user has to
    /// change; anything else is a problem of this side (its message is for logs).
    public func search(_ request: SearchRequest) throws -> SearchResults {
        let (synonyms, version) = synonyms.table()
        return try Self.rejectingUnrunnable { try readers.withReader { index in
            guard let cache else { return try index.search(request, budget: searchBudget, synonyms: synonyms) }
            let started = ContinuousClock.now
            let state = IndexState(generation: index.generation, appliedSequence: try index.appliedSequence())
            let key = ResultCache.Key(request, synonyms: version)
            if var hit = cache.get(key, state: state) {
                hit.tookMilliseconds = Self.milliseconds(since: started)  // what this answer took: the lookup
                return hit
            }
            let results = try index.search(request, budget: searchBudget, synonyms: synonyms)
            cache.put(key, results, state: state)
            return results
        } }
    }

    /// The cached results for `request`, when the cache holds them for the index as it is
    /// now; nil otherwise (then run `search`). Cheap: one small read on a pooled connection.
    public func cachedResults(_ request: SearchRequest) throws -> SearchResults? {
        guard let cache else { return nil }
        let version = synonyms.table().version
        return try readers.withReader { index in
            let started = ContinuousClock.now
            let state = IndexState(generation: index.generation, appliedSequence: try index.appliedSequence())
            guard var hit = cache.get(ResultCache.Key(request, synonyms: version), state: state, countMiss: false) else { return nil }
            hit.tookMilliseconds = Self.milliseconds(since: started)
            return hit
        }
    }

    /// How `query` is read against the index as it is now (restored accents, phrases,
    /// synonyms), without running it. Throws `QueryError` for a query that cannot run. Whether
    /// the soft fallback is taken depends on the matches, so `softMatch` is always false here.
    public func readQuery(_ query: String, strict: Bool = false) throws -> QueryReading {
        let synonyms = synonyms.table().table
        return try readers.withReader { try $0.readQuery(query, strict: strict, synonyms: synonyms) }
    }

    /// Runs `request` with other ranking constants (never cached; for tuning).
    public func search(_ request: SearchRequest, ranking: Ranking) throws -> SearchResults {
        let synonyms = synonyms.table().table
        return try Self.rejectingUnrunnable { try readers.withReader { try $0.search(request, ranking: ranking, synonyms: synonyms) } }
    }

    /// SQLITE_ERROR from a search means the query became an expression FTS5 rejects: a parser
    /// bug to fix, but the user gets a query error in plain words, never SQLite's.
    private static func rejectingUnrunnable<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as SQLiteError where error.code & 0xFF == 1 {
            throw QueryError("this query cannot be run; try other words")
        }
    }

    /// Results served from the cache, and searches run, since the start.
    public var cacheCounters: (hits: Int, misses: Int, entries: Int) { cache?.counters ?? (0, 0, 0) }

    /// Reader connections in the pool now: idle ones, and lent out.
    public var readerPoolState: (idle: Int, busy: Int) { readers.state }

    /// Drops every idle reader connection (e.g. before the index directory is removed).
    public func closeIdleReaders() { readers.closeIdle() }

    static func milliseconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
    }

    // MARK: Keeping the index up to date

    /// Opens the index (creating it when missing) and applies what the manifest has beyond it.
    /// With `waitForWriters: false` (searches), an import writing the index right now is not
    /// waited for: the index is searched as it is, and the importer brings it up to date.
    public func prepareIndex(waitForWriters: Bool = true, progress: ((IndexProgress) -> Void)? = nil) throws {
        try ensureCurrentSchema(progress: progress)
        do {
            _ = try withWriter { try catchUp($0, wait: waitForWriters, progress: progress) }
        } catch let error as SQLiteError where error.isBusy && !waitForWriters {
            // Someone else is writing: search what is there.
        }
    }

    /// Applies manifest records the index has not seen (imports by other processes).
    /// Returns how many documents were applied.
    @discardableResult
    public func catchUp() throws -> Int {
        try withWriter { try catchUp($0) }
    }

    /// Catches up every `interval` on a background queue until `stopCatchingUp()`.
    /// Errors are passed to `onError` (e.g. a log) and retried at the next tick.
    public func startCatchingUp(every interval: Duration, onError: @escaping @Sendable (Error) -> Void = { _ in }) {
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "vanban.catch-up", qos: .utility))
        let ms = Int(interval.components.seconds * 1000 + interval.components.attoseconds / 1_000_000_000_000_000)
        timer.schedule(deadline: .now() + .milliseconds(ms), repeating: .milliseconds(max(ms, 10)))
        timer.setEventHandler { [weak self] in
            guard let self else { return }
            do { try self.catchUp() } catch { onError(error) }
        }
        timerLock.withLock {
            self.timer?.cancel()
            self.timer = timer
        }
        timer.resume()
    }

    public func stopCatchingUp() {
        timerLock.withLock {
            timer?.cancel()
            timer = nil
        }
    }

    /// Rebuilds an index that is not this archive's cache as it is (another schema, another
    /// archive, ahead of the manifest: see `makeIndexBelong`). Checked once per `Library` (an
    /// upload does not reopen the index to ask again).
    private func ensureCurrentSchema(progress: ((IndexProgress) -> Void)?) throws {
        guard !timerLock.withLock({ schemaChecked }) else { return }
        try makeIndexBelong(progress: progress)
        timerLock.withLock { schemaChecked = true }
    }

    /// Runs `body` with the read-write connection, one caller at a time.
    func withWriter<T>(_ body: (IndexConnection) throws -> T) throws -> T {
        try writerLock.withLock {
            let index = try openWriter()
            do {
                return try body(index)
            } catch {
                if !(error is QueryError) && !(error is LibraryError) { writer = nil }
                throw error
            }
        }
    }

    /// The read-write connection, reopened when a rebuild replaced its generation. Called
    /// with `writerLock` held.
    private func openWriter() throws -> IndexConnection {
        if let writer, !writer.isStale { return writer }
        writer = nil
        let index = try IndexConnection(directory: indexURL)
        writer = index
        return index
    }

    // MARK: State

    /// The sources and kinds the current documents have, for filter choices.
    public func filterValues() throws -> FilterValues {
        try filterValuesCache.values(for: manifest)
    }

    /// Where the index stands relative to the archive.
    public struct Status: Sendable {
        /// The manifest's last sequence number.
        public var manifestSequence: Int
        /// The last sequence the index applied.
        public var appliedSequence: Int
        /// Documents in the index.
        public var documents: Int
        /// The index generation searched.
        public var generation: String
        public var lag: Int { max(0, manifestSequence - appliedSequence) }
        public var caughtUp: Bool { lag == 0 }
    }

    public func status() throws -> Status {
        let manifestSequence = try lastSeq()
        return try readers.withReader { index in
            Status(manifestSequence: manifestSequence, appliedSequence: try index.appliedSequence(),
                   documents: try index.documentCount(), generation: index.generation)
        }
    }
}

/// Errors of the facade that are not about one imported document (those are `ImportFailure`s).
public struct LibraryError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable { case usage, notFound, ambiguous, noArchive, corrupt, io }
    public var kind: Kind
    public var message: String
    public init(_ kind: Kind, _ message: String) { self.kind = kind; self.message = message }
    public var description: String { message }
}
