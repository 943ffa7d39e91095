import Foundation
import Platform

// Approximate counts of every syllable and every pair of adjacent syllables the index has
// seen, in both forms ("cat", "cắt"; "cat giam", "cắt giảm"): the statistics behind accent
// restoration and word segmentation of queries (see QueryReader).
//
// A count-min sketch with conservative update (Estan & Varghese): `rows` arrays of `width`
// 32-bit counters; a key increments, in each row, its counter only where it is the row
// minimum, and is estimated as the minimum over its rows. An estimate is never below the true
// count and exceeds it by the few counts of the keys that share both counters. That is what
// the readers need: they compare readings whose counts differ by orders of magnitude. (16-bit
// counters saturate on the commonest syllables of a 35,000-document corpus: "thì", "thị".)
//
// Four keys per token (see `WordKey`): the folded syllable (every form of it), the exact form
// (accented, or plain when typed without marks), and the same two for the pair it ends.
//
// Stored beside the generation's database ("vanban-3.sqlite.words") and mapped shared: the
// writer's increments are visible to every reader at once, without reloading. The file is
// derived data with no transaction of its own. Invariants the readers rely on:
//   - counts only grow: a replaced or deleted document's words stay counted until the next
//     rebuild (a language model of the text seen, not of the text kept);
//   - a crash may leave a batch counted whose documents were rolled back, or not counted at
//     all; either way every estimate remains a count of some real text;
//   - counters are written whole (aligned 32-bit stores), so a reader never sees a torn value.
// A missing or foreign file just means "no statistics": queries are read without restoring
// accents (see `QueryReader`), nothing fails.

