import Foundation
import Platform

// Packs (as git's): `objects/pack/pack-<sha>.pack` holds many objects, `pack-<sha>.idx` says
// where each one is. Written by `ObjectStore.pack` (Packer.swift), read by `ObjectStore.bytes`
// through `PackSet`, checked by `verify`.
//
// pack-<sha>.pack: gzip members one after the other, nothing else. Each member is exactly the
//   bytes of the loose object it replaced: a complete gzip (RFC 1952) stream of the original
//   bytes, named by their SHA-256. `zcat pack-<sha>.pack` prints every original in turn; the
//   range of one member piped to `zcat` prints that one. <sha> is the SHA-256 of the whole
//   pack file: the pack's checksum is its name.
//
// pack-<sha>.idx (integers big-endian):
//   0   4  magic "VBPI"
//   4   4  version (1)
//   8   8  number of objects N
//   16  8  size of the pack file in bytes
//   24  32 SHA-256 of the pack file (= <sha>)
//   56  8  zero (reserved)
//   64  1024  fanout: 256 x UInt32, entry b = number of objects whose hash's first byte <= b
//   1088  N x 48  entries sorted by hash: SHA-256 (32), offset of the member (8), its length (8)
//   end-32  32  SHA-256 of everything before it
// A lookup reads the fanout once per pack (kept in memory: 1 KB per pack) and then one small
// range of the entries with pread: memory does not grow with the archive.

/// The pack file layout (see above).
package enum PackFormat {
    static let magic: [UInt8] = Array("VBPI".utf8)
    static let version: UInt32 = 1
    static let headerSize = 64
    static let fanoutSize = 256 * 4
    static let entrySize = 48
    static let trailerSize = 32
    static let entriesStart = headerSize + fanoutSize

    /// The size an index of `count` objects must have.
    static func indexSize(count: Int) -> Int { entriesStart + count * entrySize + trailerSize }

    /// `objects/pack`, relative to the archive.
    public static let relativeDirectory = "objects/pack"

    /// "pack-<64 hex>" for a file name "pack-<64 hex>.pack" (or ".idx"), else nil.
    static func packName(fileName: String, suffix: String) -> String? {
        guard fileName.hasSuffix(suffix), fileName.hasPrefix("pack-") else { return nil }
        let name = String(fileName.dropLast(suffix.count))
        return ContentHash.isLowerHex(String(name.dropFirst(5)), count: 64) ? name : nil
    }

    static func appendBigEndian<T: FixedWidthInteger>(_ v: T, to out: inout [UInt8]) {
        withUnsafeBytes(of: v.bigEndian) { out.append(contentsOf: $0) }
    }

    static func readBigEndian<T: FixedWidthInteger>(_ p: UnsafeRawPointer, at offset: Int, as: T.Type) -> T {
        var v: T = 0
        withUnsafeMutableBytes(of: &v) { $0.copyMemory(from: UnsafeRawBufferPointer(start: p + offset, count: MemoryLayout<T>.size)) }
        return T(bigEndian: v)
    }

    /// The bytes of an index for `entries` (sorted by key, no duplicates) of a pack of
    /// `packSize` bytes whose SHA-256 is `packChecksum` (hex).
    static func indexBytes(entries: [PackEntry], packSize: Int, packChecksum: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(indexSize(count: entries.count))
        out += magic
        appendBigEndian(version, to: &out)
        appendBigEndian(UInt64(entries.count), to: &out)
        appendBigEndian(UInt64(packSize), to: &out)
        out += ObjectKey(hex: packChecksum)!.bytes
        appendBigEndian(UInt64(0), to: &out)
        var fanout = [UInt32](repeating: 0, count: 256)
        for e in entries { fanout[e.key.firstByte] += 1 }
        var running: UInt32 = 0
        for b in 0..<256 { running += fanout[b]; appendBigEndian(running, to: &out) }
        for e in entries {
            out += e.key.bytes
            appendBigEndian(UInt64(e.offset), to: &out)
            appendBigEndian(UInt64(e.length), to: &out)
        }
        let trailer = out.withUnsafeBytes { ContentHash.sha256Hex($0) }
        out += ObjectKey(hex: trailer)!.bytes
        return out
    }
}

