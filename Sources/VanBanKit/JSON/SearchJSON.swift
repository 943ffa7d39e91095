import Archive
import DocumentModel
import SearchIndex

/// The `--json` shape of search results (also the HTTP API's).
public enum SearchJSON {
    /// One JSON object: {query, total, took_ms, reading, hits: [{id, <metadata fields>, score,
    /// snippet, snippet_text, highlights, location, number_match}]}; `snippet` is HTML-safe (the
    /// text escaped, matches marked with <mark>...</mark>, no other tag), `snippet_text` the
    /// same passage as plain text and `highlights` its matches as [start, length] pairs in
    /// UTF-16 code units (JavaScript string indices); `location` is the article the snippet is in ("Điều 8. ...");
    /// `number_match` says the query names this document's own number; `reading` says how the
    /// query was read (see `encode(_ reading:)`). With `collapsed` (relevance order, unless
    /// `--no-collapse` / `collapse=false`), reposts of one text are one hit: `duplicates` lists
    /// the ids of the others that match, and `total` counts each group once. `facets`, when
    /// asked for, counts the whole result set (see `encode(_ facets:)`).
    public static func encode(_ results: SearchResults) -> [UInt8] {
        var w = JSONObjectWriter()
        w.add("query", results.query)
        w.add("total", results.total)
        w.add("collapsed", results.collapsed)
        w.add("took_ms", (results.tookMilliseconds * 1000).rounded() / 1000)
        w.addRaw("reading", encode(results.reading))
        if let facets = results.facets { w.addRaw("facets", encode(facets)) }
        w.addArray("hits", results.hits.map { hit in
            var h = JSONObjectWriter()
            h.add("id", hit.id)
            h.add(hit.metadata)
            h.add("score", hit.score)
            h.add("snippet", hit.snippet.rendered(open: "<mark>", close: "</mark>", escape: { HTMLEscaping.escape($0) }))
            h.add("snippet_text", hit.snippet.text)
            h.addArray("highlights", hit.snippet.utf16Highlights.map { Array("[\($0.start),\($0.length)]".utf8) })
            h.add("location", hit.location, omitNil: false)
            h.add("number_match", hit.numberMatch)
            h.addArray("duplicates", hit.duplicates.map(jsonString))
            return h.finish()
        })
        return w.finish()
    }

    /// {restored, phrases, synonyms, soft, optional, question, function_words, frame_words, strict}: the query with accents
    /// restored (null when none were), the runs of words matched as phrases, the synonyms and
    /// abbreviations used ("bhxh → bảo hiểm xã hội"), whether the soft fallback was taken (and
    /// the words a document could then lack), the question words ending the query (matched
    /// when present, not required; null when none), the function words standing alone ("của",
    /// "từng") and the frame words ("phòng chống", "quy định"), both matched when present, not
    /// required, and whether every word was required.
    public static func encode(_ reading: QueryReading) -> [UInt8] {
        var w = JSONObjectWriter()
        w.add("restored", reading.restored, omitNil: false)
        w.addArray("phrases", reading.phrases.map(jsonString))
        w.addArray("synonyms", reading.synonyms.map(jsonString))
        w.add("soft", reading.softMatch)
        w.addArray("optional", reading.optionalWords.map(jsonString))
        w.add("question", reading.questionWords, omitNil: false)
        w.addArray("function_words", reading.functionWords.map(jsonString))
        w.addArray("frame_words", reading.frameWords.map(jsonString))
        w.add("strict", reading.strict)
        return w.finish()
    }

    static func jsonString(_ value: String) -> [UInt8] {
        var out: [UInt8] = []
        JSONObjectWriter.appendString(value, to: &out)
        return out
    }

    /// The line `search --batch` prints for a query that cannot run.
    public static func encodeError(query: String, message: String) -> [UInt8] {
        var w = JSONObjectWriter()
        w.add("query", query)
        w.add("error", message)
        return w.finish()
    }
}
