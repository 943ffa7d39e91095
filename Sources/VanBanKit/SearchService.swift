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
public final class SearchService: @unchecked Sendable {
    public let library: Library
    /// Idle reader connections kept for reuse.
    public let maxIdleReaders: Int

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
    public init(library: Library, maxIdleReaders: Int = ProcessInfo.processInfo.activeProcessorCount * 2,
                staleCheckInterval: Duration = .milliseconds(250),
                progress: ((IndexProgress) -> Void)? = nil) throws {
        self.library = library
        self.maxIdleReaders = max(1, maxIdleReaders)
        self.staleCheckInterval = staleCheckInterval
        let index = try library.openIndex(progress: progress)
        writer = index
    }

    deinit { timer?.cancel() }

    // MARK: Searching

    /// Runs `request` on a pooled reader connection. Throws `QueryError` for a query the
    /// user has to change; anything else is a server-side problem (its message is for logs).
    public func search(_ request: SearchRequest, ranking: Ranking = Ranking()) throws -> SearchResults {
        try withReader { try $0.search(request, ranking: ranking) }
    }

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
