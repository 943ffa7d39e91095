import DocumentModel
import Archive
import Foundation
import Platform
import SearchIndex


// Keeping the index in step with the archive.
//
// The archive is the source of truth; the index remembers the last manifest sequence it
// applied ("applied_seq"). Three paths bring it up to date, all in seq order and each in one
// write transaction, so readers see whole batches only:
//   - during `import`, `IndexingObserver` applies each batch once its manifest lines are durable;
//   - on opening, `catchUp` applies whatever the manifest has beyond applied_seq (a crash
//     between archive and index, an import that ran with the index busy, another process);
//   - `reindex` rebuilds everything into a new generation and swaps it in.
// If two importers race, whichever indexes first also applies the other's earlier records
// (read back from the archive), so applied_seq never skips a record.

/// Progress of a long index operation (catch-up or reindex).
public struct IndexProgress: Sendable {
    public var done: Int
    public var total: Int
    public var bytes: Int
}

public struct ReindexSummary: Sendable {
    public var documents: Int
    public var bytes: Int
    public var seconds: Double
    public var appliedSequence: Int
    public var indexBytes: Int
    public var generation: String
}


extension Library {
    /// How far the index is behind the manifest (0 when caught up).
    func indexLag(_ index: IndexConnection) throws -> Int {
        let last = try lastSeq()
        return max(0, last - (try index.appliedSequence()))
    }

    /// Applies every manifest record beyond the index's applied_seq. Returns how many
    /// documents were applied.
    @discardableResult
    func catchUp(_ index: IndexConnection, wait: Bool = true, progress: ((IndexProgress) -> Void)? = nil) throws -> Int {
        // Cheap check outside the write lock (reads only the manifest's tail): nothing to do
        // is the common case.
        let last = try lastSeq()
        if try index.appliedSequence() >= last { return 0 }
        return try index.write(wait: wait) { writer in
            try applyPending(writer, before: nil, progress: progress)
        }
    }

    /// Applies the manifest records after the writer's applied_seq (and before `limit`, when
    /// given), newest version per id only, and advances applied_seq over them.
    func applyPending(_ writer: IndexWriter, before limit: Int?, progress: ((IndexProgress) -> Void)? = nil) throws -> Int {
        let applied = try writer.appliedSequence()
        var pending = try records(after: applied)
        if let limit { pending = pending.filter { $0.seq < limit } }
        guard let lastSeq = pending.last?.seq else { return 0 }
        // Only the newest pending version of each id needs indexing.
        var newest: [String: Int] = [:]
        for record in pending { newest[record.id] = record.seq }
        let toApply = pending.filter { newest[$0.id] == $0.seq }
        var bytes = 0
        for (k, record) in toApply.enumerated() {
            let extracted = try extraction(of: record)
            try writer.apply(IndexDocument(record, text: extracted.text, extraction: extracted.derived,
                                           furnitureLines: extracted.furnitureLines))
            bytes += record.size
            progress?(IndexProgress(done: k + 1, total: toApply.count, bytes: bytes))
        }
        try writer.setAppliedSequence(lastSeq)
        return toApply.count
    }

    /// Rebuilds the index from the archive into a new generation and swaps it in; searches
    /// keep using the old one meanwhile. Reading and extracting objects runs on a second
    /// thread ahead of the index writer.
    public func reindex(progress: ((IndexProgress) -> Void)? = nil) throws -> ReindexSummary {
        let clock = ContinuousClock()
        let started = clock.now
        let state = try manifest.refresh()
        let records = state.currentRecords
        let lastSeq = state.lastSeq
        var bytes = 0
        let feed = DocumentFeed(library: self, records: records)
        defer { feed.cancel() }
        let name = try IndexConnection.rebuild(in: indexURL, appliedThrough: lastSeq, archiveID: archiveIdentity()) { writer in
            var done = 0
            while let document = try feed.next() {
                try writer.apply(document)
                done += 1
                bytes += document.body.utf8.count + (document.metadata.title?.utf8.count ?? 0)
                progress?(IndexProgress(done: done, total: records.count, bytes: bytes))
            }
        }
        // Records imported while the rebuild ran are applied now.
        let indexBytes = try withWriter { index in
            try catchUp(index)
            return index.sizeOnDisk()
        }
        let elapsed = clock.now - started
        return ReindexSummary(
            documents: records.count, bytes: bytes,
            seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
            appliedSequence: lastSeq, indexBytes: indexBytes, generation: name)
    }
}