/// A SHA-256 object name as four big-endian words: compares as the hex name does.
package struct ObjectKey: Hashable, Comparable, Sendable {
    var a: UInt64, b: UInt64, c: UInt64, d: UInt64

    init(a: UInt64, b: UInt64, c: UInt64, d: UInt64) { self.a = a; self.b = b; self.c = c; self.d = d }

    /// From 64 lowercase (or uppercase) hex digits; nil for anything else.
    public init?(hex: String) {
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        var n = 0
        for ch in hex.utf8 {
            let v: UInt64
            switch ch {
            case 0x30...0x39: v = UInt64(ch - 0x30)
            case 0x61...0x66: v = UInt64(ch - 0x61 + 10)
            case 0x41...0x46: v = UInt64(ch - 0x41 + 10)
            default: return nil
            }
            switch n >> 4 {
            case 0: words.0 = words.0 << 4 | v
            case 1: words.1 = words.1 << 4 | v
            case 2: words.2 = words.2 << 4 | v
            case 3: words.3 = words.3 << 4 | v
            default: return nil
            }
            n += 1
        }
        guard n == 64 else { return nil }
        (a, b, c, d) = words
    }

    /// From 32 bytes at `p`.
    init(bytes p: UnsafeRawPointer) {
        a = PackFormat.readBigEndian(p, at: 0, as: UInt64.self)
        b = PackFormat.readBigEndian(p, at: 8, as: UInt64.self)
        c = PackFormat.readBigEndian(p, at: 16, as: UInt64.self)
        d = PackFormat.readBigEndian(p, at: 24, as: UInt64.self)
    }

    var bytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(32)
        for w in [a, b, c, d] { PackFormat.appendBigEndian(w, to: &out) }
        return out
    }

    public var hex: String { ContentHash.hex(bytes) }
    var firstByte: Int { Int(a >> 56) }

    public static func < (l: ObjectKey, r: ObjectKey) -> Bool {
        if l.a != r.a { return l.a < r.a }
        if l.b != r.b { return l.b < r.b }
        if l.c != r.c { return l.c < r.c }
        return l.d < r.d
    }
}

/// Where one object is in a pack.
package struct PackEntry: Sendable, Equatable {
    public let key: ObjectKey
    public let offset: Int
    public let length: Int
}

