import Archive
import SearchIndex

/// The `--json` shape of search results (also the HTTP API's).
public enum SearchJSON {
    /// One JSON object: {query, total, took_ms, hits: [{id, key, title, source, kind, date, url,
    /// score, snippet}]}; the snippet marks matches with <mark>...</mark> around raw text.
    public static func encode(_ results: SearchResults) -> [UInt8] {
        var w = JSONObjectWriter()
        w.add("query", results.query)
        w.add("total", results.total)
        w.add("took_ms", (results.tookMilliseconds * 1000).rounded() / 1000)
        w.addArray("hits", results.hits.map { hit in
            var h = JSONObjectWriter()
            h.add("id", hit.id)
            h.add("key", hit.key, omitNil: false)
            h.add("title", hit.title, omitNil: false)
            h.add("source", hit.source, omitNil: false)
            h.add("kind", hit.kind, omitNil: false)
            h.add("date", hit.date, omitNil: false)
            h.add("url", hit.url, omitNil: false)
            h.add("score", hit.score)
            h.add("snippet", hit.snippet.rendered(open: "<mark>", close: "</mark>"))
            return h.finish()
        })
        return w.finish()
    }
}