/// Indexes each batch the importer made durable. A gap before the batch (records another
/// process appended) is filled from the archive first, so applied_seq stays contiguous.
final class IndexingObserver: ImportObserver {
    let library: Library
    let index: IndexConnection

    init(library: Library, index: IndexConnection) {
        self.library = library
        self.index = index
    }

    func archiveDidCommit(_ batch: [ImportedDocument]) throws {
        guard let first = batch.first?.record.seq, let last = batch.last?.record.seq else { return }
        // What the index stores of each document (official-text reading included) is made on
        // all cores before the write transaction, which then only writes.
        let documents = UnsafeSendable(UnsafeMutableBufferPointer<IndexDocument?>.allocate(capacity: batch.count))
        documents.value.initialize(repeating: nil)
        defer { documents.value.deinitialize(); documents.value.deallocate() }
        let order = batch.indices.sorted { batch[$0].text.utf8.count > batch[$1].text.utf8.count }
        parallelForEach(order) { k in
            documents.value[k] = IndexDocument(batch[k].record, text: batch[k].text, extraction: batch[k].derived,
                                               furnitureLines: batch[k].furnitureLines)
        }
        try index.write { writer in
            let applied = try writer.appliedSequence()
            if applied >= last { return }
            if applied + 1 < first {
                _ = try library.applyPending(writer, before: first)
            }
            for (k, document) in batch.enumerated() where document.record.seq > applied {
                try writer.apply(documents.value[k]!)
            }
            try writer.setAppliedSequence(last)
        }
    }
}

/// Reads and extracts documents on background threads, a bounded queue ahead of the consumer
/// (in manifest order): chunks of records are read, extracted and read as official texts on
/// all cores, then queued in order.
final class DocumentFeed: @unchecked Sendable {
    private let condition = NSCondition()
    private var queue: [Result<IndexDocument, Error>] = []
    private var finished = false
    private var cancelled = false
    private let capacity = 64

    init(library: Library, records: [ManifestRecord]) {
        let thread = Thread { [self] in
            var start = 0
            producing: while start < records.count {
                let chunk = Array(records[start..<min(records.count, start + 32)])
                start += chunk.count
                let items = UnsafeSendable(UnsafeMutableBufferPointer<Result<IndexDocument, Error>?>.allocate(capacity: chunk.count))
                items.value.initialize(repeating: nil)
                parallelForEach(count: chunk.count) { k in
                    items.value[k] = Result {
                        let extracted = try library.extraction(of: chunk[k])
                        return IndexDocument(chunk[k], text: extracted.text, extraction: extracted.derived,
                                             furnitureLines: extracted.furnitureLines)
                    }
                }
                for k in 0..<chunk.count {
                    condition.lock()
                    while queue.count >= capacity && !cancelled { condition.wait() }
                    if cancelled { condition.unlock(); items.value.deinitialize(); items.value.deallocate(); break producing }
                    queue.append(items.value[k]!)
                    condition.signal()
                    condition.unlock()
                }
                items.value.deinitialize()
                items.value.deallocate()
            }
            condition.lock()
            finished = true
            condition.signal()
            condition.unlock()
        }
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Stops the reading thread (the consumer gave up, e.g. on an error).
    func cancel() {
        condition.lock()
        cancelled = true
        queue.removeAll()
        condition.broadcast()
        condition.unlock()
    }

    /// The next document in manifest order, nil at the end; rethrows a read or extract error.
    func next() throws -> IndexDocument? {
        condition.lock()
        defer { condition.unlock() }
        while queue.isEmpty && !finished { condition.wait() }
        guard !queue.isEmpty else { return nil }
        let item = queue.removeFirst()
        condition.signal()
        return try item.get()
    }
}

// MARK: Seams for tests and tools

extension Library {
    /// A new read-write connection to the index, caught up with the manifest (for tests that
    /// look inside the index; the front ends go through `search` and `prepareIndex`).
    func openIndex(waitForWriters: Bool = true, progress: ((IndexProgress) -> Void)? = nil) throws -> IndexConnection {
        let index = try IndexConnection(directory: indexURL)
        do {
            try catchUp(index, wait: waitForWriters, progress: progress)
        } catch let error as SQLiteError where error.isBusy && !waitForWriters {
            // Someone else is writing: use what is there.
        }
        return index
    }

    /// An observer for `importDocuments(_:options:observer:report:)` that indexes each durable
    /// batch on `index`.
    func indexingObserver(_ index: IndexConnection) -> ImportObserver {
        IndexingObserver(library: self, index: index)
    }
}