/// An open, checked pack index. Opening reads the whole file once (its checksum, header,
/// fanout, order and ranges are checked: an index that fails any check is never used); a
/// lookup then costs one or a few `pread`s. Keeps its file open.
package final class PackIndex: @unchecked Sendable {
    public let path: String
    public let count: Int
    /// Size of the pack file this index describes.
    public let packSize: Int
    /// SHA-256 (hex) of the pack file this index describes.
    public let packChecksum: String
    let identity: FileIdentity
    private let fd: Int32
    private let fanout: [UInt32]

    /// Opens and checks the index at `path`. Throws a sentence (without the path) saying what
    /// is wrong with it.
    public init(path: String) throws(ArchiveError) {
        self.path = path
        let fd: Int32
        do { fd = try POSIX.open(path, O_RDONLY) } catch { throw ArchiveError("cannot open: \(POSIX.errorText(errno))") }
        var st = stat()
        guard fstat(fd, &st) == 0 else { close(fd); throw ArchiveError("cannot stat: \(POSIX.errorText(errno))") }
        identity = FileIdentity(st)
        let size = Int(st.st_size)
        var fanout = [UInt32](repeating: 0, count: 256)
        var header = [UInt8](repeating: 0, count: PackFormat.entriesStart)
        var count = 0, packSize = 0
        var packChecksum = ""
        do throws(ArchiveError) {
            guard size >= PackFormat.indexSize(count: 0) else { throw ArchiveError("truncated index (\(size) bytes)") }
            try Self.preadAll(fd, &header, at: 0)
            guard Array(header[0..<4]) == PackFormat.magic else { throw ArchiveError("not a VanBan pack index (bad magic)") }
            let (version, n, psize) = header.withUnsafeBytes { p in
                (PackFormat.readBigEndian(p.baseAddress!, at: 4, as: UInt32.self),
                 PackFormat.readBigEndian(p.baseAddress!, at: 8, as: UInt64.self),
                 PackFormat.readBigEndian(p.baseAddress!, at: 16, as: UInt64.self))
            }
            guard version == PackFormat.version else { throw ArchiveError("unsupported pack index version \(version)") }
            guard n <= UInt64(Int.max / PackFormat.entrySize), psize <= UInt64(Int.max) else { throw ArchiveError("impossible object count or pack size") }
            count = Int(n); packSize = Int(psize)
            guard size == PackFormat.indexSize(count: count) else {
                throw ArchiveError("index is \(size) bytes, \(PackFormat.indexSize(count: count)) expected for \(count) objects (truncated or damaged)")
            }
            packChecksum = ContentHash.hex(header[24..<56])
            header.withUnsafeBytes { p in
                for i in 0..<256 { fanout[i] = PackFormat.readBigEndian(p.baseAddress!, at: PackFormat.headerSize + 4 * i, as: UInt32.self) }
            }
            try Self.checkBody(fd, size: size, count: count, packSize: packSize, fanout: fanout)
        } catch {
            close(fd)
            throw error
        }
        self.fd = fd
        self.count = count
        self.packSize = packSize
        self.packChecksum = packChecksum
        self.fanout = fanout
    }

    deinit { close(fd) }

    /// Reads the whole file once: the trailer checksum over everything before it, the fanout
    /// (non-decreasing, ends at `count`, agrees with the entries), entries strictly increasing,
    /// every member inside the pack.
    private static func checkBody(_ fd: Int32, size: Int, count: Int, packSize: Int, fanout: [UInt32]) throws(ArchiveError) {
        var prev: UInt32 = 0
        for f in fanout {
            guard f >= prev else { throw ArchiveError("fanout table is not increasing (damaged index)") }
            prev = f
        }
        guard Int(fanout[255]) == count else { throw ArchiveError("fanout table does not end at the object count (damaged index)") }
        var hasher = StreamingSHA256()
        let bodyEnd = size - PackFormat.trailerSize
        let chunkEntries = 16384
        var buffer = [UInt8](repeating: 0, count: max(PackFormat.entriesStart, chunkEntries * PackFormat.entrySize))
        // Header and fanout.
        try preadAll(fd, &buffer, count: PackFormat.entriesStart, at: 0)
        buffer.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0[0..<PackFormat.entriesStart])) }
        var index = 0
        var previous: ObjectKey?
        var bucketCounts = [UInt32](repeating: 0, count: 256)
        var problem: String?
        while index < count {
            let n = min(chunkEntries, count - index)
            try preadAll(fd, &buffer, count: n * PackFormat.entrySize, at: PackFormat.entriesStart + index * PackFormat.entrySize)
            buffer.withUnsafeBytes { raw in
                hasher.update(UnsafeRawBufferPointer(rebasing: raw[0..<n * PackFormat.entrySize]))
                guard problem == nil else { return }
                for k in 0..<n {
                    let p = raw.baseAddress! + k * PackFormat.entrySize
                    let key = ObjectKey(bytes: p)
                    if let previous, !(previous < key) { problem = "entries are not in increasing hash order at entry \(index + k) (damaged index)"; return }
                    previous = key
                    bucketCounts[key.firstByte] += 1
                    let offset = PackFormat.readBigEndian(p, at: 32, as: UInt64.self)
                    let length = PackFormat.readBigEndian(p, at: 40, as: UInt64.self)
                    if length == 0 || offset > UInt64(packSize) || length > UInt64(packSize) - offset {
                        problem = "entry \(index + k) (\(key.hex)) lies outside the pack (damaged index)"; return
                    }
                }
            }
            index += n
        }
        var trailer = [UInt8](repeating: 0, count: PackFormat.trailerSize)
        try preadAll(fd, &trailer, at: bodyEnd)
        guard hasher.finalizeHex() == ContentHash.hex(trailer) else { throw ArchiveError("checksum mismatch (damaged index)") }
        if let problem { throw ArchiveError(problem) }
        var running: UInt32 = 0
        for b in 0..<256 {
            running += bucketCounts[b]
            guard running == fanout[b] else { throw ArchiveError("fanout table disagrees with the entries (damaged index)") }
        }
    }

    static func preadAll(_ fd: Int32, _ buffer: inout [UInt8], count: Int? = nil, at offset: Int) throws(ArchiveError) {
        let want = count ?? buffer.count
        var done = 0
        while done < want {
            let n = buffer.withUnsafeMutableBytes { b in
                SystemCall.retrying { pread(fd, b.baseAddress! + done, want - done, off_t(offset + done)) }
            }
            if n < 0 { throw ArchiveError("read failed: \(POSIX.errorText(errno))") }
            if n == 0 { throw ArchiveError("truncated (ends at \(offset + done) bytes)") }
            done += n
        }
    }

    /// The entry `i` (0-based, in hash order).
    public func entry(_ i: Int) throws(ArchiveError) -> PackEntry {
        try entries(i, count: 1)[0]
    }

    /// `count` entries from `start`.
    public func entries(_ start: Int, count n: Int) throws(ArchiveError) -> [PackEntry] {
        guard n > 0 else { return [] }
        var buffer = [UInt8](repeating: 0, count: n * PackFormat.entrySize)
        try Self.preadAll(fd, &buffer, at: PackFormat.entriesStart + start * PackFormat.entrySize)
        return buffer.withUnsafeBytes { raw in
            (0..<n).map { k in
                let p = raw.baseAddress! + k * PackFormat.entrySize
                return PackEntry(key: ObjectKey(bytes: p),
                                 offset: Int(PackFormat.readBigEndian(p, at: 32, as: UInt64.self)),
                                 length: Int(PackFormat.readBigEndian(p, at: 40, as: UInt64.self)))
            }
        }
    }

    /// Every entry, in hash order, `batch` at a time (memory bounded by the batch).
    public func forEachEntry(batch: Int = 16384, _ body: (PackEntry) throws(ArchiveError) -> Void) throws(ArchiveError) {
        var i = 0
        while i < count {
            let n = min(batch, count - i)
            for e in try entries(i, count: n) { try body(e) }
            i += n
        }
    }

    /// The entry for `key`, nil when this pack does not hold it. The fanout narrows the search
    /// to the objects sharing the first byte; a binary search by `pread` narrows it to at most
    /// 64 entries, read at once.
    public func find(_ key: ObjectKey) throws(ArchiveError) -> PackEntry? {
        let b = key.firstByte
        var lo = b == 0 ? 0 : Int(fanout[b - 1])
        var hi = Int(fanout[b])
        while hi - lo > 64 {
            let mid = (lo + hi) / 2
            let e = try entry(mid)
            if e.key == key { return e }
            if e.key < key { lo = mid + 1 } else { hi = mid }
        }
        for e in try entries(lo, count: hi - lo) where e.key == key { return e }
        return nil
    }
}

