import DocumentModel
import Archive
import Extraction
import Foundation

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
    /// Index each durable batch at once (otherwise the index catches up on its next use).
    public var indexing = true
    /// Prepare the next batch (read, hash, extract, compress) while the current one is made
    /// durable.
    public var overlapBatches = true
    /// How a batch's objects are made durable. Both are crash-safe; benchmarks compare them.
    public enum Durability: String, Sendable, CaseIterable {
        /// One `syncfs` of the archive's file system per batch (two, around the renames).
        case syncfs
        /// An `fdatasync` per object file, then an fsync per directory.
        case fsync

        var objectStore: ObjectStore.Durability { self == .syncfs ? .fileSystemSync : .perFileSync }
    }
    public var durability = Durability.syncfs
    /// Import files that symbolic links inside a directory point to outside it (off: skipped
    /// with a note).
    public var followSymlinks = false
    /// The encoding of every file imported (`--encoding`): "tcvn3", "vni-windows", "viscii",
    /// "vps", "windows-1258", "viqr", "utf-16le", "utf-16be", "utf-8" or an alias. Unset: UTF-8,
    /// else detected. JSON Lines texts are always UTF-8 and never converted.
    public var encoding: String?

    /// Why `name` is not an encoding VanBan reads, or nil when it is one.
    public static func encodingProblem(_ name: String) -> String? {
        TextEncoding(label: name) == nil
            ? "unknown encoding '\(name)'; VanBan reads: \(TextEncoding.allCases.map(\.rawValue).joined(separator: ", "))"
            : nil
    }
    /// Read the PDF pages that have no text layer by OCR (off: `--no-ocr`; the record's media
    /// type then says "ocr=off", so extracting it again keeps OCR off).
    public var ocr = true
    /// Pack the loose objects (`Library.pack`) when the import ends with at least this many
    /// loose (between batches: 16 times this; see `Library.packIfNeeded`); 0: never on its own.
    /// Default 1,000, or VANBAN_PACK_THRESHOLD.
    public var packThreshold = Library.environmentPackThreshold

    public static let defaultMaxSize = 100_000_000

    /// Why a key is refused with several inputs (the CLI checks it before starting, the
    /// importer again for every other caller).
    public static let keyNamesOneDocument = "--key names a single document: give exactly one file (not a directory or JSON Lines)"

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
    public var failure: ImportFailure?
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
    /// Automatic packing after batches (`ImportOptions.packThreshold`): how many runs, and the
    /// loose objects they moved into packs.
    public var packRuns = 0
    public var packedObjects = 0
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
    /// The derived fields extraction gave (`ocr`, ...).
    public let derived: DocumentMetadata
    /// The lines of `text` its markup calls page furniture (`ExtractedDocument.furnitureLines`).
    public let furnitureLines: [Int]
    public init(record: ManifestRecord, text: String, derived: DocumentMetadata = DocumentMetadata(), furnitureLines: [Int] = []) {
        self.record = record; self.text = text; self.derived = derived; self.furnitureLines = furnitureLines
    }
}

/// Told about each batch once its manifest lines are durable (in seq order). The index uses it.
/// Throwing does not undo the import: the error becomes a warning and the index catches up later.
public protocol ImportObserver: AnyObject {
    func archiveDidCommit(_ batch: [ImportedDocument]) throws
}


/// Why one document was not imported: a kind that front ends decide on (the HTTP status, the
/// exit status) and a sentence for a person naming the reason. Nobody looks inside `message`.
public struct ImportFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        /// Bigger than the size limit (`--max-size`, the server's body limit), or a part of it
        /// expands beyond a bound (a zip bomb).
        case tooLarge
        /// Not a format VanBan reads, or content that contradicts its declared type.
        case unsupportedFormat
        /// Text that is not valid in its encoding.
        case invalidText
        /// Nothing to index: no bytes, only whitespace or markup, a PDF without text.
        case empty
        /// A file of a known format that is damaged or malformed; a JSON Lines line that is not
        /// a document.
        case malformed
        /// Metadata in a wrong format (a date that is not YYYY-MM-DD, ...).
        case badMetadata
        /// The document's id already belongs to another document.
        case conflict
        /// The input could not be read (no such file, permissions, a directory).
        case unreadable
        /// A program the format needs is not installed.
        case toolMissing
        /// Storing it failed (disk full, I/O error): nothing of it was acknowledged.
        case storage
        /// Extraction failed for a reason of this side (a time bound, no temporary directory).
        case extraction
    }
    public var kind: Kind
    public var message: String
    public init(_ kind: Kind, _ message: String) { self.kind = kind; self.message = message }
    public var description: String { message }

    /// The failure for an extraction error, same words.
    init(_ error: ExtractionError) {
        let kind: Kind
        switch error.kind {
        case .empty: kind = .empty
        case .unsupportedFormat: kind = .unsupportedFormat
        case .invalidText: kind = .invalidText
        case .corrupt: kind = .malformed
        case .tooLarge: kind = .tooLarge
        case .toolMissing: kind = .toolMissing
        case .failed: kind = .extraction
        }
        self.init(kind, error.reason)
    }
}
