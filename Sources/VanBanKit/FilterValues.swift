import DocumentModel
import Archive
import Foundation

/// The distinct sources and kinds of the current documents, most frequent first (what the
/// search page offers as filters).
public struct FilterValues: Sendable, Equatable {
    public var sources: [String]
    public var kinds: [String]
    /// Current documents in the archive.
    public var documents: Int
}

/// `FilterValues`, recomputed only when the manifest has grown.
final class FilterValuesCache: @unchecked Sendable {
    private let lock = NSLock()
    private var cached: (seq: Int, values: FilterValues)?
    /// At most this many values per field are offered.
    static let limit = 200

    func values(for manifest: Manifest) throws -> FilterValues {
        let state = try manifest.refresh()
        if let cached = lock.withLock({ cached }), cached.seq == state.lastSeq { return cached.values }
        var sources: [String: Int] = [:]
        var kinds: [String: Int] = [:]
        for record in state.current.values {
            if let s = record.metadata.source, !s.isEmpty { sources[s, default: 0] += 1 }
            if let k = record.metadata.kind, !k.isEmpty { kinds[k, default: 0] += 1 }
        }
        func ordered(_ counts: [String: Int]) -> [String] {
            counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(Self.limit).map(\.key)
        }
        let values = FilterValues(sources: ordered(sources), kinds: ordered(kinds), documents: state.current.count)
        lock.withLock { cached = (state.lastSeq, values) }
        return values
    }
}
