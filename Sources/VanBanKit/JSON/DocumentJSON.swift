import Archive
import DocumentModel
import Extraction

/// The JSON shape of one document (`vanban show --json`, `GET /documents/{id}`, the answer to
/// an upload without `text`). Metadata fields are top-level keys, as `DocumentMetadata.fields`
/// names them (absent ones null); `official` holds what was read in an official text: its
/// lists (issuers, signers, recipients, bases), its outline, its relations both ways and its
/// validity status; `chrome` what the index leaves out of a news page (see `chrome(_:)`).
public enum DocumentJSON {
    /// With `includeMatch` (`vanban show --json`), `matched` says whether the name asked for
    /// was the id, a key or an id prefix ("id", "key", "id_prefix").
    public static func object(_ view: DocumentView, includeText: Bool = true, includeMatch: Bool = false) -> JSONObjectWriter {
        let r = view.record
        var w = JSONObjectWriter()
        w.add("id", r.id)
        if includeMatch, let matched = view.matched { w.add("matched", matched.rawValue) }
        w.add("hash", r.hash)
        w.add(view.metadata)
        w.add("media_type", r.mediaType)
        w.add("size", r.size)
        w.add("stored_size", r.storedSize)
        w.add("imported_at", r.importedAt)
        w.add("file_name", r.fileName, omitNil: false)
        w.add("seq", r.seq)
        w.add("versions", view.versions)
        w.add("metadata", r.properties)
        w.addRaw("official", official(view))
        w.addRaw("chrome", chrome(view.chrome))
        if includeText { w.add("text", view.text) }
        return w
    }

    static func official(_ view: DocumentView) -> [UInt8] {
        let o = view.official
        var w = JSONObjectWriter()
        w.add("is_official", o.isOfficial)
        w.add("effective_on_signing", o.effectiveOnSigning)
        w.addArray("issuers", o.issuers.map(string))
        w.addArray("signers", o.signers.map { s in
            var j = JSONObjectWriter()
            j.add("name", s.name)
            j.add("position", s.position, omitNil: false)
            j.add("form", s.form, omitNil: false)
            j.add("body", s.body, omitNil: false)
            return j.finish()
        })
        w.addArray("recipients", o.recipients.map(string))
        w.addArray("bases", o.bases.map { b in
            var j = JSONObjectWriter()
            j.add("text", b.text)
            j.add("number", b.number?.text, omitNil: false)
            return j.finish()
        })
        w.addArray("outline", o.outline.map { d in
            var j = JSONObjectWriter()
            j.add("level", d.level.rawValue)
            j.add("label", d.label)
            j.add("heading", d.heading)
            j.add("title", d.title)
            return j.finish()
        })
        w.addArray("relations", view.outgoing.map(relation))
        w.addArray("cited_by", view.incoming.map(relation))
        if let status = view.status {
            var j = JSONObjectWriter()
            j.add("code", status.rawValue)
            j.add("label", status.label)
            j.addArray("evidence", view.statusEvidence.map(relation))
            w.addRaw("status", j.finish())
        } else {
            w.add("status", nil as String?, omitNil: false)
        }
        return w.finish()
    }

    /// {cleaned, kept_segments, dropped_segments, dropped_by_reason: {reason: n}, first_dropped:
    /// [{line, text}]}: what the index leaves out of the text as page chrome, so a user can see
    /// why a word of it is not found. `cleaned` is false for an official text (indexed whole).
    static func chrome(_ c: ChromeSummary) -> [UInt8] {
        var w = JSONObjectWriter()
        w.add("cleaned", c.cleaned)
        w.add("kept_segments", c.keptSegments)
        w.add("dropped_segments", c.droppedSegments)
        var reasons = JSONObjectWriter()
        for (reason, count) in c.byReason { reasons.add(reason, count) }
        w.addRaw("dropped_by_reason", reasons.finish())
        w.addArray("first_dropped", c.firstDropped.map { d in
            var j = JSONObjectWriter()
            j.add("line", d.line)
            j.add("text", d.text)
            return j.finish()
        })
        return w.finish()
    }

    static func relation(_ e: DocumentRelation) -> [UInt8] {
        var j = JSONObjectWriter()
        j.add("relation", e.relation)
        j.add("number", e.number)
        j.add("scope", e.scope, omitNil: false)
        j.add("sentence", e.sentence)
        j.add("document", e.documentID, omitNil: false)
        j.add("title", e.documentTitle, omitNil: false)
        j.add("date", e.date, omitNil: false)
        return j.finish()
    }

    static func string(_ s: String) -> [UInt8] {
        var out: [UInt8] = []
        JSONObjectWriter.appendString(s, to: &out)
        return out
    }
}

/// The JSON of one article (`vanban show --article N --json`, `GET /documents/{id}?article=N`).
public enum ArticleJSON {
    public static func encode(_ view: DocumentView, label: String, article: (title: String, text: String)) -> [UInt8] {
        var w = JSONObjectWriter()
        w.add("id", view.record.id)
        w.add("article", label)
        w.add("title", article.title)
        w.add("text", article.text)
        return w.finish()
    }
}
