import CSQLite
import CSystemZlib

// The one copy of each document's indexed text that the index holds (table `texts`). The FTS5
// table is contentless: it keeps the inverted index only, so every text is stored here once,
// compressed, instead of once more in clear inside FTS5. It is read for snippets, and to
// remove a document's old version from FTS5 (a contentless table forgets a row only when told
// exactly which tokens it had, i.e. given the text it was inserted with).
//
// A body is cut into chunks of `chunkBytes` UTF-8 bytes, each deflated on its own, one row
// per chunk with rowid = document rowid << 16 | chunk number, so one document's chunks are
// adjacent in the b-tree and read in order by a rowid range. Why chunks: a snippet needs the
// start of a text (SnippetBuilder scans at most 256 KB, and usually stops in the first few),
// so a hit on a 1 MB law inflates 16 KB, not 1 MB (inflating runs at about 230 MB/s here: a
// whole chunk costs some 70 us per hit); and a 16 KB chunk compresses within a few percent of
// the whole text.
//
// Invariant relied on by `IndexWriter.apply`: for every row of `fts` there is exactly the text
// it was inserted with here, under the same rowid, until the row is deleted from `fts`.

/// A text as `TextStore` stores it: its chunks, deflated, and its length in UTF-8 bytes.
package struct StoredText: Sendable, Equatable {
    let chunks: [[UInt8]]
    let length: Int
}

enum TextStore {
    /// Uncompressed bytes per chunk (the last one may be shorter, never empty).
    static let chunkBytes = 16 * 1024
    /// Chunks a document may have: 2^16 of 16 KB = 1 GB, far above any import limit.
    static let maxChunks = 1 << 16
    /// zlib level: 6 is zlib's default, and within 2% of 9's size on the shared corpus.
    static let level: Int32 = 6

    static let createSQL = """
        CREATE TABLE IF NOT EXISTS texts(rowid INTEGER PRIMARY KEY, data BLOB NOT NULL);
        """

    /// Cuts `body` into chunks and deflates each: the work of storing a text, done on any
    /// thread (the importer does it on all cores, before the write transaction).
    static func compress(_ body: UnsafeBufferPointer<UInt8>) -> StoredText {
        let count = (body.count + chunkBytes - 1) / chunkBytes
        var chunks: [[UInt8]] = []
        chunks.reserveCapacity(count)
        var scratch = [UInt8](repeating: 0, count: Int(compressBound(uLong(chunkBytes))))
        for n in 0..<count {
            let chunk = UnsafeBufferPointer(rebasing: body[(n * chunkBytes)..<min(body.count, (n + 1) * chunkBytes)])
            var size = uLongf(scratch.count)
            let rc = scratch.withUnsafeMutableBufferPointer { out in
                compress2(out.baseAddress, &size, chunk.baseAddress, uLong(chunk.count), level)
            }
            // compress2 fails only without memory or with a buffer under compressBound.
            precondition(rc == Z_OK, "zlib compress2 failed (\(rc))")
            chunks.append(Array(scratch[0..<Int(size)]))
        }
        return StoredText(chunks: chunks, length: body.count)
    }

    /// Stores `text` as document `rowid`'s text. The row has none: a replaced version's text
    /// was removed with its tokens (`IndexWriter.forgetText`), so a new row costs no delete.
    static func write(_ text: StoredText, rowid: Int, on connection: Connection) throws {
        guard text.chunks.count <= maxChunks else {
            throw IndexError("the text of document row \(rowid) is too large to index (\(text.length) bytes)")
        }
        let insert = try connection.cached("INSERT INTO texts(rowid, data) VALUES (?1, ?2)")
        for (n, chunk) in text.chunks.enumerated() {
            insert.reset()  // `cached` reset it for the first chunk; each further one needs it too
            insert.bind(1, rowid << 16 | n)
            insert.bind(2, blob: chunk)
            try insert.run()
        }
        insert.reset()
    }