/// (device, inode) of a file: tells a file replaced by rename from the one already open.
struct FileIdentity: Equatable, Sendable {
    let dev: UInt64, ino: UInt64
    init(_ st: stat) { dev = UInt64(st.st_dev); ino = UInt64(st.st_ino) }
}

/// A pack whose index checked out, with its pack file open.
package final class Pack: @unchecked Sendable {
    /// "pack-<64 hex>".
    public let name: String
    /// "objects/pack/pack-<64 hex>.pack", relative to the archive.
    public let relativePath: String
    public let index: PackIndex
    public let packPath: String
    private let fd: Int32

    /// Opens `directory/name.idx` (checked) and `directory/name.pack`; throws when the index
    /// is damaged or does not describe this pack file (name, size).
    public init(directory: String, name: String) throws(ArchiveError) {
        self.name = name
        relativePath = PackFormat.relativeDirectory + "/" + name + ".pack"
        let packPath = directory + "/" + name + ".pack"
        self.packPath = packPath
        let index = try PackIndex(path: directory + "/" + name + ".idx")
        guard "pack-" + index.packChecksum == name else {
            throw ArchiveError("index describes another pack (pack-\(index.packChecksum).pack)")
        }
        let fd = SystemCall.retrying { LibC.open(packPath, O_RDONLY | O_CLOEXEC, 0) }
        guard fd >= 0 else {
            let code = errno
            throw ArchiveError(code == ENOENT ? "its pack \(name).pack is missing" : "cannot open \(name).pack: \(POSIX.errorText(code))")
        }
        let size = POSIX.fileSizeOf(fd)
        guard size == index.packSize else {
            close(fd)
            throw ArchiveError("\(name).pack is \(size) bytes, the index says \(index.packSize) (truncated or replaced)")
        }
        self.index = index
        self.fd = fd
    }

    deinit { close(fd) }

    /// The compressed bytes of the member at `e` (a complete gzip stream, not yet checked).
    public func read(_ e: PackEntry) throws(ArchiveError) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: e.length)
        do { try PackIndex.preadAll(fd, &buffer, at: e.offset) } catch { throw ArchiveError("\(relativePath): \(error.message)") }
        return buffer
    }
}

