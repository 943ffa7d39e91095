import DocumentModel
import Foundation

/// One line of `manifest.jsonl`: one imported version of one document.
///
/// JSON keys are snake_case. Decoding ignores keys it does not know, so records written by a
/// later VanBan that adds fields still read. The importer's metadata fields are top-level keys
/// named as in `DocumentMetadata.fields` (only the `.imported` ones: derived values live in the
/// index, never in this append-only log).
public struct ManifestRecord: Sendable, Equatable {
    /// 1-based, strictly increasing along the manifest.
    public var seq: Int
    /// Document id: 16 lowercase hex digits (from the key when given, else from the content hash).
    public var id: String
    /// SHA-256 of the original bytes (64 lowercase hex); names the object.
    public var hash: String
    /// Original file name (last path component), when the document came from a file.
    public var fileName: String?
    /// What the original bytes were recognised as, e.g. "text/plain; charset=utf-8".
    public var mediaType: String
    /// Size of the original bytes.
    public var size: Int
    /// Size of the gzip object.
    public var storedSize: Int
    /// When this version was imported: ISO 8601 UTC, e.g. "2025-01-31T08:00:00Z".
    public var importedAt: String
    /// What the importer said of the document (the title may come from the file's own
    /// properties when the importer gave none).
    public var metadata: DocumentMetadata
    /// The file's own properties found at extraction (author, language, ...), lower-case
    /// names; the manifest key is "metadata" (kept from the first format).
    public var properties: [String: String]

    public init(seq: Int, id: String, hash: String, fileName: String? = nil, mediaType: String,
                size: Int, storedSize: Int, importedAt: String, metadata: DocumentMetadata = DocumentMetadata(),
                properties: [String: String] = [:]) {
        self.seq = seq; self.id = id; self.hash = hash; self.fileName = fileName
        self.mediaType = mediaType; self.size = size; self.storedSize = storedSize
        self.importedAt = importedAt; self.metadata = metadata; self.properties = properties
    }

    /// The object's path relative to the archive directory.
    public var objectPath: String { ObjectStore.relativePath(for: hash) }

    /// The record as one JSON line (without the newline), keys in a fixed order.
    public func jsonLine() -> [UInt8] {
        var w = JSONObjectWriter()
        w.add("seq", seq)
        w.add("id", id)
        w.add("hash", hash)
        w.add("file_name", fileName, omitNil: true)
        w.add("media_type", mediaType)
        w.add("size", size)
        w.add("stored_size", storedSize)
        w.add("imported_at", importedAt)
        w.add(metadata, only: .imported, omitAbsent: true)
        w.add("metadata", properties)
        return w.finish()
    }

    /// Parses one manifest line. Throws a short reason when it is not a record.
    package static func parse(_ line: some Collection<UInt8>, decoder: JSONDecoder = JSONDecoder()) throws(ArchiveError) -> ManifestRecord {
        if let r = ManifestLineParser.parse(ArraySlice(line)) { return r }
        do {
            return try decoder.decode(ManifestRecord.self, from: Data(line))
        } catch let DecodingError.keyNotFound(key, _) {
            throw ArchiveError("missing field \"\(key.stringValue)\"")
        } catch let DecodingError.typeMismatch(_, ctx) {
            throw ArchiveError("wrong type for field \"\(ctx.codingPath.map(\.stringValue).joined(separator: "."))\"")
        } catch let DecodingError.valueNotFound(_, ctx) {
            throw ArchiveError("null field \"\(ctx.codingPath.map(\.stringValue).joined(separator: "."))\"")
        } catch {
            throw ArchiveError("not valid JSON")
        }
    }

    /// The seq of a line written by `jsonLine()` (it starts `{"seq":N,`), without decoding
    /// the rest; nil when the line does not start that way.
    static func fastSeq(_ line: ArraySlice<UInt8>) -> Int? {
        let prefix: [UInt8] = Array("{\"seq\":".utf8)
        guard line.count > prefix.count + 1, line.starts(with: prefix) else { return nil }
        var v = 0
        var i = line.startIndex + prefix.count
        var digits = 0
        while i < line.endIndex, line[i] >= 0x30, line[i] <= 0x39, digits < 18 {
            v = v * 10 + Int(line[i] - 0x30); i += 1; digits += 1
        }
        guard digits > 0, i < line.endIndex, line[i] == UInt8(ascii: ",") else { return nil }
        return v
    }

    /// The current time as ISO 8601 UTC with seconds, e.g. "2025-01-31T08:00:00Z".
    public static func timestamp(_ date: Date = Date()) -> String {
        var t = time_t(date.timeIntervalSince1970.rounded(.down))
        var tmv = tm()
        gmtime_r(&t, &tmv)
        func p(_ v: Int32, _ w: Int) -> String {
            let s = String(v); return String(repeating: "0", count: max(0, w - s.count)) + s
        }
        return "\(p(tmv.tm_year + 1900, 4))-\(p(tmv.tm_mon + 1, 2))-\(p(tmv.tm_mday, 2))T\(p(tmv.tm_hour, 2)):\(p(tmv.tm_min, 2)):\(p(tmv.tm_sec, 2))Z"
    }
}

/// JSONDecoder's reading of a manifest line: the slow path, for lines the fast parser does
/// not take, and for the error message when a line is not a record.
extension ManifestRecord: Decodable {
    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ s: String) { stringValue = s }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        self.init(
            seq: try c.decode(Int.self, forKey: Key("seq")),
            id: try c.decode(String.self, forKey: Key("id")),
            hash: try c.decode(String.self, forKey: Key("hash")),
            fileName: try c.decodeIfPresent(String.self, forKey: Key("file_name")),
            mediaType: try c.decodeIfPresent(String.self, forKey: Key("media_type")) ?? "application/octet-stream",
            size: try c.decode(Int.self, forKey: Key("size")),
            storedSize: try c.decodeIfPresent(Int.self, forKey: Key("stored_size")) ?? 0,
            importedAt: try c.decodeIfPresent(String.self, forKey: Key("imported_at")) ?? "",
            properties: try c.decodeIfPresent([String: String].self, forKey: Key("metadata")) ?? [:])
        for field in DocumentMetadata.importedFields {
            metadata[field] = try c.decodeIfPresent(String.self, forKey: Key(field.name))
        }
    }
}
