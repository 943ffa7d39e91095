import Foundation

/// Results derived from an object that are too slow to compute again at every reindex (the
/// OCR of a scanned PDF): `derived/<kind>/ab/<62 hex>.gz` holds the gzip of what was derived
/// from the object of that hash. A cache, not part of the archive's truth: `verify` does not
/// read it, deleting `derived/` only costs the time to compute it again, and an entry that
/// cannot be read is treated as absent. Writes go to a temporary file renamed into place, so a
/// reader sees a whole entry or none; a failed write is ignored (the result is simply not kept).
package struct DerivedStore: Sendable {
    /// Absolute path of `derived/`.
    public let root: String

    public init(archive: URL) {
        root = archive.standardizedFileURL.path + "/derived"
    }

    /// `derived/<kind>/ab/<62 hex>.gz`.
    public func path(kind: String, hash: String) -> String {
        "\(root)/\(kind)/\(hash.prefix(2))/\(hash.dropFirst(2)).gz"
    }

    /// What was kept for the object `hash`, or nil.
    public func load(kind: String, hash: String) -> [UInt8]? {
        guard let data = FileManager.default.contents(atPath: path(kind: kind, hash: hash)) else { return nil }
        return try? Gzip.decompress([UInt8](data))
    }

    /// Keeps `bytes` for the object `hash` (best effort).
    public func store(_ bytes: [UInt8], kind: String, hash: String) {
        let target = path(kind: kind, hash: hash)
        let directory = (target as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let temporary = directory + "/.tmp-\(UUID().uuidString)"
            guard FileManager.default.createFile(atPath: temporary, contents: Data(Gzip.compress(bytes))) else { return }
            if rename(temporary, target) != 0 { unlink(temporary) }
        } catch {
            return
        }
    }
}
