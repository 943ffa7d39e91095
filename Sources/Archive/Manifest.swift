import Platform
import Foundation

/// What the manifest says right now: the current version of every document.
package struct ManifestState: Sendable {
    /// The latest record of each document id.
    public private(set) var current = LayeredMap<ManifestRecord>()
    /// How many records (versions) each id has.
    public private(set) var versions = LayeredMap<Int>()
    /// The highest seq seen (0 for an empty manifest).
    public private(set) var lastSeq = 0
    /// Number of records read.
    public private(set) var recordCount = 0

    public init() {}

    public mutating func apply(_ r: ManifestRecord) {
        current[r.id] = r
        versions[r.id] = (versions[r.id] ?? 0) + 1
        lastSeq = max(lastSeq, r.seq)
        recordCount += 1
    }

    /// Current records, in seq order.
    public var currentRecords: [ManifestRecord] { current.values.sorted { $0.seq < $1.seq } }
}

/// A line of the manifest that is not a record.
package struct ManifestProblem: Sendable, Equatable, CustomStringConvertible {
    /// 1-based line number.
    public let line: Int
    /// Byte offset where the line starts.
    public let offset: Int64
    public let reason: String
    /// True for the last line of the file when it has no newline or does not parse: what a
    /// crash in the middle of an append leaves. Readers ignore it; the next writer removes it.
    public let isTornTail: Bool

    public var description: String { "line \(line): \(reason)" }
}

/// What a scan of the manifest found besides records.
package struct ManifestScanResult: Sendable {
    /// Offset just past the last line that was consumed (the torn tail, if any, starts here).
    public var goodEnd: Int64
    /// Number of the last line consumed.
    public var lastLine: Int
    /// Bad lines in the middle of the file (corruption, not a crash).
    public var badLines: [ManifestProblem] = []
    /// Blank lines (harmless, but not written by VanBan).
    public var blankLines: [Int] = []
    /// A torn last line, if any.
    public var tornTail: ManifestProblem?
}

