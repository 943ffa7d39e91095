import Platform
import CSystemZlib
import Foundation

/// gzip (RFC 1952) through the system zlib: one member per object, so `zcat` prints the original.
package enum Gzip {
    /// The compression level objects are written with.
    public static let defaultLevel: Int32 = 6

    /// Compresses `input` into a single gzip member.
    public static func compress(_ input: [UInt8], level: Int32 = defaultLevel) -> [UInt8] {
        input.withUnsafeBytes { compress($0, level: level) }
    }

    public static func compress(_ input: UnsafeRawBufferPointer, level: Int32 = defaultLevel) -> [UInt8] {
        let deflater = DeflaterPool.shared.take(level: level)
        defer { DeflaterPool.shared.give(deflater) }
        return deflater.compress(input)
    }

    /// Inflates a complete gzip member held in memory. Throws on corrupt, truncated or trailing data.
    public static func decompress(_ input: [UInt8], sizeHint: Int? = nil) throws(ArchiveError) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(sizeHint ?? trailerSize(input) ?? input.count * 4)
        let inflater = try InflaterPool.shared.take()
        defer { InflaterPool.shared.give(inflater) }
        let fed: Result<Int, ArchiveError> = input.withUnsafeBytes { raw in
            do throws(ArchiveError) { return .success(try inflater.feed(raw) { out.append(contentsOf: $0) }) }
            catch { return .failure(error) }
        }
        let used = try fed.get()
        guard inflater.finished else { throw ArchiveError("truncated gzip (the compressed stream ends early)") }
        guard used == input.count else { throw ArchiveError("trailing data after the gzip stream") }
        return out
    }

    /// The ISIZE field of a gzip trailer (original size mod 2^32), as a capacity hint.
    static func trailerSize(_ input: [UInt8]) -> Int? {
        guard input.count >= 18 else { return nil }
        let n = input.count
        let v = Int(input[n - 4]) | Int(input[n - 3]) << 8 | Int(input[n - 2]) << 16 | Int(input[n - 1]) << 24
        return min(v, 1 << 30)
    }

    /// Streams the gzip file at `path` through `sink` (inflated chunks), without holding it in
    /// memory. Returns the number of compressed bytes read. Throws "truncated gzip", "corrupt
    /// gzip data", "trailing data" or an I/O error.
    @discardableResult
    public static func inflateFile(_ path: String, sink: (UnsafeRawBufferPointer) -> Void) throws(ArchiveError) -> Int {
        let fd = try POSIX.open(path, O_RDONLY)
        defer { close(fd) }
        let inflater = try InflaterPool.shared.take()
        defer { InflaterPool.shared.give(inflater) }
        let chunkSize = 256 * 1024
        let buf = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { buf.deallocate() }
        var total = 0
        while true {
            let n = SystemCall.retrying { read(fd, buf.baseAddress!, chunkSize) }
            if n < 0 { throw POSIX.error("read", path) }
            if n == 0 { break }
            total += n
            if inflater.finished { throw ArchiveError("trailing data after the gzip stream") }
            let used = try inflater.feed(UnsafeRawBufferPointer(rebasing: buf[0..<n]), sink: sink)
            if used < n { throw ArchiveError("trailing data after the gzip stream") }
        }
        if total == 0 { throw ArchiveError("truncated gzip (empty file)") }
        guard inflater.finished else {
            throw ArchiveError("truncated gzip (the compressed stream ends early, after \(total) bytes)")
        }
        return total
    }
}

/// Incremental gzip decoder over zlib's inflate (windowBits 31: gzip only).
final class GzipInflater {
    private let strm: UnsafeMutablePointer<z_stream>
    private let out: UnsafeMutableRawBufferPointer
    private(set) var finished = false

