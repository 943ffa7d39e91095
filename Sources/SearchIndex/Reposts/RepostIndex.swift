// Repost groups in the index: documents whose bodies are near-duplicates (RepostSignature).
//
//   documents.repost_signature  the body's signature (BLOB, 64 x 4 bytes)
//   documents.repost_group      the id of the group's first document, for the members of a
//                               group of two or more (that first document included); else null
//   repost_bands(key, doc)      one row per band of each signature (LSH)
//
// A document is grouped when it is applied, against the documents applied before it: those
// sharing one of its band keys are compared with it, and it joins the group of the most similar
// one whose estimated similarity reaches `RepostSignature.threshold`. The work per document is
// one lookup of its 16 keys and a comparison per candidate: no pass over pairs. Documents are
// applied in manifest order by an import and by `reindex` alike, so both give the same groups.
// A group keeps the id of the document that began it; a replaced version keeps its place.

/// The groups as search reads them: for each grouped document (rowid), its group.
package struct RepostGroups: Sendable {
    /// rowid -> group number.
    var groupOf: [Int: Int] = [:]
    /// rowid -> document id, for naming the members.
    var idOf: [Int: String] = [:]
    var groupCount = 0
}

extension IndexWriter {
    /// The group `document` joins, or nil when it reposts no earlier document; `keys` are
    /// its signature's band keys.
    func repostGroup(of document: IndexDocument, keys: [Int64], rowid: Int) throws -> String? {
        guard let signature = document.repostSignature else { return nil }
        var candidates = Set<Int>()
        for key in keys {
            if let other = pendingBands[key] { candidates.insert(other) }
            for other in pendingBandsMore[key] ?? [] { candidates.insert(other) }
        }
        // One seek per key that may be in the table (BandKeyFilter): an IN list of 16 values
        // would be built into a temporary table at every run, which costs more than the seeks.
        let filter = try bandKeyFilter(adding: keys.count)
        let lookup = try connection.cached("SELECT doc FROM repost_bands WHERE key = ?1")
        for key in keys where filter.mayContain(key) {
            lookup.bind(1, Int(key))
            while try lookup.step() { candidates.insert(lookup.int(0)) }
            lookup.reset()
        }
        candidates.remove(rowid)

        var best: (similarity: Double, id: String, group: String?, rowid: Int)?
        for other in candidates {
            guard let (id, otherSignature, group) = try repostState(of: other) else { continue }
            let similarity = signature.similarity(otherSignature)
            guard similarity >= RepostSignature.threshold else { continue }
            // The most similar; among equals the one whose group began first (lowest id as the
            // tie-break: rowids may differ between an import and a reindex, ids do not).
            if best == nil || similarity > best!.similarity
                || (similarity == best!.similarity && (group ?? id) < (best!.group ?? best!.id)) {
                best = (similarity, id, group, other)
            }
        }
        guard let best else { return nil }
        if let group = best.group { return group }
        // `best` begins a group now.
        if pending[best.id] != nil {
            pending[best.id]!.document.repostGroup = best.id
        } else {
            groupStarts.insert(best.id)
        }
        return best.id
    }

    /// (id, signature, group) of the document at `rowid`, pending or written.
    private func repostState(of rowid: Int) throws -> (String, RepostSignature, String?)? {
        if let id = pendingIDs[rowid], let waiting = pending[id], waiting.rowid == rowid {
            guard let signature = waiting.document.repostSignature else { return nil }
            return (id, signature, waiting.document.repostGroup)
        }
        let read = try connection.cached("SELECT id, repost_signature, repost_group FROM documents WHERE rowid = ?1")
        read.bind(1, rowid)
        defer { read.reset() }
        guard try read.step(), let id = read.string(0), let bytes = read.blob(1),
              let signature = RepostSignature(bytes: bytes) else { return nil }
        return (id, signature, read.string(2))
    }

    /// Removes the band rows of the versions the pending documents replace (before their
    /// rows are overwritten: the old signature says which keys to remove).
    func forgetReplacedBands() throws {
        guard !replacedRowids.isEmpty else { return }
        let read = try connection.cached("SELECT repost_signature FROM documents WHERE rowid = ?1")
        let delete = try connection.cached("DELETE FROM repost_bands WHERE key = ?1 AND doc = ?2")
        for rowid in replacedRowids {
            read.bind(1, rowid)
            let old = try read.step() ? read.blob(0).flatMap(RepostSignature.init(bytes:)) : nil
            read.reset()
            for key in old?.bandKeys ?? [] {
                delete.reset()
                delete.bind(1, Int(key))
                delete.bind(2, rowid)
                try delete.run()
            }
        }
        replacedRowids.removeAll()
    }

