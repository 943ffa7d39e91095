import DocumentModel
import Archive
import Foundation
import SearchIndex

/// Checking and counting the archive.
extension Library {
    /// Re-hashes every object and checks every manifest line (see `ArchiveVerifier`).
    public func verify(progress: ((VerifyProgress) -> Void)? = nil) -> VerifyReport {
        ArchiveVerifier.verify(archive: archiveURL, progress: progress)
    }

    /// `verify --repair`: under the archive's writers' lock, moves a torn manifest tail aside
    /// (kept as `manifest.jsonl.torn-*`, never deleted) and removes temporary object files of
    /// dead processes; then removes index generations a killed reindex left. Only leftovers of
    /// interrupted work are touched: nothing any record refers to.
    public func repair() throws -> RepairReport {
        var report = RepairReport()
        guard FileManager.default.fileExists(atPath: manifest.path) || FileManager.default.fileExists(atPath: store.objectsPath) else { return report }
        report.tornTailKeptAs = try manifest.repairTail {
            report.temporaryFilesRemoved = store.removeStaleTemporaryFiles()
        }
        report.indexGenerationsRemoved = IndexConnection.removeOrphanGenerations(in: indexURL)
        return report
    }

    /// Counts from the manifest.
    public func stats() throws -> ArchiveStats {
        var stats = ArchiveStats()
        var objects: [String: (size: Int, stored: Int)] = [:]
        var current: [String: ManifestRecord] = [:]
        let scan = try manifest.forEachRecord { r in
            stats.versions += 1
            current[r.id] = r
            if objects[r.hash] == nil { objects[r.hash] = (r.size, r.storedSize) }
        }
        stats.tornTail = scan.tornTail != nil
        stats.documents = current.count
        stats.objects = objects.count
        for o in objects.values { stats.originalBytes += o.size; stats.storedBytes += o.stored }
        for r in current.values {
            stats.bySource[r.metadata.source ?? ArchiveStats.none, default: .init()].add(r)
            stats.byKind[r.metadata.kind ?? ArchiveStats.none, default: .init()].add(r)
        }
        return stats
    }
}

/// What `stats` reports.
public struct ArchiveStats: Sendable {
    public struct Group: Sendable {
        public var documents = 0
        /// Original bytes of the groups' current versions.
        public var bytes = 0
        mutating func add(_ r: ManifestRecord) { documents += 1; bytes += r.size }
    }
    /// The group name for documents without a source or kind.
    public static let none = "(none)"
    /// Distinct document ids.
    public var documents = 0
    /// Manifest records (every version of every document).
    public var versions = 0
    /// Distinct objects referenced by the manifest.
    public var objects = 0
    /// Original bytes of those objects.
    public var originalBytes = 0
    /// Compressed bytes of those objects.
    public var storedBytes = 0
    public var bySource: [String: Group] = [:]
    public var byKind: [String: Group] = [:]
    /// The manifest ends with a torn line (ignored; the next import or `repair` moves it aside).
    public var tornTail = false
    /// stored / original (0 when empty).
    public var ratio: Double { originalBytes == 0 ? 0 : Double(storedBytes) / Double(originalBytes) }
}

/// What `repair` did.
public struct RepairReport: Sendable {
    /// The file a torn manifest tail was moved to (beside the manifest), if there was one.
    public var tornTailKeptAs: String?
    /// Temporary object files of dead processes removed.
    public var temporaryFilesRemoved = 0
    /// Unfinished index generations removed.
    public var indexGenerationsRemoved: [String] = []
    /// One line per thing done, for a person.
    public var lines: [String] {
        var out: [String] = []
        if let t = tornTailKeptAs { out.append("moved the torn last line of manifest.jsonl to \(t)") }
        if temporaryFilesRemoved > 0 { out.append("removed \(temporaryFilesRemoved) temporary object files left by interrupted imports") }
        if !indexGenerationsRemoved.isEmpty { out.append("removed unfinished index generations: \(indexGenerationsRemoved.joined(separator: ", "))") }
        return out
    }
}
