import DocumentModel
import SearchIndex

extension SearchJSON {
    /// {kind, type, issuer, source, year: [{value, count}], missing: {kind, ...}}: per field, the
    /// values of the whole result set with the most matches first (at most `Facets.limit`),
    /// each count being what the same search with that value's filter returns; `missing`
    /// counts the matches without a value (no date, not an official text, ...).
    public static func encode(_ facets: Facets) -> [UInt8] {
        var w = JSONObjectWriter()
        for field in FacetField.allCases {
            w.addArray(field.rawValue, facets[field].map { value in
                var v = JSONObjectWriter()
                v.add("value", value.value)
                v.add("count", value.count)
                return v.finish()
            })
        }
        var missing = JSONObjectWriter()
        for field in FacetField.allCases { missing.add(field.rawValue, facets.missing[field] ?? 0) }
        w.addRaw("missing", missing.finish())
        return w.finish()
    }
}