    /// Writes the pending band rows and marks the documents that began a group.
    func writeRepostState() throws {
        // In key order (neighbouring rows of the b-tree, not a random page per row), many rows
        // a statement: 16 rows a document, the per-statement cost would be most of the work.
        var rows: [(key: Int64, rowid: Int)] = []
        rows.reserveCapacity(pendingBands.count + 16)
        for (key, rowid) in pendingBands { rows.append((key, rowid)) }
        for (key, rowids) in pendingBandsMore { for rowid in rowids { rows.append((key, rowid)) } }
        rows.sort { $0.key != $1.key ? $0.key < $1.key : $0.rowid < $1.rowid }
        let perStatement = 128
        let full = try connection.cached("INSERT OR IGNORE INTO repost_bands(key, doc) VALUES "
            + (0..<perStatement).map { "(?\(2 * $0 + 1), ?\(2 * $0 + 2))" }.joined(separator: ", "))
        let single = try connection.cached("INSERT OR IGNORE INTO repost_bands(key, doc) VALUES (?1, ?2)")
        var at = 0
        while at + perStatement <= rows.count {
            full.reset()
            for k in 0..<perStatement {
                full.bind(Int32(2 * k + 1), Int(rows[at + k].key))
                full.bind(Int32(2 * k + 2), rows[at + k].rowid)
            }
            try full.run()
            at += perStatement
        }
        for row in rows[at...] {
            single.reset()
            single.bind(1, Int(row.key))
            single.bind(2, row.rowid)
            try single.run()
        }
        pendingBands.removeAll(keepingCapacity: true)
        pendingBandsMore.removeAll()
        pendingIDs.removeAll(keepingCapacity: true)
        let start = try connection.cached("UPDATE documents SET repost_group = id WHERE id = ?1 AND repost_group IS NULL")
        for id in groupStarts {
            start.reset()
            start.bind(1, id)
            try start.run()
        }
        groupStarts.removeAll()
    }
}

extension IndexConnection {
    /// The repost groups, read once per state of the index.
    func repostGroups(version: Int) throws -> RepostGroups {
        if let cache = repostGroupCache, cache.version == version { return cache.groups }
        var groups = RepostGroups()
        var numbers: [String: Int] = [:]
        let statement = try connection.prepare("SELECT rowid, id, repost_group FROM documents WHERE repost_group IS NOT NULL")
        while try statement.step() {
            let rowid = statement.int(0)
            let group = statement.string(2) ?? ""
            let number = numbers[group] ?? { numbers[group] = numbers.count; return numbers.count - 1 }()
            groups.groupOf[rowid] = number
            groups.idOf[rowid] = statement.string(1)
        }
        groups.groupCount = numbers.count
        repostGroupCache = (version, groups)
        return groups
    }

    /// Keeps the best-scored member of each repost group in `scored` (higher score, then higher
    /// rowid, as `best` orders them) and returns, for each member kept, the others (best first).
    static func collapse(_ scored: [(rowid: Int, score: Double)], _ groups: RepostGroups)
        -> (kept: [(rowid: Int, score: Double)], duplicates: [Int: [Int]]) {
        guard !groups.groupOf.isEmpty else { return (scored, [:]) }
        var members: [Int: [(rowid: Int, score: Double)]] = [:]
        for s in scored { if let g = groups.groupOf[s.rowid] { members[g, default: []].append(s) } }
        var representative: [Int: Int] = [:]
        var duplicates: [Int: [Int]] = [:]
        for (g, list) in members where list.count > 1 {
            let ordered = list.sorted { $0.score != $1.score ? $0.score > $1.score : $0.rowid > $1.rowid }
            representative[g] = ordered[0].rowid
            duplicates[ordered[0].rowid] = ordered.dropFirst().map(\.rowid)
        }
        guard !duplicates.isEmpty else { return (scored, [:]) }
        let kept = scored.filter { s in
            guard let g = groups.groupOf[s.rowid], let r = representative[g] else { return true }
            return r == s.rowid
        }
        return (kept, duplicates)
    }

    /// Every group: its id (the first document's) -> its members' ids, sorted.
    package func repostGroupMembers() throws -> [String: [String]] {
        var out: [String: [String]] = [:]
        let statement = try connection.prepare("SELECT repost_group, id FROM documents WHERE repost_group IS NOT NULL ORDER BY id")
        while try statement.step() { out[statement.string(0) ?? "", default: []].append(statement.string(1) ?? "") }
        return out
    }

    /// The number of repost groups and of documents in them (`stats`, the benchmark).
    package func repostGroupCounts() throws -> (groups: Int, documents: Int) {
        let statement = try connection.prepare("SELECT count(DISTINCT repost_group), count(*) FROM documents WHERE repost_group IS NOT NULL")
        guard try statement.step() else { return (0, 0) }
        return (statement.int(0), statement.int(1))
    }
}