/// `manifest.jsonl`: append-only, one `ManifestRecord` per line.
///
/// Writers (`append`) take an exclusive `flock` on the manifest file, catch up on lines other
/// writers appended since this instance last read, truncate a torn tail, then append and
/// `fdatasync`. Readers never take the lock: they read complete lines and ignore a torn or
/// still-being-written last line.
package final class Manifest: @unchecked Sendable {
    public let url: URL
    public let path: String
    private let mutex = NSLock() // serializes reading and appending within this process
    private var state = ManifestState()
    private let publishedLock = NSLock()
    private var published = ManifestState() // `state` as of the last catch-up or append
    private var consumed: Int64 = 0
    private var consumedLines = 0
    private var identity: (dev: UInt64, ino: UInt64)?
    /// The file has been read at least once (an empty manifest is read once, too).
    private var scannedOnce = false

    /// The manifest of the archive at `archive` (`archive/manifest.jsonl`).
    public convenience init(archive: URL) {
        self.init(url: archive.standardizedFileURL.appendingPathComponent("manifest.jsonl"))
    }

    public init(url: URL) {
        self.url = url
        self.path = url.path
    }

    // MARK: Streaming read (no lock)

    /// Reads the manifest from `offset`, calling `body` for every record in order. Stops at
    /// the end of the last complete line. Does not take the lock.
    @discardableResult
    public static func scan(path: String, from offset: Int64 = 0, firstLine: Int = 1,
                            _ body: (ManifestRecord, _ line: Int) throws -> Void) throws -> ManifestScanResult {
        try scan(path: path, from: offset, firstLine: firstLine, skipSeqsUpTo: 0, body)
    }

    /// `scan`, but lines whose seq (read from the line's start without decoding it) is at most
    /// `skipSeqsUpTo` are skipped unparsed: a cheap way to read only new records.
    @discardableResult
    static func scan(path: String, from offset: Int64 = 0, firstLine: Int = 1, skipSeqsUpTo: Int,
                     _ body: (ManifestRecord, _ line: Int) throws -> Void) throws -> ManifestScanResult {
        let decoder = JSONDecoder()
        var result = ManifestScanResult(goodEnd: offset, lastLine: firstLine - 1)
        let fd: Int32
        do { fd = try POSIX.open(path, O_RDONLY) } catch {
            if errno == ENOENT { return result }
            throw error
        }
        defer { close(fd) }
        let chunkSize = 1 << 20
        var buffer = [UInt8]()
        var bufferStart = offset     // file offset of buffer[0]
        var readPos = offset
        var lineNo = firstLine - 1
        // A bad complete line is only known to be in the middle once another line follows.
        var pendingBad: ManifestProblem?
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        while true {
            let n = chunk.withUnsafeMutableBytes { buffer in
                SystemCall.retrying { pread(fd, buffer.baseAddress!, chunkSize, off_t(readPos)) }
            }
            if n < 0 { throw POSIX.error("read", path) }
            if n == 0 { break }
            readPos += Int64(n)
            buffer.append(contentsOf: chunk[0..<n])
            var start = 0
            while let nl = buffer[start...].firstIndex(of: 0x0A) {
                lineNo += 1
                let lineOffset = bufferStart + Int64(start)
                let line = buffer[start..<nl]
                start = nl + 1
                if let bad = pendingBad { result.badLines.append(bad); pendingBad = nil }
                if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
                    result.blankLines.append(lineNo)
                    result.goodEnd = bufferStart + Int64(start)
                    result.lastLine = lineNo
                    continue
                }
                do {
                    if skipSeqsUpTo > 0, let seq = ManifestRecord.fastSeq(line), seq <= skipSeqsUpTo {
                        result.goodEnd = bufferStart + Int64(start)
                        result.lastLine = lineNo
                        continue
                    }
                    let record = try ManifestRecord.parse(line, decoder: decoder)
                    try body(record, lineNo)
                } catch let e as ArchiveError {
                    pendingBad = ManifestProblem(line: lineNo, offset: lineOffset, reason: "unparsable line: \(e.message)", isTornTail: false)
                    continue
                }
                result.goodEnd = bufferStart + Int64(start)
                result.lastLine = lineNo
            }
            if start > 0 {
                buffer.removeFirst(start)
                bufferStart += Int64(start)
            }
        }
        if !buffer.isEmpty && buffer.allSatisfy({ $0 == 0x20 }) {
            // Padding written before a line that was never written: nothing was lost.
            if let bad = pendingBad {
                result.tornTail = ManifestProblem(line: bad.line, offset: bad.offset,
                                                  reason: "torn last line (\(bad.reason))", isTornTail: true)
                result.goodEnd = bad.offset
            }
        } else if !buffer.isEmpty {
            if let bad = pendingBad { result.badLines.append(bad); pendingBad = nil }
            result.tornTail = ManifestProblem(line: lineNo + 1, offset: bufferStart,
                                              reason: "torn last line (\(buffer.count) bytes without a newline)", isTornTail: true)
        } else if let bad = pendingBad {
            // The last complete line does not parse: treat it as torn (a crash can leave
            // garbage after the last good line), never as data.
            result.tornTail = ManifestProblem(line: bad.line, offset: bad.offset,
                                              reason: "torn last line (\(bad.reason))", isTornTail: true)
            result.goodEnd = bad.offset
        }
        return result
    }

    /// Every record with seq greater than `seq`, in file order.
    public func records(after seq: Int = 0) throws -> [ManifestRecord] {
        var out: [ManifestRecord] = []
        try Self.scan(path: path, skipSeqsUpTo: seq) { r, _ in if r.seq > seq { out.append(r) } }
        return out
    }

    /// Calls `body` for every record with seq greater than `seq`, streaming.
    @discardableResult
    public func forEachRecord(after seq: Int = 0, _ body: (ManifestRecord) throws -> Void) throws -> ManifestScanResult {
        try Self.scan(path: path, skipSeqsUpTo: seq) { r, _ in if r.seq > seq { try body(r) } }
    }

    // MARK: State

    /// Catches up with lines appended since the last call (no lock) and returns the state.
    @discardableResult
    public func refresh() throws -> ManifestState {
        try mutex.withLock {
            try catchUp(fd: nil)
            return state
        }
    }

    /// The state as of the last refresh or append. Never waits for an append in progress.
    public var snapshot: ManifestState { publishedLock.withLock { published } }

    private func publish() {
        let s = state
        publishedLock.withLock { published = s }
    }

    /// Reads new complete lines into `state`. Must hold `mutex`.
    private func catchUp(fd: Int32?) throws {
        var st = stat()
        let statOK = fd.map { fstat($0, &st) == 0 } ?? (stat(path, &st) == 0)
        if !statOK {
            if fd == nil && errno == ENOENT { reset(); return }
            throw POSIX.error("stat", path)
        }
        let id = (UInt64(st.st_dev), UInt64(st.st_ino))
        if let identity, identity != id || Int64(st.st_size) < consumed {
            reset() // replaced or rewritten by someone else: read it again
        }
        identity = id
        if Int64(st.st_size) == consumed, scannedOnce { return }
        let scan = try Self.scan(path: path, from: consumed, firstLine: consumedLines + 1) { r, _ in state.apply(r) }
        scannedOnce = true
        consumed = scan.goodEnd
        consumedLines = scan.lastLine
        publish()
    }

    private func reset() {
        state = ManifestState()
        publish()
        consumed = 0
        consumedLines = 0
        identity = nil
        scannedOnce = false
    }

    // MARK: Writing

    /// An append in progress: decide against the up-to-date state, add records.
    public struct Transaction {
        public let state: ManifestState
        public let importedAt: String
        fileprivate var pending: [String: ManifestRecord] = [:]
        fileprivate var pendingVersions: [String: Int] = [:]
        fileprivate var added: [ManifestRecord] = []

        /// The current version of `id`, including records added in this transaction.
        public func current(_ id: String) -> ManifestRecord? { pending[id] ?? state.current[id] }

        /// The number of versions `id` has, including records added in this transaction.
        public func versions(_ id: String) -> Int { (state.versions[id] ?? 0) + (pendingVersions[id] ?? 0) }

        /// Appends `record` with the next seq (and `importedAt` when it has none); returns it.
        public mutating func add(_ record: ManifestRecord) -> ManifestRecord {
            var r = record
            r.seq = state.lastSeq + added.count + 1
            if r.importedAt.isEmpty { r.importedAt = importedAt }
            added.append(r)
            pending[r.id] = r
            pendingVersions[r.id, default: 0] += 1
            return r
        }

        public var addedRecords: [ManifestRecord] { added }
    }

    /// Under the writers' lock: catches up with other writers, lets `decide` add records,
    /// repairs a torn tail, appends the records with one write and makes them durable
    /// (`fdatasync`) before returning. Nothing is written when `decide` adds nothing or throws.
    public func append<T>(_ decide: (inout Transaction) throws -> T) throws -> (result: T, records: [ManifestRecord]) {
        try mutex.withLock {
            let created = !POSIX.exists(path)
            let fd = try POSIX.open(path, O_RDWR | O_CREAT, 0o644)
            defer { close(fd) }
            if SystemCall.retrying({ flock(fd, LOCK_EX) }) != 0 { throw POSIX.error("flock", path) }
            defer { flock(fd, LOCK_UN) }
            try catchUp(fd: fd)
            var tx = Transaction(state: state, importedAt: ManifestRecord.timestamp())
            let result = try decide(&tx)
            guard !tx.added.isEmpty else { return (result, []) }

            try cutTail(fd: fd)
            let lines = tx.added.map { $0.jsonLine() + [0x0A] }
            let written: Int64
            do {
                written = try Self.writeLines(lines, fd: fd, at: consumed, path: path)
                try POSIX.fdatasync(fd, path: path)
            } catch {
                _ = ftruncate(fd, off_t(consumed)) // leave no partial line behind if we can
                throw error
            }
            if created { try POSIX.syncDirectory((path as NSString).deletingLastPathComponent) }
            for r in tx.added { state.apply(r) }
            publish()
            consumed += written
            consumedLines += tx.added.count
            return (result, tx.added)
        }
    }

    /// A torn tail (crash mid-append) or garbage after the last good line: kept aside (see
    /// `setAside`), then cut. Must hold `mutex` and the lock, after `catchUp(fd:)`. Returns the
    /// name the tail is kept under.
    @discardableResult
    private func cutTail(fd: Int32) throws(ArchiveError) -> String? {
        guard Int64(POSIX.fileSizeOf(fd)) > consumed else { return nil }
        let kept = try Self.setAside(fd: fd, from: consumed, path: path)
        if ftruncate(fd, off_t(consumed)) != 0 { throw POSIX.error("ftruncate", path) }
        try POSIX.fdatasync(fd, path: path)
        return kept
    }

    /// `verify --repair`: under the writers' lock, moves a torn tail aside (kept in
    /// `manifest.jsonl.torn-*`, never deleted) and cuts the manifest back to its last good
    /// line; `whileLocked` runs under the same lock (the caller cleans up leftovers there).
    /// Returns the name the tail is kept under, nil when there was none.
    public func repairTail(whileLocked: () -> Void = {}) throws -> String? {
        try mutex.withLock {
            guard POSIX.exists(path) else { whileLocked(); return nil }
            let fd = try POSIX.open(path, O_RDWR)
            defer { close(fd) }
            if SystemCall.retrying({ flock(fd, LOCK_EX) }) != 0 { throw POSIX.error("flock", path) }
            defer { flock(fd, LOCK_UN) }
            try catchUp(fd: fd)
            whileLocked()
            return try cutTail(fd: fd)
        }
    }

    /// Runs `body` holding the writers' lock: what runs here never overlaps an append by any
    /// process. Without `create`, a missing manifest is not created (and nothing is locked).
    public func withWritersLock<T>(create: Bool = false, _ body: () throws -> T) throws -> T {
        try mutex.withLock {
            if !create && !POSIX.exists(path) { return try body() }
            let created = !POSIX.exists(path)
            let fd = try POSIX.open(path, create ? O_RDONLY | O_CREAT : O_RDONLY, 0o644)
            if created { try POSIX.syncDirectory((path as NSString).deletingLastPathComponent) }
            defer { close(fd) }
            if SystemCall.retrying({ flock(fd, LOCK_EX) }) != 0 { throw POSIX.error("flock", path) }
            defer { flock(fd, LOCK_UN) }
            return try body()
        }
    }

    static let pageSize = Int64(max(4096, sysconf(Int32(_SC_PAGESIZE))))

    /// Writes `lines` from `offset` so that a process killed at any instant (SIGKILL, Ctrl-C)
    /// never leaves half a line: Linux only splits a write(2) for a fatal signal between pages,
    /// so every write lies within one page and ends at a line end. A line that would cross a
    /// page boundary starts on the next page instead, after a separate write of spaces (JSON
    /// allows leading whitespace; a spaces-only tail is not a torn line). Only a line longer
    /// than a page can still be cut by a kill. Returns the number of bytes written.
    static func writeLines(_ lines: [[UInt8]], fd: Int32, at offset: Int64, path: String) throws(ArchiveError) -> Int64 {
        let page = pageSize
        var pos = offset
        var chunk: [UInt8] = []
        var chunkStart = offset
        func flush() throws(ArchiveError) {
            guard !chunk.isEmpty else { return }
            try POSIX.writeAll(fd, chunk, offset: chunkStart, path: path)
            chunkStart += Int64(chunk.count)
            chunk.removeAll(keepingCapacity: true)
        }
        for line in lines {
            let n = Int64(line.count)
            let pageEnd = (pos / page + 1) * page
            if pos + n <= pageEnd {
                chunk += line
                pos += n
                continue
            }
            try flush()
            if n <= page && pos % page != 0 {
                try POSIX.writeAll(fd, [UInt8](repeating: 0x20, count: Int(pageEnd - pos)), offset: pos, path: path)
                pos = pageEnd
                chunkStart = pos
            }
            chunk = line
            pos += n
            if n > page { try flush() }
        }
        try flush()
        return pos - offset
    }

    /// True when some process holds the writers' lock right now (an import is running).
    /// Probes with a non-blocking shared lock, released at once.
    public func isWriterActive() -> Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        if flock(fd, LOCK_SH | LOCK_NB) == 0 {
            flock(fd, LOCK_UN)
            return false
        }
        return errno == EWOULDBLOCK
    }
}
