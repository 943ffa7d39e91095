import VanBanKit

/// `vanban search --facets` on a terminal: one line per field, "value (count)", most first.
enum FacetText {
    static func render(_ facets: Facets) -> String {
        var out = ""
        for field in FacetField.allCases {
            let values = facets[field]
            guard !values.isEmpty else { continue }
            out += "\(field.rawValue): " + values.map { "\($0.value) (\($0.count))" }.joined(separator: ", ") + "\n"
        }
        return out
    }
}
