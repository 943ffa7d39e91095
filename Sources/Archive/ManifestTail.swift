import Foundation
import Platform

extension Manifest {
    /// The sequence number of the last complete record, read from the end of the file
    /// without parsing the rest: a search that only needs to know whether the index is
    /// caught up should not decode 35,000 lines first. 0 for a missing or empty manifest.
    public func lastSequence() throws -> Int {
        let fd = open(path, O_RDONLY)
        if fd < 0 {
            if errno == ENOENT { return 0 }
            return try refresh().lastSeq
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { return try refresh().lastSeq }
        let size = Int64(st.st_size)
        guard size > 0 else { return 0 }
        // Records hold metadata only (a few hundred bytes); 64 KiB holds many complete lines.
        let window = min(size, 64 * 1024)
        var tail = [UInt8](repeating: 0, count: Int(window))
        let n = tail.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, Int(window), off_t(size - window)) }
        guard n == window else { return try refresh().lastSeq }
        // Complete lines end with "\n"; a torn last line (no newline, or garbage) is skipped,
        // as every reader of the manifest skips it.
        var end = tail.lastIndex(of: 0x0A)
        while let lineEnd = end {
            let start = (tail[..<lineEnd].lastIndex(of: 0x0A)).map { $0 + 1 } ?? 0
            if start == 0 && window < size { break }  // the line may begin before the window
            if let record = try? ManifestRecord.parse(tail[start..<lineEnd]) { return record.seq }
            end = start > 0 ? start - 1 : nil
        }
        return try refresh().lastSeq
    }
}
