import DocumentModel
import Archive
import Foundation
import SearchIndex

/// Read-only connections to one index directory, lent to one thread at a time.
///
/// A search borrows an idle connection (or opens a new one when all are busy) and gives it
/// back afterwards; at most `maxIdle` are kept. In WAL mode readers never wait for the writer:
/// they see the last committed state. After a rebuild swaps in a new generation, connections of
/// the old one are dropped when they come back, and new ones open on the new generation.
final class ReaderPool: @unchecked Sendable {
    let directory: URL
    let maxIdle: Int
    /// How often (at most) the generation pointer is read to detect a reindex.
    private let staleCheckInterval: Duration

    private let lock = NSLock()
    /// Idle readers with the epoch they were opened in.
    private var idle: [(index: IndexConnection, epoch: Int)] = []
    /// Readers currently lent out.
    private var busy = 0
    /// Incremented when a newer generation is seen: readers of older epochs are not reused.
    private var epoch = 0
    private var lastStaleCheck = ContinuousClock.now

    init(directory: URL, maxIdle: Int, staleCheckInterval: Duration) {
        self.directory = directory
        self.maxIdle = max(1, maxIdle)
        self.staleCheckInterval = staleCheckInterval
    }

    /// Lends a connection to `body`. A connection that failed for a reason other than the
    /// query (I/O, corruption) is not reused.
    func withReader<T>(_ body: (IndexConnection) throws -> T) throws -> T {
        let (index, readerEpoch) = try borrow()
        var keep = true
        defer { giveBack(index, epoch: readerEpoch, keep: keep) }
        do {
            return try body(index)
        } catch let error as QueryError {
            throw error
        } catch {
            keep = false
            throw error
        }
    }

    /// Connections in the pool now: idle ones, and lent out.
    var state: (idle: Int, busy: Int) { lock.withLock { (idle.count, busy) } }

    /// Drops every idle connection (e.g. before the index directory is removed).
    func closeIdle() {
        lock.withLock { idle.removeAll() }
    }

    private func borrow() throws -> (IndexConnection, Int) {
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
            return (try open(), currentEpoch)
        } catch {
            lock.withLock { busy -= 1 }
            throw error
        }
    }

    private func giveBack(_ index: IndexConnection, epoch readerEpoch: Int, keep: Bool) {
        lock.lock()
        busy -= 1
        if keep && readerEpoch == epoch && idle.count < maxIdle {
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
    private func open() throws -> IndexConnection {
        do {
            return try IndexConnection(directory: directory, readOnly: true)
        } catch {
            // A read-only connection cannot open a WAL database whose -shm file is missing
            // (e.g. no writer has it open); a read-write one can.
            return try IndexConnection(directory: directory, readOnly: false)
        }
    }
}
