import Archive
import DocumentModel
import Foundation

/// A document given as one JSON object: `{"text": ..., "title": ..., ...}` with any of the
/// importer's metadata fields (`DocumentMetadata.importedFields`). JSON Lines lines and JSON
/// uploads are read by this one decoder. Fields it does not know are ignored.
struct JSONDocument {
    var text: String
    var metadata: DocumentMetadata

    static let fieldNames: Set<String> = Set(["text"] + DocumentMetadata.importedFieldNames)

    /// Decodes `json`; a failure says which field is wrong and how.
    static func decode(_ json: ArraySlice<UInt8>) throws(ImportFailure) -> JSONDocument {
        // Fast path: a flat object whose known fields are strings or null.
        if let fields = FlatJSON.stringFields(json, names: fieldNames) {
            guard let text = fields["text"] else { throw ImportFailure(.malformed, "missing required field \"text\"") }
            var metadata = DocumentMetadata()
            for field in DocumentMetadata.importedFields { metadata[field] = fields[field.name] }
            return JSONDocument(text: text, metadata: metadata.cleaned)
        }
        // Anything else goes through Foundation, for the exact complaint.
        guard let value = try? JSONSerialization.jsonObject(with: Data(json), options: [.fragmentsAllowed]) else {
            throw ImportFailure(.malformed, "not valid JSON")
        }
        guard let object = value as? [String: Any] else { throw ImportFailure(.malformed, "not a JSON object") }
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
        return JSONDocument(text: text, metadata: metadata.cleaned)
    }
}
