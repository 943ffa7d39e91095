import Archive
import DocumentModel

/// What an upload says about its document besides the bytes: metadata fields and a file name,
/// given as query parameters or multipart form fields. The server hands over each name and
/// value; this checks them against `DocumentMetadata.importedFields`, so a new field is
/// accepted by uploads without touching the server.
public struct UploadFields: Sendable {
    public private(set) var metadata = DocumentMetadata()
    public private(set) var fileName: String?
    /// False when the upload says `ocr=off` (as `vanban import --no-ocr`).
    public private(set) var ocr = true
    /// Longest value accepted, in Unicode scalars (JSON Schema's maxLength, as openapi.yaml
    /// states it). Six such values percent-encoded in a URL stay under NIO's 80 KB head bound.
    public static let maxValueCharacters = 1000
    /// The names an upload may give: "filename", "ocr" and the importer's metadata fields.
    public static let names: [String] = ["filename", "ocr"] + DocumentMetadata.importedFieldNames

    public init() {}

    /// Sets the field `name`; a later value replaces an earlier one.
    public mutating func set(_ name: String, _ value: String) throws(ImportFailure) {
        guard value.unicodeScalars.count <= Self.maxValueCharacters else {
            throw ImportFailure(.badMetadata, "\(String(name.prefix(40))) is longer than \(Self.maxValueCharacters) characters")
        }
        // An empty value is an absent one, as in JSON Lines (`date=` is no date, not a bad one).
        if name == "filename" { fileName = value.isEmpty ? nil : value; return }
        if name == "ocr" {
            switch value.lowercased() {
            case "off", "no", "false", "0": ocr = false
            case "", "on", "yes", "true", "1": ocr = true
            default: throw ImportFailure(.badMetadata, "ocr must be on or off, not '\(String(value.prefix(40)))'")
            }
            return
        }
        guard let field = DocumentMetadata.field(named: name), field.origin == .imported else {
            throw ImportFailure(.badMetadata, "unknown metadata field '\(String(name.prefix(40)))' (known: \(Self.names.joined(separator: ", ")))")
        }
        metadata[field] = value.isEmpty ? nil : value
        // Checked here, where every value arrives (query string, form field, JSON): a bad value
        // is refused wherever it came from, even if another source would replace it.
        if let problem = metadata.validationProblem() { throw ImportFailure(.badMetadata, problem) }
    }

    /// Sets the file name unless one was given already (the multipart part's own name, a
    /// Content-Disposition header).
    public mutating func setFileNameIfAbsent(_ name: String?) throws(ImportFailure) {
        guard fileName == nil, let name else { return }
        try set("filename", name)
    }

    /// The last path component of the file name (uploads never name a path).
    var baseFileName: String? {
        fileName.map { String($0.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last ?? "") }
    }
}

extension ImportPayload {
    /// An upload of `bytes` as they are (a file), with its declared media type.
    /// With `ocr=off`, the media type carries it to the extractor (and into the record).
    public static func upload(_ bytes: [UInt8], mediaType: String?, fields: UploadFields) -> ImportPayload {
        let declared = fields.ocr ? mediaType : (mediaType ?? "application/octet-stream") + "; ocr=off"
        return ImportPayload(name: fields.fileName ?? "upload", bytes: bytes, fileName: fields.baseFileName,
                             mediaType: declared, metadata: fields.metadata)
    }

    /// A JSON upload: one object in the JSON Lines line format (`{"text": ..., "title": ...}`).
    /// Its fields win over `fields`.
    public static func jsonUpload(_ body: [UInt8], fields: UploadFields) throws(ImportFailure) -> ImportPayload {
        let document = try JSONDocument.decode(body[...])
        var checked = fields
        for (field, value) in document.metadata.presentFields { try checked.set(field.name, value) }
        return ImportPayload(name: fields.fileName ?? "upload.json", bytes: Array(document.text.utf8),
                             fileName: fields.baseFileName, mediaType: "text/plain; charset=utf-8",
                             metadata: checked.metadata)
    }
}
