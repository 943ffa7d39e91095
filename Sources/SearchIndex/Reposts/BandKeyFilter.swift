// Which LSH band keys may be in `repost_bands`: a Bloom filter the index writer keeps, so that
// a band key no earlier document has (nearly all of them: most news is not a repost) costs
// no seek. Loaded from the table on the writer's first signed document (one pass over the
// keys), then given every key the writer adds; doubled, by loading again, when it fills.
//
// Invariant: every key in `repost_bands` or pending in the writer is in the filter. Keys
// deleted (a replaced version) or rolled back stay in it: a false "maybe" costs one seek,
// never a missed repost.

struct BandKeyFilter {
    private var words: [UInt64]
    private let mask: UInt64
    /// Keys inserted, and how many the filter holds at ~1% false positives.
    private(set) var count = 0
    let capacity: Int

    /// A filter for `capacity` keys, at 10 bits a key (three probes: ~1% false "maybe").
    init(capacity: Int) {
        var bits = 1 << 16
        while bits < capacity * 10 { bits <<= 1 }
        words = [UInt64](repeating: 0, count: bits / 64)
        mask = UInt64(bits - 1)
        self.capacity = bits / 10
    }

    @inline(__always)
    private func probes(_ key: Int64) -> (UInt64, UInt64, UInt64) {
        let h = RepostSignature.mix(UInt64(bitPattern: key))
        let g = RepostSignature.mix(h) | 1
        return (h & mask, (h &+ g) & mask, (h &+ 2 &* g) & mask)
    }

    mutating func insert(_ key: Int64) {
        let (a, b, c) = probes(key)
        for p in [a, b, c] { words[Int(p >> 6)] |= 1 << (p & 63) }
        count += 1
    }

    func mayContain(_ key: Int64) -> Bool {
        let (a, b, c) = probes(key)
        return words[Int(a >> 6)] & (1 << (a & 63)) != 0
            && words[Int(b >> 6)] & (1 << (b & 63)) != 0
            && words[Int(c >> 6)] & (1 << (c & 63)) != 0
    }
}

extension IndexWriter {
    /// The filter of the band keys written or pending, loaded (or reloaded twice as large)
    /// when needed.
    func bandKeyFilter(adding more: Int) throws -> BandKeyFilter {
        if let filter = bandFilter, filter.count + more <= filter.capacity { return filter }
        let rows = try connection.scalarInt("SELECT count(*) FROM repost_bands") ?? 0
        var filter = BandKeyFilter(capacity: 2 * (rows + pendingBands.count + more) + 16 * 1024)
        let scan = try connection.cached("SELECT key FROM repost_bands")
        while try scan.step() { filter.insert(Int64(scan.int(0))) }
        scan.reset()
        for key in pendingBands.keys { filter.insert(key) }
        bandFilter = filter
        return filter
    }
}