/// The packs of an archive as this process sees them: checked once when first seen, kept
/// open, looked at again when `objects/pack` changes (or when asked, after a miss). An index
/// that fails its checks is never used: it is listed in `rejected` with the reason.
package final class PackSet: @unchecked Sendable {
    public struct Snapshot: Sendable {
        public var packs: [Pack] = []
        /// Indexes not used: (relative path of the .idx, reason).
        public var rejected: [(path: String, reason: String)] = []
    }

    public let directory: String
    private let lock = NSLock()
    private var current = Snapshot()
    private var stamp: DirectoryStamp?
    private var identities: [String: FileIdentity] = [:] // pack name -> its .idx's identity

    struct DirectoryStamp: Equatable {
        let ino: UInt64, mtimeSeconds: Int64, mtimeNanoseconds: Int64
    }

    public init(directory: String) { self.directory = directory }

    private func directoryStamp() -> DirectoryStamp? {
        var st = stat()
        guard stat(directory, &st) == 0 else { return nil }
        #if os(Linux)
        return DirectoryStamp(ino: UInt64(st.st_ino), mtimeSeconds: Int64(st.st_mtim.tv_sec), mtimeNanoseconds: Int64(st.st_mtim.tv_nsec))
        #else
        return DirectoryStamp(ino: UInt64(st.st_ino), mtimeSeconds: Int64(st.st_mtimespec.tv_sec), mtimeNanoseconds: Int64(st.st_mtimespec.tv_nsec))
        #endif
    }

    /// The packs now. Costs one `stat` when nothing changed; `rescan` lists the directory
    /// whatever its time stamp says (the stamp's resolution is coarse).
    public func snapshot(rescan: Bool = false) -> Snapshot {
        lock.withLock {
            let now = directoryStamp()
            if !rescan, let stamp, stamp == now { return current }
            if now == nil && stamp == nil && !rescan { return current }
            reload()
            stamp = now
            return current
        }
    }

    /// Lists the directory and opens the indexes not open yet. Holds `lock`.
    private func reload() {
        guard let names = try? POSIX.listDirectory(directory) else {
            current = Snapshot(); identities = [:]
            return
        }
        var old: [String: Pack] = [:]
        for p in current.packs { old[p.name] = p }
        var next = Snapshot()
        var nextIdentities: [String: FileIdentity] = [:]
        for fileName in names.sorted() {
            guard let name = PackFormat.packName(fileName: fileName, suffix: ".idx") else { continue }
            var st = stat()
            guard stat(directory + "/" + fileName, &st) == 0 else { continue }
            let identity = FileIdentity(st)
            if let pack = old[name], identities[name] == identity {
                next.packs.append(pack); nextIdentities[name] = identity
                continue
            }
            do {
                next.packs.append(try Pack(directory: directory, name: name))
                nextIdentities[name] = identity
            } catch {
                next.rejected.append((PackFormat.relativeDirectory + "/" + fileName, error.message))
            }
        }
        current = next
        identities = nextIdentities
    }

    /// Every place a pack holds `key` (usually one), from packs as they are now.
    public func locations(_ key: ObjectKey, rescan: Bool = false) -> (found: [(Pack, PackEntry)], snapshot: Snapshot, errors: [String]) {
        let s = snapshot(rescan: rescan)
        var found: [(Pack, PackEntry)] = []
        var errors: [String] = []
        for p in s.packs {
            do {
                if let e = try p.index.find(key) { found.append((p, e)) }
            } catch {
                errors.append("\(PackFormat.relativeDirectory)/\(p.name).idx: \(error.message)")
            }
        }
        return (found, s, errors)
    }
}
