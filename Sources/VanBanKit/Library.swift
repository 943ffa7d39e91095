import Extraction
import Foundation

/// VanBan's facade over the archive (and, later, the index): what the CLI and the HTTP server
/// call. Opening is cheap; the manifest is read on first use and caught up incrementally.
public final class Library: @unchecked Sendable {
    public let archiveURL: URL
    /// Where the search index lives (managed by the index code, not here).
    public let indexURL: URL
    public let store: ObjectStore
    public let manifest: Manifest
    private let importLock = NSLock()

    /// Opens the archive at `archive`. With `create`, makes the directory when missing;
    /// otherwise a missing archive is an error.
    public init(archive: URL, index: URL, create: Bool = false) throws {
        archiveURL = archive.standardizedFileURL
        indexURL = index.standardizedFileURL
        store = ObjectStore(archive: archiveURL)
        manifest = Manifest(archive: archiveURL)
        var isDir: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: archiveURL.path, isDirectory: &isDir)
        if exists && !isDir.boolValue {
            throw LibraryError(.noArchive, "\(archiveURL.path): not a directory")
        }
        if create {
            try store.createDirectories()
        } else if !exists {
            throw LibraryError(.noArchive, "no archive at \(archiveURL.path) (import documents first, or pass --archive DIR)")
        }
    }

    // MARK: Import

    /// Imports documents: see `Importer`. `report` is called once per input document, in
    /// input order, after its fate is durable. Throws only for usage errors and failures that
    /// stop everything (e.g. the archive cannot be written); per-document problems are results.
    @discardableResult
    public func importDocuments(_ inputs: [ImportInput], options: ImportOptions = ImportOptions(),
                                observer: ImportObserver? = nil,
                                report: (ImportResult) -> Void = { _ in },
                                progress: ((ImportProgress) -> Void)? = nil) throws -> ImportSummary {
        try importLock.withLock {
            try withoutActuallyEscaping(report) { report in
                try Importer(library: self, options: options, observer: observer, progress: progress, report: report).run(inputs)
            }
        }
    }

    // MARK: Reading

    /// The current version of every document, in seq order.
    public func allCurrentRecords() throws -> [ManifestRecord] {
        try manifest.refresh().currentRecords
    }

    /// Every record (all versions) with seq greater than `seq`, in order.
    public func records(after seq: Int = 0) throws -> [ManifestRecord] {
        try manifest.records(after: seq)
    }

    /// The highest seq in the manifest (0 when empty): what an index compares its own
    /// last-applied seq with to catch up (`records(after:)`). Reads only the manifest's tail.
    public func lastSeq() throws -> Int {
        try manifest.lastSequence()
    }

    /// How many versions the document `id` has.
    public func versionCount(of id: String) throws -> Int {
        try manifest.refresh().versions[id] ?? 0
    }

    /// Finds a document by id, by key, or by a unique id prefix of at least 6 hex digits.
    public func resolve(_ idOrKey: String) throws -> ManifestRecord {
        let state = try manifest.refresh()
        let lower = idOrKey.lowercased()
        if ContentHash.isLowerHex(lower, count: 16), let r = state.current[lower] { return r }
        if let r = state.current[ContentHash.documentID(key: idOrKey)], r.key == idOrKey { return r }
        if lower.count >= 6 && lower.count < 16 && ContentHash.isLowerHex(lower) {
            let matches = state.current.keys.filter { $0.hasPrefix(lower) }.sorted()
            if matches.count == 1 { return state.current[matches[0]]! }
            if matches.count > 1 {
                throw LibraryError(.ambiguous, "id prefix '\(idOrKey)' is ambiguous: \(matches.prefix(5).joined(separator: ", "))\(matches.count > 5 ? ", ..." : "")")
            }
        }
        throw LibraryError(.notFound, "no document with id or key '\(idOrKey)'")
    }

    /// The document's current record and extracted text.
    public func document(idOrKey: String) throws -> (record: ManifestRecord, text: String) {
        let r = try resolve(idOrKey)
        return (r, try text(of: r))
    }

    /// The document's current record and original bytes (verified against the hash).
    public func original(idOrKey: String) throws -> (record: ManifestRecord, bytes: [UInt8]) {
        let r = try resolve(idOrKey)
        return (r, try store.bytes(r.hash))
    }

    /// Inflates the record's object and extracts its text (as at import: same hints).
    public func text(of record: ManifestRecord) throws -> String {
        let bytes = try store.bytes(record.hash)
        do {
            return try Extractor().extract(bytes, fileName: record.fileName, mediaType: record.mediaType).text
        } catch {
            throw LibraryError(.corrupt, "\(record.objectPath): cannot extract text: \(error.reason)")
        }
    }

    // MARK: Checking

    /// Re-hashes every object and checks every manifest line (see `ArchiveVerifier`).
    public func verify(progress: ((VerifyProgress) -> Void)? = nil) -> VerifyReport {
        ArchiveVerifier.verify(archive: archiveURL, progress: progress)
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
            stats.bySource[r.source ?? ArchiveStats.none, default: .init()].add(r)
            stats.byKind[r.kind ?? ArchiveStats.none, default: .init()].add(r)
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
    /// The manifest ends with a torn line (ignored; the next import removes it).
    public var tornTail = false
    /// stored / original (0 when empty).
    public var ratio: Double { originalBytes == 0 ? 0 : Double(storedBytes) / Double(originalBytes) }
}
