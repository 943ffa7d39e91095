import DocumentModel
import Archive
import Extraction
import Foundation

/// Reading the archive: records, documents, originals.
extension Library {
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
        try resolveMatch(idOrKey).record
    }

    /// `resolve`, also telling what `idOrKey` matched. An id is tried first; keys of 16 hex
    /// digits are refused at import, so a key never hides behind an id.
    public func resolveMatch(_ idOrKey: String) throws -> (record: ManifestRecord, matched: DocumentMatch) {
        let state = try manifest.refresh()
        let lower = idOrKey.lowercased()
        if ContentHash.isLowerHex(lower, count: 16), let r = state.current[lower] { return (r, .id) }
        if let r = state.current[ContentHash.documentID(key: idOrKey)], r.metadata.key == idOrKey { return (r, .key) }
        if lower.count >= 6 && lower.count < 16 && ContentHash.isLowerHex(lower) {
            let matches = state.current.keys.filter { $0.hasPrefix(lower) }.sorted()
            if matches.count == 1 { return (state.current[matches[0]]!, .idPrefix) }
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
        try extraction(of: record).text
    }

    /// Inflates the record's object and extracts it (as at import: same hints, the recorded
    /// media type carrying the encoding a converted text was read in, and the OCR kept for
    /// its hash, so a scanned PDF is not read again).
    func extraction(of record: ManifestRecord) throws -> ExtractedDocument {
        let bytes = try store.bytes(record.hash)
        do {
            return try Extractor().extract(bytes, fileName: record.fileName, mediaType: record.mediaType,
                                           cache: derivedTextCache(hash: record.hash))
        } catch {
            throw LibraryError(.corrupt, "\(record.objectPath): cannot extract text: \(error.reason)")
        }
    }

    /// Where the OCR of the object `hash` is kept (`derived/ocr/` in the archive).
    func derivedTextCache(hash: String) -> DerivedTextCache {
        let derived = self.derived
        return DerivedTextCache(load: { derived.load(kind: "ocr", hash: hash) },
                                store: { derived.store($0, kind: "ocr", hash: hash) })
    }

}

/// What the name given to `show` (or `GET /documents/{id}`) matched.
public enum DocumentMatch: String, Sendable {
    case id, key
    /// A unique prefix (6 to 15 hex digits) of an id.
    case idPrefix = "id_prefix"
}

extension ManifestRecord {
    /// The name to save the original under: the imported file's own name (last path component,
    /// without control characters), else the id with the format's usual extension.
    public var downloadFileName: String {
        var name = String((fileName ?? "").split(separator: "/").last ?? "")
        name = String(name.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F && $0 != "\\" })
        if name.isEmpty { name = "\(id).\(DocumentFormat(mediaType: mediaType)?.fileExtension ?? "bin")" }
        return name
    }
}
