#if canImport(Glibc)
import Glibc
import CSystemZlib
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Thin, throwing wrappers over the POSIX calls the archive needs. Every error names the path.
enum POSIX {
    static func errorText(_ code: Int32) -> String {
        String(cString: strerror(code))
    }

    static func error(_ op: String, _ path: String, _ code: Int32 = errno) -> ArchiveError {
        ArchiveError("\(path): \(op): \(errorText(code))")
    }

    static func open(_ path: String, _ flags: Int32, _ mode: mode_t = 0o644) throws(ArchiveError) -> Int32 {
        while true {
            let fd = Glibc_open(path, flags | O_CLOEXEC, mode)
            if fd >= 0 { return fd }
            if errno == EINTR { continue }
            throw error("open", path)
        }
    }

    /// Writes all of `bytes` at the current position (or at `offset` when given).
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, offset: Int64? = nil, path: String) throws(ArchiveError) {
        var done = 0
        while done < bytes.count {
            let base = bytes.baseAddress! + done
            let n: Int
            if let offset { n = pwrite(fd, base, bytes.count - done, off_t(offset + Int64(done))) }
            else { n = write(fd, base, bytes.count - done) }
            if n < 0 {
                if errno == EINTR { continue }
                throw error("write", path)
            }
            done += n
        }
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
        while Glibc_fsync(fd) != 0 {
            if errno == EINTR { continue }
            throw error("fsync", path)
        }
    }

    static func fdatasync(_ fd: Int32, path: String) throws(ArchiveError) {
        #if os(Linux)
        while Glibc_fdatasync(fd) != 0 {
            if errno == EINTR { continue }
            throw error("fdatasync", path)
        }
        #else
        try fsync(fd, path: path)
        #endif
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
        if Glibc_syncfs(fd) != 0 { throw error("syncfs", path) }
        #else
        sync()
        #endif
    }

    static func rename(_ from: String, _ to: String) throws(ArchiveError) {
        if Glibc_rename(from, to) != 0 { throw error("rename to \(to)", from) }
    }

    static func mkdir(_ path: String) throws(ArchiveError) -> Bool {
        if Glibc_mkdir(path, 0o755) == 0 { return true }
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
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, want) }
            if n < 0 {
                if errno == EINTR { continue }
                throw error("read", path)
            }
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

// Module-qualified aliases so the wrappers above can reuse the C names.
#if canImport(Glibc)
@inline(__always) func Glibc_open(_ p: String, _ f: Int32, _ m: mode_t) -> Int32 { Glibc.open(p, f, m) }
@inline(__always) func Glibc_fsync(_ fd: Int32) -> Int32 { Glibc.fsync(fd) }
@inline(__always) func Glibc_fdatasync(_ fd: Int32) -> Int32 { Glibc.fdatasync(fd) }
@inline(__always) func Glibc_syncfs(_ fd: Int32) -> Int32 { CSystemZlib.syncfs(fd) }
@inline(__always) func Glibc_rename(_ a: String, _ b: String) -> Int32 { Glibc.rename(a, b) }
@inline(__always) func Glibc_mkdir(_ p: String, _ m: mode_t) -> Int32 { Glibc.mkdir(p, m) }
#elseif canImport(Darwin)
@inline(__always) func Glibc_open(_ p: String, _ f: Int32, _ m: mode_t) -> Int32 { Darwin.open(p, f, m) }
@inline(__always) func Glibc_fsync(_ fd: Int32) -> Int32 { Darwin.fsync(fd) }
@inline(__always) func Glibc_fdatasync(_ fd: Int32) -> Int32 { Darwin.fsync(fd) }
@inline(__always) func Glibc_syncfs(_ fd: Int32) -> Int32 { Darwin.fsync(fd) }
@inline(__always) func Glibc_rename(_ a: String, _ b: String) -> Int32 { Darwin.rename(a, b) }
@inline(__always) func Glibc_mkdir(_ p: String, _ m: mode_t) -> Int32 { Darwin.mkdir(p, m) }
#endif
