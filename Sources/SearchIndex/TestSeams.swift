// Seams for tests: ways to make the index fail as a machine would, deterministically.

extension IndexConnection {
    /// Makes this connection's database unable to grow beyond its present size (SQLite's
    /// max_page_count): any write that needs a new page then fails with SQLITE_FULL, exactly
    /// as on a full disk, without filling one. Affects this connection only.
    package func simulateFullDiskForTesting() throws {
        let pages = try connection.scalarInt("PRAGMA page_count") ?? 1
        _ = try connection.scalarInt("PRAGMA max_page_count = \(pages)")
    }
}