    init() throws(ArchiveError) {
        strm = .allocate(capacity: 1)
        strm.initialize(to: z_stream())
        out = .allocate(byteCount: 256 * 1024, alignment: 16)
        let rc = inflateInit2_(strm, 31, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        if rc != Z_OK {
            strm.deinitialize(count: 1); strm.deallocate(); out.deallocate()
            throw ArchiveError("zlib inflateInit2 failed (\(rc))")
        }
    }

    deinit {
        inflateEnd(strm)
        strm.deinitialize(count: 1)
        strm.deallocate()
        out.deallocate()
    }

    /// Ready for a new stream (`inflateReset`: keeps the allocated state and window).
    func reset() -> Bool {
        finished = false
        return inflateReset(strm) == Z_OK
    }

    /// Feeds compressed bytes; returns how many were consumed (fewer than given only when the
    /// gzip member ended inside `input`).
    func feed(_ input: UnsafeRawBufferPointer, sink: (UnsafeRawBufferPointer) -> Void) throws(ArchiveError) -> Int {
        guard !finished, input.count > 0 else { return 0 }
        strm.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress!.assumingMemoryBound(to: UInt8.self))
        strm.pointee.avail_in = uInt(input.count)
        while true {
            strm.pointee.next_out = out.baseAddress!.assumingMemoryBound(to: UInt8.self)
            strm.pointee.avail_out = uInt(out.count)
            let rc = inflate(strm, Z_NO_FLUSH)
            let produced = out.count - Int(strm.pointee.avail_out)
            if produced > 0 { sink(UnsafeRawBufferPointer(rebasing: out[0..<produced])) }
            switch rc {
            case Z_STREAM_END:
                finished = true
                return input.count - Int(strm.pointee.avail_in)
            case Z_OK:
                if strm.pointee.avail_in == 0 && strm.pointee.avail_out > 0 { return input.count }
            case Z_BUF_ERROR:
                // No progress possible: all input consumed, need more.
                return input.count - Int(strm.pointee.avail_in)
            case Z_DATA_ERROR, Z_NEED_DICT:
                let msg = strm.pointee.msg.map { String(cString: $0) } ?? "invalid data"
                throw ArchiveError("corrupt gzip data (\(msg))")
            case Z_MEM_ERROR:
                throw ArchiveError("out of memory while inflating")
            default:
                throw ArchiveError("zlib inflate failed (\(rc))")
            }
        }
    }
}

/// A zlib deflate stream kept for reuse: `deflateReset` between documents instead of
/// `deflateInit2`/`deflateEnd`, which allocate and clear ~270 kB of state each time (about
/// 35 µs per document, as much as compressing a 3 kB news article).
final class Deflater {
    let level: Int32
    private let strm: UnsafeMutablePointer<z_stream>

    init(level: Int32) {
        self.level = level
        strm = .allocate(capacity: 1)
        strm.initialize(to: z_stream())
        let rc = deflateInit2_(strm, level, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY,
                               zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        precondition(rc == Z_OK, "deflateInit2 failed: \(rc)")
    }

    deinit {
        deflateEnd(strm)
        strm.deinitialize(count: 1)
        strm.deallocate()
    }

    /// One complete gzip member for `input`.
    func compress(_ input: UnsafeRawBufferPointer) -> [UInt8] {
        precondition(deflateReset(strm) == Z_OK)
        let chunkLimit = 1 << 30
        let bound = Int(deflateBound(strm, uLong(min(input.count, Int(UInt32.max)))))
            + (input.count > chunkLimit ? input.count / 1000 + 1024 : 0)
        return [UInt8](unsafeUninitializedCapacity: bound) { buf, initialized in
            var consumed = 0
            var produced = 0
            while true {
                let inChunk = min(input.count - consumed, chunkLimit)
                strm.pointee.next_in = inChunk > 0
                    ? UnsafeMutablePointer(mutating: input.baseAddress!.assumingMemoryBound(to: UInt8.self) + consumed) : nil
                strm.pointee.avail_in = uInt(inChunk)
                strm.pointee.next_out = buf.baseAddress! + produced
                strm.pointee.avail_out = uInt(min(buf.count - produced, chunkLimit))
                let last = consumed + inChunk == input.count
                let beforeIn = strm.pointee.avail_in, beforeOut = strm.pointee.avail_out
                let r = deflate(strm, last ? Z_FINISH : Z_NO_FLUSH)
                consumed += Int(beforeIn - strm.pointee.avail_in)
                produced += Int(beforeOut - strm.pointee.avail_out)
                if r == Z_STREAM_END { break }
                precondition(r == Z_OK || r == Z_BUF_ERROR, "deflate failed: \(r)")
                precondition(produced < buf.count, "deflateBound exceeded")
            }
            initialized = produced
        }
    }
}

/// Idle deflaters, shared by all threads (one in use per thread at a time).
final class DeflaterPool: @unchecked Sendable {
    static let shared = DeflaterPool()
    private let lock = NSLock()
    private var idle: [Deflater] = []

    func take(level: Int32) -> Deflater {
        lock.withLock { () -> Deflater? in
            if let i = idle.lastIndex(where: { $0.level == level }) { return idle.remove(at: i) }
            return nil
        } ?? Deflater(level: level)
    }

    func give(_ d: Deflater) {
        lock.withLock { if idle.count < 16 { idle.append(d) } }
    }
}

/// Idle inflaters, shared by all threads: creating one costs a 256 KB buffer and zlib's state
/// (an mmap, page faults and an munmap per object when done for each one).
final class InflaterPool: @unchecked Sendable {
    static let shared = InflaterPool()
    private let lock = NSLock()
    private var idle: [GzipInflater] = []

    func take() throws(ArchiveError) -> GzipInflater {
        while let i = lock.withLock({ idle.popLast() }) {
            if i.reset() { return i }
        }
        return try GzipInflater()
    }

    func give(_ i: GzipInflater) {
        lock.withLock { if idle.count < 16 { idle.append(i) } }
    }
}
