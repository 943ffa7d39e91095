import CSQLite
import Foundation

// Rebuilding the index from scratch (`vanban reindex`) into a new generation, then swapping
// the pointer. The new database is written without a journal (a crash leaves an unreferenced
// file that the next rebuild deletes), then switched to WAL and synced before it is
// published. Searches keep using the old generation until the swap.

extension IndexConnection {
    /// Builds a new generation: `fill` receives a writer and applies every document (in one
    /// transaction); then the generation records `appliedThrough` and the id of the archive it
    /// was built from, and replaces the current one. Returns the new generation's file name.
    @discardableResult
    public static func rebuild(in directory: URL, appliedThrough seq: Int, archiveID: String? = nil,
                               fill: (IndexWriter) throws -> Void) throws -> String {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let lock = try RebuildLock(directory)
        defer { lock.release() }

        let name = "vanban-\(nextGenerationNumber(in: directory)).sqlite"
        let path = directory.appendingPathComponent(name).path
        let suffixes = ["", "-wal", "-shm", "-journal", ".words"]
        for suffix in suffixes { unlink(path + suffix) }
        do {
            let connection = try Connection(path: path)
            try FTS5Tokenizer.register(on: connection)
            connection.wordCollector.counts = WordCounts(path: WordCounts.path(forDatabase: path), writable: true)
            // auto_vacuum must be chosen before the first table: it lets the pages freed by
            // merging segments be given back to the file system after 'optimize'.
            try connection.execute("PRAGMA page_size=\(pageSize)")
            try connection.execute("PRAGMA auto_vacuum=INCREMENTAL")
            try connection.execute("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-200000")
            try createSchema(on: connection)
            // Little merging while filling: one 'optimize' at the end merges everything once.
            // automerge 0 and crisismerge 200 (default 4 and 16) each measured about 10% faster
            // on the shared corpus; 200, not "never", keeps a huge rebuild under FTS5's limit
            // on segments.
            try connection.execute("INSERT INTO fts(fts, rank) VALUES('automerge', 0)")
            try connection.execute("INSERT INTO fts(fts, rank) VALUES('crisismerge', 200)")
            try connection.transaction {
                let writer = IndexWriter(connection: connection)
                try fill(writer)
                try writer.finish()
                try writer.setAppliedSequence(seq)
                if let archiveID { try writer.setArchiveID(archiveID) }
            }
            // Merge FTS5's segments into one b-tree: smaller, and faster to query. Then the
            // default merge settings again, for the incremental writes of later imports.
            try connection.execute("INSERT INTO fts(fts) VALUES('optimize')")
            try connection.execute("PRAGMA incremental_vacuum")
            try connection.execute("INSERT INTO fts(fts, rank) VALUES('automerge', 4)")
            try connection.execute("INSERT INTO fts(fts, rank) VALUES('crisismerge', 16)")
            try connection.execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL")
            try connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        } catch {
            for suffix in suffixes { unlink(path + suffix) }
            throw error
        }
        let database = open(path, O_RDONLY)
        if database >= 0 { fsync(database); close(database) }

        try writePointer(name, in: directory, replace: true)
        removeGenerations(in: directory, except: name)
        return name
    }

    static func nextGenerationNumber(in directory: URL) -> Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        let numbers = names.compactMap { name -> Int? in
            guard name.hasPrefix("vanban-"), name.hasSuffix(".sqlite") else { return nil }
            return Int(name.dropFirst("vanban-".count).dropLast(".sqlite".count))
        }
        return (numbers.max() ?? 0) + 1
    }

    /// Deletes every generation's files but `keep`. Readers that still have an old
    /// generation open keep reading it through their open file descriptors.
    static func removeGenerations(in directory: URL, except keep: String) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        for name in names where name.hasPrefix("vanban-") && !name.hasPrefix(keep) {
            unlink(directory.appendingPathComponent(name).path)
        }
    }
}

/// One rebuild at a time per index directory (flock: released if the process dies).
struct RebuildLock {
    let fd: Int32

    init(_ directory: URL) throws {
        let path = directory.appendingPathComponent("reindex.lock").path
        fd = open(path, O_RDWR | O_CREAT, 0o644)
        guard fd >= 0 else { throw IndexError("cannot open \(path): \(String(cString: strerror(errno)))") }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            close(fd)
            throw IndexError("another reindex is running on \(directory.path)")
        }
    }

    func release() {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
