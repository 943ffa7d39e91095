import Foundation
import Platform

// A torn manifest tail (a crash in the middle of an append, or garbage after the last good
// line) is never simply deleted: before the manifest is cut back to its last good line, the
// bytes are copied to `manifest.jsonl.torn-<UTC time>` beside it and synced. Nothing in the
// tail was acknowledged (a record is acknowledged only once its whole line is durable), but a
// person may want to look at it, and a file that is kept can be looked at.

extension Manifest {
    /// The name a tail cut now is kept under.
    static func tornTailName() -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return "manifest.jsonl.torn-\(f.string(from: Date()))-\(getpid())"
    }

    /// Copies the bytes of `fd` from `offset` to its end into a new file beside `path` (unless
    /// they are only the spaces a page-aligned append writes), syncs it, and returns its name.
    /// The caller holds the writers' lock and truncates afterwards.
    static func setAside(fd: Int32, from offset: Int64, path: String) throws(ArchiveError) -> String? {
        let size = Int64(POSIX.fileSizeOf(fd))
        guard size > offset else { return nil }
        var tail = [UInt8](repeating: 0, count: Int(size - offset))
        let n = tail.withUnsafeMutableBytes { b in SystemCall.retrying { pread(fd, b.baseAddress!, b.count, off_t(offset)) } }
        if n < 0 { throw POSIX.error("read", path) }
        tail.removeLast(tail.count - n)
        if tail.allSatisfy({ $0 == 0x20 || $0 == 0x0A }) { return nil }
        let directory = (path as NSString).deletingLastPathComponent
        let name = tornTailName()
        let keep = directory + "/" + name
        let out = try POSIX.open(keep, O_WRONLY | O_CREAT | O_EXCL, 0o444)
        defer { close(out) }
        try POSIX.writeAll(out, tail, path: keep)
        try POSIX.fsync(out, path: keep)
        try POSIX.syncDirectory(directory)
        return name
    }
}
