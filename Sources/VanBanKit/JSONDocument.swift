import Archive
import DocumentModel
import Foundation

/// A document given as one JSON object: `{"text": ..., "title": ..., ...}` with any of the
/// importer's metadata fields (`DocumentMetadata.importedFields`). JSON Lines lines and JSON
/// uploads are read by this one decoder. `id` is read as the key when there is no `key` (the
/// shared corpus names it so); other fields are ignored, and named in `unknownFields` so that
/// the importer can say so (once per import).
struct JSONDocument {
    var text: String
    var metadata: DocumentMetadata
    /// Fields of the object this decoder does not know, in order.
    var unknownFields: [String] = []

    /// `id`: the key's alias.
    static let keyAlias = "id"
    static let fieldNames: Set<String> = Set(["text", keyAlias] + DocumentMetadata.importedFieldNames)

    /// Decodes `json`; a failure says which field is wrong and how.
    static func decode(_ json: ArraySlice<UInt8>) throws(ImportFailure) -> JSONDocument {
        // Fast path: a flat object whose known fields are strings or null.
        var others: [String] = []
        if let fields = FlatJSON.stringFields(json, names: fieldNames, others: &others) {
            guard let text = fields["text"] else { throw ImportFailure(.malformed, "missing required field \"text\"") }
            var metadata = DocumentMetadata()
            for field in DocumentMetadata.importedFields { metadata[field] = fields[field.name] }
            try aliasKey(&metadata, fields[keyAlias])
            return JSONDocument(text: text, metadata: metadata.cleaned, unknownFields: others)
        }
        // Anything else goes through Foundation, for the exact complaint.
        guard let value = try? JSONSerialization.jsonObject(with: Data(json), options: [.fragmentsAllowed]) else {
            throw ImportFailure(.malformed, "not valid JSON")
        }
        guard let object = value as? [String: Any] else {
            throw ImportFailure(.malformed, "not a JSON object (the line is \(jsonKind(value))); each line must be an object with a \"text\" field")
        }
        func string(_ name: String) throws(ImportFailure) -> String? {
            switch object[name] {
            case nil, is NSNull: return nil
            case let s as String: return s
            default: throw ImportFailure(.malformed, "field \"\(name)\" must be a string")
            }
        }
        guard object["text"] != nil else { throw ImportFailure(.malformed, "missing required field \"text\"") }
        guard let text = try string("text") else { throw ImportFailure(.malformed, "field \"text\" is null") }
        var metadata = DocumentMetadata()
        for field in DocumentMetadata.importedFields { metadata[field] = try string(field.name) }
        try aliasKey(&metadata, try string(keyAlias))
        return JSONDocument(text: text, metadata: metadata.cleaned,
                            unknownFields: object.keys.filter { !fieldNames.contains($0) }.sorted())
    }

    /// `id` becomes the key when no `key` is given; both given must agree.
    private static func aliasKey(_ metadata: inout DocumentMetadata, _ id: String?) throws(ImportFailure) {
        guard let id, !id.isEmpty else { return }
        if let key = metadata.key, !key.isEmpty {
            if key != id { throw ImportFailure(.malformed, "fields \"key\" (\"\(key)\") and \"id\" (\"\(id)\") disagree: \"id\" is read as the key; give one of them") }
            return
        }
        metadata.key = id
    }

    /// "null", "an array", "a string"...: what a JSON value that is not an object is.
    static func jsonKind(_ value: Any) -> String {
        switch value {
        case is NSNull: return "null"
        case is [Any]: return "an array"
        case is String: return "a string"
        case is NSNumber: return "a number or true/false"
        default: return "not an object"
        }
    }
}
