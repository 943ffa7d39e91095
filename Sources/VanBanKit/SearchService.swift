import CSQLite
import Foundation

/// A thread-safe search facade over one index directory, for servers: many threads search at
/// once, each on its own reader connection, while imports write through one writer connection.
///
/// - Readers: a small pool of `SearchIndex` connections. A search borrows an idle one (or opens
///   a new one when all are busy) and returns it afterwards; at most `maxIdleReaders` are kept.
///   In WAL mode readers never wait for the writer: they see the last committed state.
/// - After `vanban reindex` swaps in a new generation, connections of the old one are dropped
///   when they come back to the pool, and new ones open on the new generation.
/// - The writer: one read-write `SearchIndex`, used under a lock, for catch-up with the
///   manifest and for indexing uploads (`withWriter`).
/// - Results: a bounded LRU cache of recent results, keyed by the whole request and valid only
///   for the index state they were computed on (generation and applied sequence, read on the
///   reader connection before each search): a search never returns something an uncached
///   search would not, including after imports by other processes.
public final class SearchService: @unchecked Sendable {
    public let library: Library
    /// Idle reader connections kept for reuse.
    public let maxIdleReaders: Int
    /// The result cache (nil when disabled).
    private let cache: ResultCache?

    private let lock = NSLock()
    /// Idle readers with the epoch they were opened in.
    private var idle: [(index: SearchIndex, epoch: Int)] = []
    /// Readers currently lent out (for stats and tests).
    private var busy = 0
    /// Incremented when a newer generation is seen: readers of older epochs are not reused.
    private var epoch = 0
    private var lastStaleCheck = ContinuousClock.now
    /// How often (at most) the generation pointer is read to detect a reindex.
    private let staleCheckInterval: Duration

    private let writerLock = NSLock()
    private var writer: SearchIndex?

    private var timer: DispatchSourceTimer?

    /// Opens the index beside `library` (creating it if needed) and catches up with the
    /// manifest before returning, so the first search sees every imported document.
    /// `cacheEntries` results are kept (0 disables the cache), within `cacheBytes` (estimated).
    public init(library: Library, maxIdleReaders: Int = ProcessInfo.processInfo.activeProcessorCount,
                staleCheckInterval: Duration = .milliseconds(250),
                cacheEntries: Int = 4096, cacheBytes: Int = 32 << 20,
                progress: ((IndexProgress) -> Void)? = nil) throws {
        self.library = library
        self.maxIdleReaders = max(1, maxIdleReaders)
        cache = cacheEntries > 0 && cacheBytes > 0 ? ResultCache(maxEntries: cacheEntries, maxBytes: cacheBytes) : nil
        self.staleCheckInterval = staleCheckInterval
        let index = try library.openIndex(progress: progress)
        writer = index
    }

    deinit { timer?.cancel() }

    /// Caps the memory SQLite uses in this process (page caches of every connection together):
    /// beyond it, SQLite reuses cache pages instead of allocating more. The database files
    /// stay in the operating system's cache, so a smaller SQLite cache costs little.
    public static func limitSQLiteMemory(bytes: Int) {
        sqlite3_soft_heap_limit64(Int64(bytes))
    }

    // MARK: Searching

    /// Runs `request` on a pooled reader connection. Throws `QueryError` for a query the
    /// user has to change; anything else is a server-side problem (its message is for logs).
    public func search(_ request: SearchRequest) throws -> SearchResults {
        try withReader { index in
            guard let cache else { return try index.search(request) }
            let started = ContinuousClock.now
            let state = IndexState(generation: index.generation, appliedSequence: try index.appliedSequence())
            let key = ResultCache.Key(request)
            if var hit = cache.get(key, state: state) {
                // The time reported is what this answer took: the lookup.
                let elapsed = ContinuousClock.now - started
                hit.tookMilliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
                return hit
            }
            let results = try index.search(request)
            cache.put(key, results, state: state)
            return results
        }
    }

