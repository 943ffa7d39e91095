import VietText

// A near-duplicate fingerprint of a document's (cleaned) body: MinHash over word shingles.
//
// The body's words, folded ("Thanh Hoá" and "thanh hoa" are one word), are read five at a time
// (shingles). One permutation, 64 bins (Li, Owen and Zhang 2012): each shingle's hash picks a
// bin by its top six bits, and the bin keeps the least of the remaining bits among its
// shingles; a bin no shingle fell in borrows from the next filled bin to its right
// (rotation densification, Shrivastava and Li 2014), so every position is filled. Two
// signatures agree at a position with probability close to the Jaccard similarity of the two
// shingle sets, as with 64 separate hash functions, for one hash per shingle instead of 64.
// The same announcement reposted with another title (the title is not in the body), other
// chrome (the cleaner dropped it) or a changed first or last paragraph shares most of its
// shingles; two papers' own reports of one event share few (each writes its own sentences).
//
// Cost: linear in the body (one hash per word and shingle), so bounded per document. Finding
// candidates is by LSH: the 64 values in 16 bands of 4; documents sharing a band's four
// values are compared (see RepostIndex), never all pairs. A pair with Jaccard 0.5 shares a
// band with probability 0.64, at 0.7 with 0.99.

package struct RepostSignature: Sendable, Equatable {
    package static let hashCount = 64
    package static let bands = 16
    package static let rowsPerBand = hashCount / bands
    static let shingleWords = 5
    /// Bodies with fewer shingles get no signature: too short to call two of them the same text.
    static let minimumShingles = 8
    /// Estimated Jaccard similarity from which two bodies are reposts of one text.
    package static let threshold = 0.5

    package var values: [UInt32]

    package init(values: [UInt32]) { self.values = values }

    /// The signature of `body`, or nil when it is too short to have one. The index writer
    /// computes the same values while FTS5 tokenizes the body (`Builder` fed by the tokenizer),
    /// so that the body is read once.
    package init?(body: String) {
        var builder = Builder()
        Tokenizer.forEachToken(in: body) { builder.add(folded: $0.folded) }
        guard let signature = builder.finish() else { return nil }
        self = signature
    }

    /// The signature built word by word: `add` each token's folded form in order, then `finish`.
    package struct Builder {
        static let binBits: UInt64 = 6  // 64 bins
        static let valueMask: UInt64 = (1 << (64 - binBits)) - 1
        private var mins = [UInt64](repeating: .max, count: RepostSignature.hashCount)
        private var ring: (UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0)
        private var words = 0
        private var shingles = 0

        package init() {}

        @inline(__always)
        package mutating func add(folded: UnsafeBufferPointer<UInt8>) {
            var h: UInt64 = 0xcbf2_9ce4_8422_2325
            for b in folded { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
            ring = (ring.1, ring.2, ring.3, ring.4, h)  // the last five words, oldest first
            words += 1
            guard words >= RepostSignature.shingleWords else { return }
            // The shingle's hash: its words in order (a rotation per place: 0, 13, 26, 39, 52).
            var s = ring.0
            s ^= (ring.1 << 13) | (ring.1 >> 51)
            s ^= (ring.2 << 26) | (ring.2 >> 38)
            s ^= (ring.3 << 39) | (ring.3 >> 25)
            s ^= (ring.4 << 52) | (ring.4 >> 12)
            s = RepostSignature.mix(s)
            shingles += 1
            let bin = Int(truncatingIfNeeded: s >> (64 - Self.binBits))
            let value = s & Self.valueMask
            mins.withUnsafeMutableBufferPointer { if value < $0[bin] { $0[bin] = value } }
        }

        /// The signature, or nil when the body was too short to have one.
        package func finish() -> RepostSignature? {
            guard shingles >= RepostSignature.minimumShingles else { return nil }
            // Densification: an empty bin takes the next filled bin's value (circularly), moved
            // by how far it had to look, so that two empty bins borrowing from one bin stay
            // distinct. At least one bin is filled (shingles >= 8).
            let n = RepostSignature.hashCount
            var filled = mins
            for i in 0..<n where mins[i] == .max {
                var d = 1
                while mins[(i + d) % n] == .max { d += 1 }
                filled[i] = RepostSignature.mix(mins[(i + d) % n] &+ UInt64(d)) & Self.valueMask
            }
            return RepostSignature(values: filled.map { UInt32(truncatingIfNeeded: $0 >> (64 - Self.binBits - 32)) })
        }
    }

    /// The estimated Jaccard similarity of the two bodies' shingle sets.
    package func similarity(_ other: RepostSignature) -> Double {
        guard values.count == other.values.count, !values.isEmpty else { return 0 }
        var equal = 0
        for i in values.indices where values[i] == other.values[i] { equal += 1 }
        return Double(equal) / Double(values.count)
    }

    /// One key per band: documents with an equal key are candidate reposts of each other.
    /// 32 bits each: SQLite stores them in 4 bytes instead of 8, so the band table is smaller
    /// and cheaper to seek; a chance collision only makes a candidate that the full comparison
    /// then rejects (at a million documents, about one in 270 lookups).
    package var bandKeys: [Int64] {
        (0..<Self.bands).map { band in
            var h = UInt64(band) &* 0x9E37_79B9_7F4A_7C15
            for r in 0..<Self.rowsPerBand { h = Self.mix(h ^ UInt64(values[band * Self.rowsPerBand + r])) }
            return Int64(Int32(truncatingIfNeeded: h >> 32))
        }
    }

    /// Stored form: the values, little-endian.
    package var bytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(4 * values.count)
        for v in values { for k in 0..<4 { out.append(UInt8(truncatingIfNeeded: v >> (8 * k))) } }
        return out
    }

    package init?(bytes: [UInt8]) {
        guard bytes.count == Self.hashCount * 4 else { return nil }
        values = (0..<Self.hashCount).map { i in
            (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[i * 4 + $1]) << (8 * $1) }
        }
    }

    /// SplitMix64's finaliser: spreads every input bit over the output.
    @inline(__always)
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
