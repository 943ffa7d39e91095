import Foundation
import Platform

/// The archive's identity: 32 random hex digits in `archive/archive-id`, written once, by the
/// archive's first write, and never changed. An index records the id of the archive it was
/// built from, so an index that belongs to another archive is recognised and rebuilt instead
/// of being served (see `Library`'s index check).
///
/// Invariant: the file appears complete or not at all. It is written to a temporary file,
/// synced, then `link`ed to its name: of two processes creating it at once, the first link
/// wins and both read the winner's id.
package enum ArchiveIdentity {
    public static let fileName = "archive-id"

    /// The id, or nil when the archive has none yet (an archive made before ids, or empty).
    public static func read(archive: URL) throws(ArchiveError) -> String? {
        let path = archive.standardizedFileURL.path + "/" + fileName
        guard POSIX.exists(path) else { return nil }
        let text = String(decoding: try POSIX.readFile(path), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard ContentHash.isLowerHex(text, count: 32) else {
            throw ArchiveError("\(path): not an archive id (expected 32 hex digits)")
        }
        return text
    }

    /// The id, created now when the archive has none. The archive directory must exist.
    @discardableResult
    public static func ensure(archive: URL) throws(ArchiveError) -> String {
        if let id = try read(archive: archive) { return id }
        let root = archive.standardizedFileURL.path
        let path = root + "/" + fileName
        let temporary = root + "/.\(fileName).\(getpid()).tmp"
        let id = (0..<2).map { _ in String(format: "%016llx", UInt64.random(in: 0...UInt64.max)) }.joined()
        let fd = try POSIX.open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o444)
        do {
            try POSIX.writeAll(fd, Array((id + "\n").utf8), path: temporary)
            try POSIX.fsync(fd, path: temporary)
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
        close(fd)
        let linked = link(temporary, path) == 0 ? 0 : errno
        unlink(temporary)
        if linked != 0 && linked != EEXIST { throw POSIX.error("link", path, linked) }
        try POSIX.syncDirectory(root)
        guard let winner = try read(archive: archive) else { throw ArchiveError("\(path): archive id vanished") }
        return winner
    }
}
