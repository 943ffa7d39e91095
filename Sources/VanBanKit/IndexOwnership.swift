import Archive
import Foundation
import SearchIndex

// An index serves only the archive it was built from. Before the first use of the index in a
// `Library`, its identity (`IndexIdentity`) is compared with the archive's:
//   - another schema (another version of VanBan), another archive's id, no id at all on an
//     index that has applied records (built before archive ids: it cannot say whose it is),
//     or more records applied than the manifest holds (ahead of its archive)
//     -> rebuilt from the archive, with a notice saying why;
//   - a new, empty index -> stamped with the archive's id;
// and generations a killed reindex left behind are removed (never the one a running reindex
// is building: see `IndexConnection.removeOrphanGenerations`).

extension Library {
    /// The archive's id, created when the archive has none and can be written (an archive
    /// from before ids gets one on first use); nil for a read-only archive without one.
    func archiveIdentity() -> String? {
        if let id = try? ArchiveIdentity.read(archive: archiveURL) { return id }
        guard access(archiveURL.path, W_OK) == 0 else { return nil }
        return try? ArchiveIdentity.ensure(archive: archiveURL)
    }

    /// Why the index cannot serve this archive as it is (nil: it can).
    func reasonToRebuild(_ index: IndexIdentity, archiveID: String?, lastSeq: Int) -> String? {
        if index.schema != IndexConnection.schemaVersion {
            return "it was built by another version of VanBan (schema \(index.schema), this one uses \(IndexConnection.schemaVersion))"
        }
        if let stored = index.archiveID, stored != archiveID {
            return "it belongs to another archive (archive id \(stored), this archive's is \(archiveID ?? "not set"))"
        }
        if index.archiveID == nil, archiveID != nil, index.appliedSequence > 0 {
            return "it does not record which archive it was built from"
        }
        if index.appliedSequence > lastSeq {
            return "it is ahead of the archive (it applied record \(index.appliedSequence), the manifest ends at \(lastSeq))"
        }
        return nil
    }

    /// Rebuilds (with a notice) or stamps the index so that it belongs to this archive, and
    /// removes orphan generations. `Library` calls it once, before the index is first used.
    func makeIndexBelong(progress: ((IndexProgress) -> Void)?) throws {
        IndexConnection.removeOrphanGenerations(in: indexURL)
        let archiveID = archiveIdentity()
        guard let identity = IndexConnection.identity(in: indexURL) else { return stamp(archiveID) }
        if let reason = reasonToRebuild(identity, archiveID: archiveID, lastSeq: try lastSeq()) {
            notice("the index in \(indexURL.path) is not this archive's: \(reason); rebuilding it from \(archiveURL.path)")
            _ = try reindex(progress: progress)
        } else if identity.archiveID == nil {
            stamp(archiveID)
        }
    }

    /// Records the archive's id in a new, empty index (creating it when missing). Best effort:
    /// an index that cannot be written now is checked again by the next `Library`.
    private func stamp(_ archiveID: String?) {
        guard let archiveID else { return }
        _ = try? withWriter { index in
            try index.write { writer in
                if try writer.appliedSequence() == 0 { try writer.setArchiveID(archiveID) }
            }
        }
    }
}
