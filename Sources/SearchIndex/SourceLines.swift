// Lines a source repeats on its pages: a news site's template (a footer, a slogan, a menu
// label, a caption) that no phrase list names and no single page shows to be chrome. The news
// cleaner offers each article's candidate lines (short lines at the top and bottom of the page,
// bylines and credits excepted: Extraction's `ArticleCleaner.edgeLines`); the index counts, per
// source, how many documents hold each, and leaves a line out of every body of that source once
// `SourceLines.documents` of them do.
//
//   source_lines(key, documents, rows)   key: hash of (source, line) (`SourceLines.key`);
//                                        documents: how many current documents hold it;
//                                        rows: while below the threshold, their rowids
//   documents.edge_keys                  the keys of the document's candidate lines (BLOB of
//                                        little-endian Int64), so a replaced version is
//                                        uncounted
//
// Invariant: a body holds no line whose count has reached the threshold. The document that
// brings a line's count to the threshold has it left out as it is indexed, and so do the
// earlier ones (`rows`), whose indexed text is cut then (re-tokenized from the stored text).
// Counts only grow with the documents of a source, so an import in any order and `reindex`
// leave the same lines out of the same bodies. (A count that falls below the threshold again,
// when versions replace the pages that held it, leaves the bodies already cut as they are,
// until a `reindex`.)
// The word statistics keep what the first pages said (statistics, not matches); the repost
// signatures of those pages were made with the line (one short line among many).

package enum SourceLines {
    /// A line on this many documents of one source is its template's.
    package static let documents = 5
    /// A body loses at most half its bytes to template lines: a page that is mostly lines its
    /// source repeats is a repost of one article, not a template around an article.
    static let maxCutFraction = 0.5

    /// FNV-1a 64 of the folded source, a zero byte, and the line's bytes.
    package static func key(source: String, line: String) -> Int64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in source.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        h = (h ^ 0) &* 0x100_0000_01b3
        for b in line.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return Int64(bitPattern: h)
    }

    /// `body` without its lines whose trimmed bytes are one of `lines` (each with its line
    /// break), or nil when none is there or when they are more than `maxCutFraction` of it.
    static func cut(_ body: UnsafeBufferPointer<UInt8>, lines: Set<[UInt8]>) -> [UInt8]? {
        guard !lines.isEmpty else { return nil }
        var out: [UInt8] = []
        var removed = 0
        var start = 0
        let n = body.count
        out.reserveCapacity(n)
        while start < n {
            var end = start
            while end < n && body[end] != 0x0A { end += 1 }
            var a = start, z = end
            while a < z && (body[a] == 0x20 || body[a] == 0x09 || body[a] == 0x0D) { a += 1 }
            while z > a && (body[z - 1] == 0x20 || body[z - 1] == 0x09 || body[z - 1] == 0x0D) { z -= 1 }
            let next = end < n ? end + 1 : end
            if z > a, lines.contains(Array(body[a..<z])) {
                removed += next - start
            } else {
                out.append(contentsOf: body[start..<next])
            }
            start = next
        }
        guard removed > 0, Double(removed) <= Double(n) * maxCutFraction else { return nil }
        // The last kept line keeps no dangling break where the body had none.
        if body.last != 0x0A, out.last == 0x0A { out.removeLast() }
        return out
    }

    static func encode(_ keys: [Int64]) -> [UInt8]? {
        guard !keys.isEmpty else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(keys.count * 8)
        for key in keys { withUnsafeBytes(of: key.littleEndian) { out.append(contentsOf: $0) } }
        return out
    }

    static func decode(_ bytes: [UInt8]?) -> [Int64] {
        guard let bytes, bytes.count % 8 == 0 else { return [] }
        return stride(from: 0, to: bytes.count, by: 8).map { i in
            var v: UInt64 = 0
            for j in 0..<8 { v |= UInt64(bytes[i + j]) << (8 * j) }
            return Int64(bitPattern: v)
        }
    }
}

/// One line's count as the writer holds it while a batch is open.
struct SourceLineCount {
    var documents: Int
    /// The documents holding it, while it is below the threshold (rowids).
    var rows: [Int]
}