package final class WordCounts: @unchecked Sendable {
    static let magic: [UInt8] = Array("VBWORDS3".utf8)
    static let headerBytes = 64
    /// 2 rows of 2^22 counters: 32 MiB, reserved on disk by the writer (see `init`).
    static let rows = 2
    static let widthLog2 = 22

    private let base: UnsafeMutableRawPointer
    private let length: Int
    private let counters: UnsafeMutablePointer<UInt32>
    private let mask: UInt64
    let writable: Bool
    /// The mapped file's device and inode (see `sharedReader`).
    let identity: FileIdentity

    /// The sketch file of a database file.
    static func path(forDatabase database: String) -> String { database + ".words" }

    /// Maps the sketch at `path`: read-only (nil when it is missing or not a sketch), or for
    /// writing (created, or reset when it is not a valid sketch).
    ///
    /// For writing, every block of the file is reserved first (`reserve`, posix_fallocate by
    /// default; tests pass one that fails): a store into a mapped page that has no block
    /// behind it raises SIGBUS when the disk is full, where a write(2) would have returned
    /// ENOSPC. When the blocks cannot be had the writer gets nil and counts nothing, which is
    /// what a missing sketch means (no statistics; nothing fails). Readers never need blocks:
    /// a hole reads as zeros.
    package init?(path: String, writable: Bool,
                  reserve: (Int32, Int) -> Int32 = { fd, length in posix_fallocate(fd, 0, off_t(length)) }) {
        let width = 1 << Self.widthLog2
        let length = Self.headerBytes + Self.rows * width * MemoryLayout<UInt32>.size
        let fd = LibC.open(path, writable ? O_RDWR | O_CREAT : O_RDONLY, 0o644)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return nil }
        var fresh = false
        if Int(info.st_size) != length {
            guard writable, ftruncate(fd, 0) == 0, ftruncate(fd, off_t(length)) == 0 else { return nil }
            fresh = true
        }
        if writable, reserve(fd, length) != 0 {
            if fresh { _ = ftruncate(fd, 0) }  // an empty file is "not a sketch" to readers
            return nil
        }
        let protection = writable ? PROT_READ | PROT_WRITE : PROT_READ
        guard let mapped = mmap(nil, length, protection, MAP_SHARED, fd, 0), mapped != MAP_FAILED else { return nil }
        let header = UnsafeRawBufferPointer(start: mapped, count: Self.headerBytes)
        let valid = Array(header.prefix(8)) == Self.magic
            && header[8] == UInt8(Self.rows) && header[9] == UInt8(Self.widthLog2)
        if !valid {
            guard writable else { munmap(mapped, length); return nil }
            if !fresh { memset(mapped, 0, length) }
            let h = mapped.assumingMemoryBound(to: UInt8.self)
            for (k, byte) in Self.magic.enumerated() { h[k] = byte }
            h[8] = UInt8(Self.rows)
            h[9] = UInt8(Self.widthLog2)
        }
        self.base = mapped
        self.length = length
        self.counters = (mapped + Self.headerBytes).assumingMemoryBound(to: UInt32.self)
        self.mask = UInt64(width - 1)
        self.writable = writable
        self.identity = FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }

    deinit { munmap(base, length) }

    /// The read-only mapping of the sketch at `path`, one per process for as long as any
    /// reader holds it. Each mapping of a file counts whole in the process's RSS: `serve`'s
    /// four search connections, each with a mapping of its own, held four copies of the
    /// 32 MiB sketch (130 MB of its 190 MB peak). Keyed by path and checked against the
    /// mapped file's device and inode, so a file replaced under the same name is mapped
    /// afresh. (A mapping keeps its inode alive, so no new file can take that number.)
    package static func sharedReader(path: String) -> WordCounts? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        let current = FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
        return SharedReaders.lock.withLock {
            if let counts = SharedReaders.entries[path]?.counts, counts.identity == current { return counts }
            let counts = WordCounts(path: path, writable: false)
            SharedReaders.entries[path] = counts.map { SharedReaders.Entry(counts: $0) }
            // Forget the mappings no reader holds any more (their weak references are nil).
            SharedReaders.entries = SharedReaders.entries.filter { $0.value.counts != nil }
            return counts
        }
    }

    @inline(__always)
    private func slots(_ key: UInt64) -> (Int, Int) {
        // Two independent slices of a well-mixed 64-bit key, one per row.
        let width = Int(mask) + 1
        return (Int(key & mask), width + Int((key >> 32) & mask))
    }

    /// Tokens counted so far (header bytes 16..<24): the size of the text the counts describe.
    var tokens: Int { Int(base.load(fromByteOffset: 16, as: UInt64.self)) }

    /// The estimate an absent key typically gets: the sketch's load per counter (four keys a
    /// token) over 16, since conservative update keeps absent keys far below the mean. On the
    /// shared corpus (26.5 million tokens, load 25) this gives 1.6; a small archive's counts
    /// are exact, and this gives 0. (Measured with scripts/dev/eval-restoration: a sketch
    /// half as wide restored about 3 points fewer syllables of corpus titles; trigram keys
    /// with a simply interpolated model restored 3 points fewer, not more.)
    var noise: Double { Double(tokens) * 4 / Double(Int(mask) + 1) / 16 }

    /// Counts one token of text. Writer only.
    @inline(__always)
    func addToken() {
        base.storeBytes(of: base.load(fromByteOffset: 16, as: UInt64.self) &+ 1, toByteOffset: 16, as: UInt64.self)
    }

    /// Counts one occurrence of `key` (conservative update). Writer only.
    @inline(__always)
    func add(_ key: UInt64) {
        let (a, b) = slots(key)
        let ca = counters[a], cb = counters[b]
        let low = min(ca, cb)
        guard low < UInt32.max else { return }
        if ca == low { counters[a] = low + 1 }
        if cb == low { counters[b] = low + 1 }
    }

    /// The estimated number of occurrences of `key`.
    func count(_ key: UInt64) -> Int {
        let (a, b) = slots(key)
        return Int(min(counters[a], counters[b]))
    }

    /// Occurrences of exactly this form ("cắt"; "cat" typed without marks).
    func count(form: String) -> Int { count(WordKey.form(WordKey.of(form))) }
    /// Occurrences of any form folding to `folded` ("cat": cát, cắt, cất, cat, ...).
    func count(folded: String) -> Int { count(WordKey.of(folded)) }

    /// Occurrences of the form `first` immediately followed by the form `second`.
    func count(forms first: String, _ second: String) -> Int {
        count(WordKey.pair(WordKey.form(WordKey.of(first)), WordKey.form(WordKey.of(second))))
    }
    /// ... and of any forms of the folded syllables `first`, `second`.
    func count(folded first: String, _ second: String) -> Int {
        count(WordKey.pair(WordKey.of(first), WordKey.of(second)))
    }
}

/// 64-bit keys of token forms and of adjacent pairs, as `WordCounts` stores them.
enum WordKey {
    /// FNV-1a over the form's bytes, then a final mix so both 32-bit halves are usable.
    @inline(__always)
    static func of(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return mix(h)
    }

    static func of(_ form: String) -> UInt64 {
        var form = form
        return form.withUTF8 { of($0) }
    }

    /// The key of a token's exact form, distinct from the key of the same bytes as a folded
    /// syllable ("cat" plain vs "cat" any form).
    @inline(__always)
    static func form(_ key: UInt64) -> UInt64 { mix(key ^ 0x5bd1_e995_7a3f_0c41) }

    /// The key of `first` followed by `second`: distinct from both and from the reverse order.
    @inline(__always)
    static func pair(_ first: UInt64, _ second: UInt64) -> UInt64 {
        mix(first &* 0x9e37_79b9_7f4a_7c15 ^ (second &+ 0x632b_e59b_d9b4_e019))
    }

    /// splitmix64's finalizer.
    @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}

/// The process's read-only sketch mappings (see `WordCounts.sharedReader`), held weakly: the
/// last reader to let go unmaps it.
struct FileIdentity: Equatable { var device: UInt64, inode: UInt64 }

private enum SharedReaders {
    struct Entry { weak var counts: WordCounts? }
    static let lock = NSLock()
    nonisolated(unsafe) static var entries: [String: Entry] = [:]
}
