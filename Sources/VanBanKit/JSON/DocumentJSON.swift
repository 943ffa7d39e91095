import Archive
import DocumentModel

/// The JSON shape of one document (`vanban show --json`, `GET /documents/{id}`); without
/// `text`, the record alone (the answer to an upload). Metadata fields are top-level keys, as
/// `DocumentMetadata.fields` names them; absent ones are null.
public enum DocumentJSON {
    public static func object(_ r: ManifestRecord, text: String?, versions: Int) -> JSONObjectWriter {
        var w = JSONObjectWriter()
        w.add("id", r.id)
        w.add("hash", r.hash)
        w.add(r.metadata)
        w.add("media_type", r.mediaType)
        w.add("size", r.size)
        w.add("stored_size", r.storedSize)
        w.add("imported_at", r.importedAt)
        w.add("file_name", r.fileName, omitNil: false)
        w.add("seq", r.seq)
        w.add("versions", versions)
        w.add("metadata", r.properties)
        if let text { w.add("text", text) }
        return w
    }
}
