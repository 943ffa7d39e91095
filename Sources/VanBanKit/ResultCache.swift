import Archive
import DocumentModel
import Foundation
import SearchIndex

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
        /// Every filter of the request (the whole value: a filter added later is keyed too).
        var filters: Filters
        var sort: String
        var strict: Bool
        var collapse: Bool
        var facets: Bool
        /// The version of the synonym list the results were read with (`ArchiveSynonyms`).
        var synonyms: Int

        init(_ r: SearchRequest, synonyms: Int) {
            query = r.query; limit = r.limit; offset = r.offset; filters = r.filters; sort = r.sort.rawValue
            strict = r.strict; collapse = r.collapse
            facets = r.facets
            self.synonyms = synonyms
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
        for values in r.facets?.fields.values.map({ $0 }) ?? [] { size += values.reduce(0) { $0 + 32 + $1.value.utf8.count } }
        for hit in r.hits {
            size += 200 + hit.id.utf8.count + hit.snippet.text.utf8.count + hit.snippet.highlights.count * 16
            for (_, value) in hit.metadata.presentFields { size += 16 + value.utf8.count }
        }
        return size
    }
}
