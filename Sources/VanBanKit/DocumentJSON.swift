import Archive

/// The JSON shape of one document (`vanban show --json`, `GET /documents/{id}`); without
/// `text`, the record alone (the answer to an upload).
public enum DocumentJSON {
    public static func object(_ r: ManifestRecord, text: String?, versions: Int) -> JSONObjectWriter {
        var w = JSONObjectWriter()
        w.add("id", r.id)
        w.add("key", r.key, omitNil: false)
        w.add("hash", r.hash)
        w.add("title", r.title, omitNil: false)
        w.add("source", r.source, omitNil: false)
        w.add("kind", r.kind, omitNil: false)
        w.add("date", r.date, omitNil: false)
        w.add("url", r.url, omitNil: false)
        w.add("media_type", r.mediaType)
        w.add("size", r.size)
        w.add("stored_size", r.storedSize)
        w.add("imported_at", r.importedAt)
        w.add("file_name", r.fileName, omitNil: false)
        w.add("seq", r.seq)
        w.add("versions", versions)
        w.add("metadata", r.metadata)
        if let text { w.add("text", text) }
        return w
    }
}
