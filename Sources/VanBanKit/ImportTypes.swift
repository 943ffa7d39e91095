@_exported import Archive
import Foundation

/// Metadata an importer gives a document (all optional). Empty strings count as absent.
public struct DocumentMetadata: Sendable, Equatable {
    /// The importer's own id: the same key with new bytes is a new version of the same document.
    public var key: String?
    public var title: String?
    public var source: String?
    public var kind: String?
    /// "YYYY-MM-DD".
    public var date: String?
    public var url: String?

    public init(key: String? = nil, title: String? = nil, source: String? = nil, kind: String? = nil,
                date: String? = nil, url: String? = nil) {
        self.key = key; self.title = title; self.source = source; self.kind = kind; self.date = date; self.url = url
    }

    /// Fields of `self`, falling back to `defaults` where absent.
    func merged(over defaults: DocumentMetadata) -> DocumentMetadata {
        DocumentMetadata(key: key ?? defaults.key, title: title ?? defaults.title, source: source ?? defaults.source,
                         kind: kind ?? defaults.kind, date: date ?? defaults.date, url: url ?? defaults.url)
    }

    /// Checks the date format; returns a reason when something is wrong.
    public func validationProblem() -> String? {
        if let date, !Self.isValidDate(date) { return "date '\(date)' is not a valid YYYY-MM-DD date" }
        return nil
    }

    /// True for a real calendar date written YYYY-MM-DD.
    public static func isValidDate(_ s: String) -> Bool {
        let u = Array(s.utf8)
        guard u.count == 10, u[4] == 0x2D, u[7] == 0x2D else { return false }
        func num(_ r: Range<Int>) -> Int? {
            var v = 0
            for i in r { guard u[i] >= 0x30 && u[i] <= 0x39 else { return nil }; v = v * 10 + Int(u[i] - 0x30) }
            return v
        }
        guard let y = num(0..<4), let m = num(5..<7), let d = num(8..<10), (1...12).contains(m), d >= 1 else { return false }
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
        return d <= days
    }

    static func clean(_ s: String?) -> String? {
        guard let s, !s.isEmpty else { return nil }
        return s
    }

    var cleaned: DocumentMetadata {
        DocumentMetadata(key: Self.clean(key), title: Self.clean(title), source: Self.clean(source),
                         kind: Self.clean(kind), date: Self.clean(date), url: Self.clean(url))
    }
}

/// Bytes that did not come from a path (an HTTP upload, a test).
public struct ImportPayload: Sendable {
    /// How the document is named in reports.
    public var name: String
    public var bytes: [UInt8]
    public var fileName: String?
    public var mediaType: String?
    public var metadata: DocumentMetadata
    /// Treat the bytes as JSON Lines, one document per line.
    public var jsonLines: Bool

    public init(name: String, bytes: [UInt8], fileName: String? = nil, mediaType: String? = nil,
                metadata: DocumentMetadata = DocumentMetadata(), jsonLines: Bool = false) {
        self.name = name; self.bytes = bytes; self.fileName = fileName; self.mediaType = mediaType
        self.metadata = metadata; self.jsonLines = jsonLines
    }
}

/// One thing to import.
public enum ImportInput: Sendable {
    /// A file or a directory (recursive, sorted by path, hidden entries skipped); "-" is stdin.
    case path(String)
    case payload(ImportPayload)
}

public struct ImportOptions: Sendable {
    /// Metadata for every document (JSON Lines fields override it). A `key` is only allowed
    /// with a single input that is one document.
    public var defaults = DocumentMetadata()
    /// Largest document accepted, in bytes.
    public var maxSize = ImportOptions.defaultMaxSize
    /// Read every input as JSON Lines (otherwise only `.jsonl` files are).
    public var jsonLines = false
    /// A batch closes at this many documents...
    public var batchDocuments = 512
    /// ...or this many original bytes.
    public var batchBytes = 16 << 20
    /// How objects are made durable.
    public var durability: ObjectStore.Durability = .fileSystemSync
    /// Prepare the next batch (read, hash, extract, compress) while the current one is made
    /// durable.
    public var overlapBatches = true
    /// For benchmarks only: hash, compress and store objects durably, one batch after the
    /// other, but skip extraction and the manifest (the objects stay unreferenced).
    public var archiveStepOnly = false

    public static let defaultMaxSize = 100_000_000

    public init() {}
}

public enum ImportStatus: String, Sendable, Codable {
    case imported, unchanged, failed
}

/// The outcome for one input document.
public struct ImportResult: Sendable {
    /// The input as the user named it: a path, "path:line" for JSON Lines, "-" for stdin.
    public var input: String
    public var status: ImportStatus
    public var id: String?
    public var key: String?
    public var hash: String?
    public var seq: Int?
    /// Why it failed.
    public var reason: String?
    /// Original bytes (0 when unknown).
    public var size: Int
    /// The manifest record (the new one when imported, the current one when unchanged).
    public var record: ManifestRecord?
}

/// Wall time spent in each stage of the pipeline, in seconds, summed over batches.
public struct ImportTimings: Sendable {
    public var read = 0.0
    public var decode = 0.0
    public var hash = 0.0
    public var extract = 0.0
    /// Compression and temp file writes (done together, per document).
    public var compress = 0.0
    public var sync = 0.0
    public var manifest = 0.0
    public var observer = 0.0
    /// The archive step alone: hashing, compression and object writes, durable syncs.
    public var archiveStep: Double { hash + compress + sync }

    mutating func add(_ o: ImportTimings) {
        read += o.read; decode += o.decode; hash += o.hash; extract += o.extract
        compress += o.compress; sync += o.sync; manifest += o.manifest; observer += o.observer
    }
}

public struct ImportSummary: Sendable {
    public var imported = 0
    public var unchanged = 0
    public var failed = 0
    /// Original bytes of all documents processed.
    public var bytes = 0
    /// Original bytes of documents that went through hashing + compression.
    public var archivedBytes = 0
    public var seconds = 0.0
    /// Problems that did not fail a document (e.g. the index observer failed).
    public var warnings: [String] = []
    public var timings = ImportTimings()
}

public struct ImportProgress: Sendable {
    public var documents: Int
    public var bytes: Int
    /// Total input bytes when known in advance (nil with stdin).
    public var totalBytes: Int?
    public var imported: Int
    public var unchanged: Int
    public var failed: Int
}

/// A document whose manifest record is durable, with its extracted text.
public struct ImportedDocument: Sendable {
    public let record: ManifestRecord
    public let text: String
    public init(record: ManifestRecord, text: String) { self.record = record; self.text = text }
}

/// Told about each batch once its manifest lines are durable (in seq order). The index uses it.
/// Throwing does not undo the import: the error becomes a warning and the index catches up later.
public protocol ImportObserver: AnyObject {
    func archiveDidCommit(_ batch: [ImportedDocument]) throws
}

/// Errors of the library facade.
public struct LibraryError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable { case usage, notFound, ambiguous, noArchive, corrupt, io }
    public var kind: Kind
    public var message: String
    public init(_ kind: Kind, _ message: String) { self.kind = kind; self.message = message }
    public var description: String { message }
}
