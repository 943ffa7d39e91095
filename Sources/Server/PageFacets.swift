import VanBanKit

// The search page's facets: how all the results divide by kind, type, issuer, source and
// year, each value a link to the same search with that filter added and the number of results
// the link gives (see `Facets`).

extension Page {
    static let facetLabels: [FacetField: String] = [
        .kind: "Loại", .type: "Loại văn bản", .issuer: "Cơ quan ban hành", .source: "Nguồn", .year: "Năm",
    ]
    /// Values shown per field before "..." (the JSON has up to `Facets.limit`).
    static let facetValuesShown = 8

    static let facetStyle = """
        details.facets{margin:0 0 .75rem;font-size:.9rem}
        details.facets summary{cursor:pointer;color:var(--muted)}
        .facet{margin:.3rem 0 0}.facet b{color:var(--muted);font-weight:600;margin-right:.3rem}
        .facet a{margin-right:.6rem;white-space:nowrap}.facet .n{color:var(--muted)}

        """

    static func facetLinks(_ facets: Facets, form: SearchForm) -> String {
        var rows: [String] = []
        for field in FacetField.allCases {
            // One value that every result has filters nothing: not offered.
            let values = facets[field]
            guard !values.isEmpty, !(values.count == 1 && (facets.missing[field] ?? 0) == 0) else { continue }
            let links = values.prefix(facetValuesShown).map { value in
                let shown = field == .kind ? kindName(value.value) : value.value
                return "<a href=\"\(esc(facetURL(field, value.value, form: form)))\">\(esc(shown))</a>"
                    + "<span class=\"n\">(\(number(value.count)))</span>"
            }
            let more = values.count > facetValuesShown ? " …" : ""
            rows.append("<p class=\"facet\"><b>\(esc(facetLabels[field] ?? field.rawValue)):</b> \(links.joined(separator: " "))\(more)</p>")
        }
        guard !rows.isEmpty else { return "" }
        return "<details class=\"facets\" open><summary>Lọc kết quả</summary>\n" + rows.joined(separator: "\n") + "\n</details>\n"
    }

    /// The search of `form` with `value`'s filter added, from its first page.
    static func facetURL(_ field: FacetField, _ value: String, form: SearchForm) -> String {
        var filtered = form
        filtered.page = 1
        switch field {
        case .kind: filtered.kind = value
        case .source: filtered.source = value
        case .year: filtered.from = value; filtered.to = value
        case .type, .issuer:
            let quoted = value.replacingOccurrences(of: "\"", with: " ")
            filtered.q = (form.q.trimmingCharacters(in: .whitespaces) + " \(field.rawValue):\"\(quoted)\"")
                .trimmingCharacters(in: .whitespaces)
        }
        return filtered.url(page: 1)
    }
}