    /// The cached results for `request`, when the cache holds them for the index as it is
    /// now; nil otherwise (then run `search`). Cheap: one small read on a pooled connection.
    public func cachedResults(_ request: SearchRequest) throws -> SearchResults? {
        guard let cache else { return nil }
        return try withReader { index in
            let started = ContinuousClock.now
            let state = IndexState(generation: index.generation, appliedSequence: try index.appliedSequence())
            guard var hit = cache.get(ResultCache.Key(request), state: state, countMiss: false) else { return nil }
            let elapsed = ContinuousClock.now - started
            hit.tookMilliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
            return hit
        }
    }

    /// Runs `request` with other ranking constants (never cached).
    public func search(_ request: SearchRequest, ranking: Ranking) throws -> SearchResults {
        try withReader { try $0.search(request, ranking: ranking) }
    }

    /// Results served from the cache, and searches run, since the start.
    public var cacheCounters: (hits: Int, misses: Int, entries: Int) { cache?.counters ?? (0, 0, 0) }

    /// Lends a reader connection to `body` (one thread at a time per connection).
    public func withReader<T>(_ body: (SearchIndex) throws -> T) throws -> T {
        let (index, readerEpoch) = try borrow()
        var keep = true
        defer { giveBack(index, epoch: readerEpoch, keep: keep) }
        do {
            return try body(index)
        } catch let error as QueryError {
            throw error
        } catch {
            // A connection that failed for another reason (I/O, corruption) is not reused.
            keep = false
            throw error
        }
    }

    private func borrow() throws -> (SearchIndex, Int) {
        lock.lock()
        checkGeneration()
        let currentEpoch = epoch
        busy += 1
        if let reader = idle.popLast() {
            lock.unlock()
            return (reader.index, reader.epoch)
        }
        lock.unlock()
        do {
            return (try openReader(), currentEpoch)
        } catch {
            lock.withLock { busy -= 1 }
            throw error
        }
    }

    private func giveBack(_ index: SearchIndex, epoch readerEpoch: Int, keep: Bool) {
        lock.lock()
        busy -= 1
        if keep && readerEpoch == epoch && idle.count < maxIdleReaders {
            idle.append((index, readerEpoch))
        }
        lock.unlock()
        // A connection not kept closes when the caller's last reference goes (outside the lock).
    }

    /// Reads the generation pointer at most every `staleCheckInterval`; when a rebuild swapped
    /// in a new generation, idle readers are dropped and busy ones are not taken back. Called
    /// with `lock` held.
    private func checkGeneration() {
        guard let sample = idle.last?.index else { return }
        let now = ContinuousClock.now
        guard now - lastStaleCheck >= staleCheckInterval else { return }
        lastStaleCheck = now
        if sample.isStale {
            epoch += 1
            idle.removeAll()
        }
    }

    /// Reader connections are read-only: a bug in a search can never write the index.
    private func openReader() throws -> SearchIndex {
        do {
            return try SearchIndex(directory: library.indexURL, readOnly: true)
        } catch {
            // A read-only connection cannot open a WAL database whose -shm file is missing
            // (e.g. no writer has it open); a read-write one can.
            return try SearchIndex(directory: library.indexURL, readOnly: false)
        }
    }

    /// Drops every idle reader (e.g. before tests remove the index).
    public func closeIdleReaders() {
        lock.withLock { idle.removeAll() }
    }

    /// Connections in the pool now: idle ones, and lent out.
    public var poolState: (idle: Int, busy: Int) { lock.withLock { (idle.count, busy) } }

    // MARK: Writing

    /// Runs `body` with the read-write connection, one caller at a time. The connection is
    /// reopened when a rebuild replaced its generation.
    public func withWriter<T>(_ body: (SearchIndex) throws -> T) throws -> T {
        try writerLock.withLock {
            if writer == nil || writer!.isStale {
                writer = nil
                writer = try SearchIndex(directory: library.indexURL)
            }
            do {
                return try body(writer!)
            } catch {
                if !(error is QueryError) && !(error is LibraryError) { writer = nil }
                throw error
            }
        }
    }

    /// Imports through the library's pipeline, indexing each durable batch with the writer.
    /// The archive is written even if the index cannot be (it catches up later).
    @discardableResult
    public func importDocuments(_ inputs: [ImportInput], options: ImportOptions = ImportOptions(),
                                report: (ImportResult) -> Void = { _ in }) throws -> ImportSummary {
        try withWriter { index in
            try library.importDocuments(inputs, options: options, observer: library.indexingObserver(index), report: report)
        }
    }

