import Foundation

// Which archive an index belongs to, and how far it went: what `Library` checks before it
// serves an index. `meta.archive_id` holds the id of the archive the index was built from
// (`ArchiveIdentity`); an index whose id differs, or that has applied more records than the
// archive's manifest holds, is not this archive's cache and is rebuilt, never searched.

/// What an index says about itself.
package struct IndexIdentity: Sendable, Equatable {
    package var schema: Int
    /// nil for an index made before archive ids, or new and not yet stamped.
    package var archiveID: String?
    package var appliedSequence: Int
}

extension IndexConnection {
    /// The identity of the current generation in `directory`, nil when there is no index.
    public static func identity(in directory: URL) -> IndexIdentity? {
        guard currentGeneration(in: directory) != nil,
              let index = try? IndexConnection(directory: directory, readOnly: true) else { return nil }
        return IndexIdentity(schema: (try? index.storedSchemaVersion()) ?? 0,
                             archiveID: try? index.storedArchiveID(),
                             appliedSequence: (try? index.appliedSequence()) ?? 0)
    }

    /// The id of the archive this index was built from (nil: not recorded).
    public func storedArchiveID() throws -> String? {
        let statement = try connection.prepare("SELECT value FROM meta WHERE key = 'archive_id'")
        return try statement.step() ? statement.string(0) : nil
    }

    /// Deletes generations other than the current one (left by a reindex that was killed),
    /// unless a reindex is running now: the generation it is building is not current yet,
    /// and its `reindex.lock` (a flock, released when its process dies) says it is alive.
    /// Returns the names of the generations removed.
    @discardableResult
    public static func removeOrphanGenerations(in directory: URL) -> [String] {
        guard let current = currentGeneration(in: directory),
              let lock = try? RebuildLock(directory) else { return [] }
        defer { lock.release() }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        let orphans = names.filter { $0.hasPrefix("vanban-") && $0.hasSuffix(".sqlite") && $0 != current }
        if !orphans.isEmpty { removeGenerations(in: directory, except: current) }
        return orphans.sorted()
    }
}

extension IndexWriter {
    /// Records the id of the archive this index is built from.
    public func setArchiveID(_ id: String) throws {
        let statement = try connection.cached("INSERT OR REPLACE INTO meta(key, value) VALUES ('archive_id', ?1)")
        statement.bind(1, id)
        try statement.run()
    }
}
