import Archive
import Foundation

/// Packing the archive's loose objects (Archive/Packer.swift), by `vanban pack` or on its own
/// after an import batch.
extension Library {
    /// The loose objects past which an import packs them when it ends: VANBAN_PACK_THRESHOLD
    /// (0: never), else 1,000. A loose object costs a file (a 4 KB block and an inode for
    /// ~1.6 KB of gzip on the corpus); 1,000 of them are about 4 MB on disk, and packing them
    /// takes about 0.1 s, so the loose part stays small for little work. A long import also
    /// packs between batches, past `packDuringImportFactor` times the threshold.
    public static let environmentPackThreshold: Int = {
        guard let text = ProcessInfo.processInfo.environment["VANBAN_PACK_THRESHOLD"], let n = Int(text), n >= 0 else { return 1000 }
        return n
    }()

    /// Moves the loose objects into a pack and merges small packs into it (all packs with
    /// `all`), under the archive's writers' lock. See `ObjectStore.pack` for the crash
    /// protocol. Throws when the archive cannot be written; objects that could not be packed
    /// (no good copy) are the report's `problems`, left where they are.
    public func pack(all: Bool = false, progress: ((PackProgress) -> Void)? = nil) throws -> PackReport {
        var options = PackOptions()
        options.all = all
        options.progress = progress
        options.step = packPause.hook()
        let store = self.store
        let report = try manifest.withWritersLock(create: FileManager.default.fileExists(atPath: store.objectsPath)) {
            try store.pack(options)
        }
        // Objects that could not be packed do not count towards the next run.
        packLock.withLock { looseEstimate = max(0, report.looseAfter - report.problems.count) }
        return report
    }

    /// During a long import, packing waits for this many times the threshold: packing between
    /// batches makes the file system slow to create the next batch's files (ext4 passes over
    /// the inodes it freed in the last minutes: measured on the corpus, an import packing every
    /// 1,000 objects took twice as long as one packing once at the end).
    static let packDuringImportFactor = 16

    /// After an import batch that wrote `newObjects` loose objects (`last`: the import's last
    /// batch): packs when about `threshold` objects are loose at the end of an import, or
    /// `packDuringImportFactor` times that after any batch. Returns a warning when packing
    /// failed (the objects simply stay loose; nothing is lost), else nil.
    func packIfNeeded(newObjects: Int, threshold: Int, last: Bool) -> (report: PackReport?, warning: String?) {
        guard threshold > 0 else { return (nil, nil) }
        let limit = last ? threshold : threshold * Self.packDuringImportFactor
        let due = packLock.withLock { () -> Bool in
            let now = (looseEstimate ?? store.looseObjectCount()) + (looseEstimate == nil ? 0 : newObjects)
            looseEstimate = now
            return now >= limit
        }
        guard due else { return (nil, nil) }
        do {
            return (try pack(), nil)
        } catch {
            // Not again at every batch: count from zero (the next attempt comes after as many
            // new objects again).
            packLock.withLock { looseEstimate = 0 }
            return (nil, "packing the loose objects failed (\(error)); they stay loose, nothing is lost")
        }
    }
}