    /// Applies manifest records the index has not seen (imports by other processes).
    /// Returns how many documents were applied.
    @discardableResult
    public func catchUp() throws -> Int {
        try withWriter { try library.catchUp($0) }
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
        lock.withLock {
            self.timer?.cancel()
            self.timer = timer
        }
        timer.resume()
    }

    public func stopCatchingUp() {
        lock.withLock {
            timer?.cancel()
            timer = nil
        }
    }

    // MARK: State

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
        let manifestSequence = try library.manifest.refresh().lastSeq
        return try withReader { index in
            Status(manifestSequence: manifestSequence, appliedSequence: try index.appliedSequence(),
                   documents: try index.documentCount(), generation: index.generation)
        }
    }
}

/// What a cached result is valid for.
struct IndexState: Equatable {
    var generation: String
    var appliedSequence: Int
}

/// A bounded least-recently-used map from search requests to results.
final class ResultCache: @unchecked Sendable {
    struct Key: Hashable {
        var query: String
        var limit: Int
        var offset: Int
        var sources: [String]
        var kinds: [String]
        var from: String?
        var to: String?
        var sort: String

        init(_ r: SearchRequest) {
            query = r.query; limit = r.limit; offset = r.offset
            sources = r.filters.sources; kinds = r.filters.kinds; from = r.filters.from; to = r.filters.to
            sort = r.sort.rawValue
        }
    }

    private struct Entry {
        var results: SearchResults
        var bytes: Int
        var lastUse: UInt64
    }

    private let lock = NSLock()
    private var entries: [Key: Entry] = [:]
    private var state: IndexState?
    private var bytes = 0
    private var clock: UInt64 = 0
    private var hits = 0
    private var misses = 0
    let maxEntries: Int
    let maxBytes: Int

    init(maxEntries: Int, maxBytes: Int) {
        self.maxEntries = maxEntries
        self.maxBytes = maxBytes
    }

    var counters: (hits: Int, misses: Int, entries: Int) { lock.withLock { (hits, misses, entries.count) } }

    func get(_ key: Key, state current: IndexState, countMiss: Bool = true) -> SearchResults? {
        lock.withLock {
            if state != current {
                // The index changed: nothing cached is known to be right any more.
                entries.removeAll(keepingCapacity: true)
                bytes = 0
                state = current
            }
            clock += 1
            guard var entry = entries[key] else {
                if countMiss { misses += 1 }
                return nil
            }
            hits += 1
            entry.lastUse = clock
            entries[key] = entry
            return entry.results
        }
    }

    func put(_ key: Key, _ results: SearchResults, state computedOn: IndexState) {
        let size = Self.estimatedSize(key, results)
        guard size <= maxBytes / 16 else { return }  // huge pages (limit=1000) are not worth keeping
        lock.withLock {
            guard state == computedOn else { return }
            clock += 1
            if let old = entries[key] { bytes -= old.bytes }
            entries[key] = Entry(results: results, bytes: size, lastUse: clock)
            bytes += size
            if entries.count > maxEntries || bytes > maxBytes { evict() }
        }
    }

    /// Drops the least recently used quarter (amortised: one sort per many inserts).
    private func evict() {
        let ordered = entries.sorted { $0.value.lastUse < $1.value.lastUse }
        var removed = 0
        for (key, entry) in ordered {
            if removed >= max(1, ordered.count / 4) && entries.count <= maxEntries && bytes <= maxBytes * 3 / 4 { break }
            entries[key] = nil
            bytes -= entry.bytes
            removed += 1
        }
    }

    static func estimatedSize(_ key: Key, _ r: SearchResults) -> Int {
        var size = 256 + key.query.utf8.count + r.query.utf8.count
        for hit in r.hits {
            size += 200 + hit.id.utf8.count + (hit.key?.utf8.count ?? 0) + (hit.title?.utf8.count ?? 0)
                + (hit.source?.utf8.count ?? 0) + (hit.kind?.utf8.count ?? 0) + (hit.url?.utf8.count ?? 0)
                + hit.snippet.text.utf8.count + hit.snippet.highlights.count * 16
        }
        return size
    }
}
