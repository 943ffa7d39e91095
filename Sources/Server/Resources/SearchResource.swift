import Hummingbird
import VanBanKit

/// `GET /search`: the query language over HTTP, answered with the same JSON as
/// `vanban search --json`.
struct SearchResource: Sendable {
    let state: ServerState
    init(_ state: ServerState) { self.state = state }

    func search(_ request: Request, _ context: VanBanRequestContext) async throws -> Response {
        let query = try QueryString(request.uri.query)
        let results = try await state.runSearch(try Self.searchRequest(query), context)
        return Responses.json(SearchJSON.encode(results), headers: [.cacheControl: "no-cache"])
    }

    /// Most values of one repeatable filter (`source=a&source=b`), and their longest, in
    /// Unicode scalars: seven such filters and the longest query, each character percent-encoded
    /// as 12 bytes, still fit NIO's 80 KB request head, so no valid request is refused with a 431.
    static let maxFilterValues = 8
    static let maxFilterValueCharacters = 80

    /// The search a query string asks for; a parameter out of its range is a 400 naming it.
    static func searchRequest(_ q: QueryString) throws -> SearchRequest {
        let text = try q.single("q") ?? ""
        let maxCharacters = QueryParser.maxQueryCharacters
        guard text.unicodeScalars.count <= maxCharacters else {
            throw APIError.badQuery("the query is too long (\(text.unicodeScalars.count) characters; at most \(maxCharacters))")
        }
        let limit = try q.int("limit", default: 10, in: 1...SearchRequest.maxLimit)
        let offset = try q.int("offset", default: 0, in: 0...SearchRequest.maxOffset)
        var sort = SearchSort.relevance
        if let raw = try q.single("sort"), !raw.isEmpty {
            guard let s = SearchSort(rawValue: raw.lowercased()) else {
                throw APIError.badParameter("sort must be one of: \(SearchSort.allCases.map(\.rawValue).joined(separator: ", ")) (got '\(String(raw.prefix(40)))')")
            }
            sort = s
        }
        func values(_ name: String) throws -> [String] {
            // Counted as openapi.yaml states them (maxItems, maxLength in Unicode scalars), before
            // blank values are dropped, so the server and the spec agree on every request.
            let all = q.all(name)
            guard all.count <= Self.maxFilterValues,
                  all.allSatisfy({ $0.unicodeScalars.count <= Self.maxFilterValueCharacters }) else {
                throw APIError.badParameter("\(name): at most \(Self.maxFilterValues) values of at most \(Self.maxFilterValueCharacters) characters each")
            }
            return all.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        }
        // Empty means no bound; anything else goes to the query parser as it is (" 2024" is
        // refused there, as openapi.yaml's pattern refuses it).
        func date(_ name: String) throws -> String? {
            guard let v = try q.single(name), !v.isEmpty else { return nil }
            return v
        }
        var filters = Filters(sources: try values("source"), kinds: try values("kind"), from: try date("from"), to: try date("to"))
        for name in ["type", "number", "issuer", "signer", "status", "cites"] {
            for value in try values(name) {
                do { try filters.add(name, value) } catch { throw APIError.badParameter(error.message) }
            }
        }
        let strict = try q.bool("strict", default: false)
        let collapse = try q.bool("collapse", default: true)
        let facets = try q.bool("facets", default: false)
        return SearchRequest(query: text, limit: limit, offset: offset, filters: filters, sort: sort, strict: strict,
                             collapse: collapse, facets: facets)
    }
}