extension IndexWriter {
    /// Counts `document`'s candidate lines as row `rowid`'s (uncounting those of the version it
    /// replaces, `oldKeys`), and returns the lines its body must leave out. Earlier documents
    /// holding a line that reaches the threshold now are cut here.
    func countSourceLines(_ document: IndexDocument, rowid: Int, oldKeys: [Int64]) throws -> Set<[UInt8]> {
        for key in oldKeys {
            var count = try sourceLineCount(key)
            count.documents = max(0, count.documents - 1)
            count.rows.removeAll { $0 == rowid }
            lineCounts[key] = count
        }
        guard let source = document.lineSource else { return [] }
        var leaveOut = Set<[UInt8]>()
        var earlier: [Int: Set<[UInt8]>] = [:]
        for line in document.edgeLines {
            let key = SourceLines.key(source: source, line: line)
            var count = try sourceLineCount(key)
            count.documents += 1
            if count.documents >= SourceLines.documents {
                leaveOut.insert(Array(line.utf8))
                for other in count.rows where other != rowid { earlier[other, default: []].insert(Array(line.utf8)) }
                count.rows = []
            } else {
                count.rows.append(rowid)
            }
            lineCounts[key] = count
        }
        for (other, lines) in earlier.sorted(by: { $0.key < $1.key }) { try cutStoredText(rowid: other, lines: lines) }
        return leaveOut
    }

    /// The count of `key`: this batch's, else the table's, else none yet.
    private func sourceLineCount(_ key: Int64) throws -> SourceLineCount {
        if let count = lineCounts[key] { return count }
        let read = try connection.cached("SELECT documents, rows FROM source_lines WHERE key = ?1")
        read.bind(1, Int(key))
        defer { read.reset() }
        guard try read.step() else { return SourceLineCount(documents: 0, rows: []) }
        let rows = (read.string(1) ?? "").split(separator: " ").compactMap { Int($0) }
        return SourceLineCount(documents: read.int(0), rows: rows)
    }

    /// Re-indexes row `rowid` without `lines`: its tokens removed with the stored text they
    /// came from, the cut text tokenized and stored in their place (word statistics not
    /// gathered: they counted this page once already).
    private func cutStoredText(rowid: Int, lines: Set<[UInt8]>) throws {
        let text = try TextStore.text(rowid: rowid, on: connection)
        guard let cut = text.withUnsafeBufferPointer({ SourceLines.cut($0, lines: lines) }) else { return }
        let pendingTitle = pendingIDs[rowid].flatMap { pending[$0] }.map { $0.document.metadata.title ?? "" }
        let title = try pendingTitle ?? storedTitle(rowid: rowid)
        try forgetText(rowid: rowid, pendingTitle: title)
        let insert = try connection.cached("INSERT INTO fts(rowid, title, body) VALUES (?1, ?2, ?3)")
        insert.bind(1, rowid)
        insert.bind(2, title)
        let collector = connection.wordCollector
        let collecting = collector.isCollecting
        collector.isCollecting = false
        defer { collector.isCollecting = collecting }
        try cut.withUnsafeBufferPointer { bytes in
            insert.bindStatic(3, utf8: bytes)
            try insert.run()
            try TextStore.write(TextStore.compress(bytes), rowid: rowid, on: connection)
        }
        insert.reset()
    }

    private func storedTitle(rowid: Int) throws -> String {
        let find = try connection.cached("SELECT title FROM documents WHERE rowid = ?1")
        find.bind(1, rowid)
        defer { find.reset() }
        return try find.step() ? (find.string(0) ?? "") : ""
    }

    /// Writes the counts this batch changed.
    func writeSourceLines() throws {
        guard !lineCounts.isEmpty else { return }
        let upsert = try connection.cached("""
            INSERT INTO source_lines(key, documents, rows) VALUES (?1, ?2, ?3)
            ON CONFLICT(key) DO UPDATE SET documents = excluded.documents, rows = excluded.rows
            """)
        for (key, count) in lineCounts.sorted(by: { $0.key < $1.key }) {
            upsert.reset()
            upsert.bind(1, Int(key))
            upsert.bind(2, count.documents)
            upsert.bind(3, count.rows.isEmpty ? nil : count.rows.map(String.init).joined(separator: " "))
            try upsert.run()
        }
        lineCounts.removeAll(keepingCapacity: true)
    }
}

extension IndexConnection {
    /// Which of `lines` the documents of `source` repeat often enough to be left out of its
    /// bodies (what `show` reports as dropped for that reason).
    package func sourceRepeatedLines(source: String, among lines: [String]) throws -> [String] {
        let read = try connection.cached("SELECT documents FROM source_lines WHERE key = ?1")
        var out: [String] = []
        for line in lines {
            read.reset()
            read.bind(1, Int(SourceLines.key(source: source, line: line)))
            if try read.step(), read.int(0) >= SourceLines.documents { out.append(line) }
        }
        read.reset()
        return out
    }
}