    static func delete(rowid: Int, on connection: Connection) throws {
        let delete = try connection.cached("DELETE FROM texts WHERE rowid BETWEEN ?1 AND ?2")
        delete.bind(1, rowid << 16)
        delete.bind(2, rowid << 16 | (maxChunks - 1))
        try delete.run()
    }

    /// Reads document `rowid`'s text from the start, inflating only as far as asked: a
    /// snippet usually needs the first kilobytes, and inflating costs about 4 us per KB here.
    /// A chunk's zlib stream stays open between calls, reading the blob in place (SQLite keeps
    /// a column's buffer valid while the statement stays on its row).
    final class Reader {
        private let statement: Statement
        private let rowid: Int
        /// Heap-allocated: zlib keeps a pointer back to the stream and checks it.
        private let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        private var streamReady = false
        private var inChunk = false
        private var chunkOutput = 0
        private(set) var isComplete = false
        /// The text read so far.
        private(set) var bytes: [UInt8] = []

        init(rowid: Int, on connection: Connection) throws {
            self.rowid = rowid
            statement = try connection.cached("SELECT data FROM texts WHERE rowid BETWEEN ?1 AND ?2 ORDER BY rowid")
            statement.bind(1, rowid << 16)
            statement.bind(2, rowid << 16 | (maxChunks - 1))
            stream.initialize(to: z_stream())
        }

        deinit {
            if streamReady { inflateEnd(stream) }
            stream.deinitialize(count: 1)
            stream.deallocate()
        }

        /// Inflates until `bytes` holds at least `count` bytes, or the whole text.
        func read(upTo count: Int) throws {
            while !isComplete && bytes.count < count {
                if !inChunk { try startChunk(); continue }
                // At least 1 KB, at most what is left of the chunk (at least 1 byte, so that a
                // chunk filled exactly still reaches its end).
                let room = min(max(count - bytes.count, 1024), max(chunkBytes - chunkOutput, 1))
                let start = bytes.count
                bytes.append(contentsOf: repeatElement(0, count: room))
                let rc = bytes.withUnsafeMutableBufferPointer { out -> Int32 in
                    stream.pointee.next_out = out.baseAddress! + start
                    stream.pointee.avail_out = uInt(room)
                    return inflate(stream, Z_NO_FLUSH)
                }
                let produced = room - Int(stream.pointee.avail_out)
                bytes.removeLast(room - produced)
                chunkOutput += produced
                if rc == Z_STREAM_END {
                    inChunk = false
                    // Only the last chunk is short; a text of whole chunks ends at the next step.
                    if chunkOutput < chunkBytes { finish() }
                } else if rc != Z_OK || (produced == 0 && stream.pointee.avail_in == 0) {
                    finish()
                    throw IndexError("the stored text of document row \(rowid) is damaged (zlib \(rc)); run vanban reindex")
                }
            }
        }

        /// Reads the rest of the text.
        func readAll() throws { try read(upTo: Int.max) }

        /// Lets go of the statement (a reader need not read to the end).
        func close() { finish() }

        private func startChunk() throws {
            guard try statement.step() else { finish(); return }
            let data = sqlite3_column_blob(statement.handle, 0)
            stream.pointee.next_in = UnsafeMutablePointer(mutating: data?.assumingMemoryBound(to: Bytef.self))
            stream.pointee.avail_in = uInt(sqlite3_column_bytes(statement.handle, 0))
            let rc = streamReady ? inflateReset(stream) : inflateInit_(stream, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
            guard rc == Z_OK else { finish(); throw IndexError("cannot read the stored text of document row \(rowid) (zlib \(rc))") }
            streamReady = true
            inChunk = true
            chunkOutput = 0
        }

        private func finish() {
            isComplete = true
            inChunk = false
            statement.reset()
        }
    }

    /// Document `rowid`'s whole text (empty when it has none).
    static func text(rowid: Int, on connection: Connection) throws -> [UInt8] {
        let reader = try Reader(rowid: rowid, on: connection)
        defer { reader.close() }
        try reader.readAll()
        return reader.bytes
    }
}
