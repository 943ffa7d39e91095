import CSystemZlib
import Platform

/// Thin, throwing wrappers over the POSIX calls the archive needs. Every error names the path.
enum POSIX {
    static func errorText(_ code: Int32) -> String { SystemCall.describe(code) }

    static func error(_ op: String, _ path: String, _ code: Int32 = errno) -> ArchiveError {
        ArchiveError("\(path): \(op): \(errorText(code))")
    }

    static func open(_ path: String, _ flags: Int32, _ mode: mode_t = 0o644) throws(ArchiveError) -> Int32 {
        let fd = SystemCall.retrying { LibC.open(path, flags | O_CLOEXEC, mode) }
        if fd < 0 { throw error("open", path) }
        return fd
    }

    /// Writes all of `bytes` at the current position (or at `offset` when given).
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, offset: Int64? = nil, path: String) throws(ArchiveError) {
        let code = SystemCall.writeAll(fd, bytes, offset: offset)
        if code != 0 { throw error("write", path, code) }
    }

    /// Writes all of `bytes` (see above) from an array.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8], offset: Int64? = nil, path: String) throws(ArchiveError) {
        let r: Result<Void, ArchiveError> = bytes.withUnsafeBytes { b in
            do throws(ArchiveError) { try writeAll(fd, b, offset: offset, path: path); return .success(()) }
            catch { return .failure(error) }
        }
        try r.get()
    }

    static func fsync(_ fd: Int32, path: String) throws(ArchiveError) {
        if SystemCall.retrying({ LibC.fsync(fd) }) != 0 { throw error("fsync", path) }
    }

    static func fdatasync(_ fd: Int32, path: String) throws(ArchiveError) {
        if SystemCall.retrying({ LibC.fdatasync(fd) }) != 0 { throw error("fdatasync", path) }
    }

    /// fsyncs a directory so that entries created or renamed in it are durable.
    static func syncDirectory(_ path: String) throws(ArchiveError) {
        let fd = try open(path, O_RDONLY | O_DIRECTORY)
        defer { close(fd) }
        try fsync(fd, path: path)
    }

    /// Flushes every dirty page and inode of the file system holding `path` (Linux `syncfs`);
    /// elsewhere falls back to `sync()`.
    static func syncFileSystem(_ path: String) throws(ArchiveError) {
        #if os(Linux)
        let fd = try open(path, O_RDONLY | O_DIRECTORY)
        defer { close(fd) }
        if CSystemZlib.syncfs(fd) != 0 { throw error("syncfs", path) }
        #else
        sync()
        #endif
    }

    static func rename(_ from: String, _ to: String) throws(ArchiveError) {
        if LibC.rename(from, to) != 0 { throw error("rename to \(to)", from) }
    }

    static func mkdir(_ path: String) throws(ArchiveError) -> Bool {
        if LibC.mkdir(path, 0o755) == 0 { return true }
        if errno == EEXIST { return false }
        throw error("mkdir", path)
    }

    /// Size of a regular file, nil when it does not exist.
    static func fileSize(_ path: String) -> Int? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return Int(st.st_size)
    }

    static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    /// Reads a whole file. Throws when it cannot be opened or read.
    static func readFile(_ path: String) throws(ArchiveError) -> [UInt8] {
        let fd = try open(path, O_RDONLY)
        defer { close(fd) }
        return try readAll(fd, path: path, sizeHint: fileSizeOf(fd))
    }

    /// Reads a whole file; nil when it does not exist (ENOENT). Throws for any other failure.
    static func readFileIfPresent(_ path: String) throws(ArchiveError) -> [UInt8]? {
        let fd = SystemCall.retrying { LibC.open(path, O_RDONLY | O_CLOEXEC, 0) }
        if fd < 0 {
            let code = errno
            if code == ENOENT { return nil }
            throw error("open", path, code)
        }
        defer { close(fd) }
        return try readAll(fd, path: path, sizeHint: fileSizeOf(fd))
    }

    static func fileSizeOf(_ fd: Int32) -> Int {
        var st = stat()
        return fstat(fd, &st) == 0 ? Int(st.st_size) : 0
    }

    /// Reads from `fd` until end of file, or until more than `limit` bytes have been read
    /// (then the result holds `limit + 1` bytes so the caller can tell).
    static func readAll(_ fd: Int32, path: String, sizeHint: Int = 0, limit: Int = Int.max) throws(ArchiveError) -> [UInt8] {
        var out = [UInt8]()
        var capacity = max(sizeHint + 1, 64 * 1024)
        if limit < Int.max { capacity = min(capacity, limit + 1) }
        out.reserveCapacity(capacity)
        // The chunk is no bigger than the file is expected to be: zeroing a 1 MiB chunk for
        // every 5 KB object was a tenth of `vanban reindex`.
        var chunk = [UInt8](repeating: 0, count: min(1 << 20, max(sizeHint + 1, 4096)))
        while out.count <= limit {
            let want = min(chunk.count, limit == Int.max ? chunk.count : limit + 1 - out.count)
            if want <= 0 { break }
            let n = chunk.withUnsafeMutableBytes { buffer in SystemCall.retrying { read(fd, buffer.baseAddress!, want) } }
            if n < 0 { throw error("read", path) }
            if n == 0 { break }
            out.append(contentsOf: chunk[0..<n])
        }
        return out
    }

    /// Names in a directory (excluding "." and ".."), unsorted. Throws when unreadable.
    static func listDirectory(_ path: String) throws(ArchiveError) -> [String] {
        guard let dir = opendir(path) else { throw error("opendir", path) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if name == "." || name == ".." { continue }
            names.append(name)
        }
        return names
    }
}
