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

    /// The search a query string asks for; a parameter out of its range is a 400 naming it.
    static func searchRequest(_ q: QueryString) throws -> SearchRequest {
        let text = q["q"] ?? ""
        let maxQueryBytes = QueryParser.maxQueryBytes
        guard text.utf8.count <= maxQueryBytes else {
            throw APIError.badQuery("the query is too long (\(text.utf8.count) bytes; at most \(maxQueryBytes))")
        }
        let limit = try q.int("limit", default: 10, in: 1...SearchRequest.maxLimit)
        let offset = try q.int("offset", default: 0, in: 0...SearchRequest.maxOffset)
        var sort = SearchSort.relevance
        if let raw = q["sort"], !raw.isEmpty {
            guard let s = SearchSort(rawValue: raw.lowercased()) else {
                throw APIError.badParameter("sort must be one of: \(SearchSort.allCases.map(\.rawValue).joined(separator: ", ")) (got '\(String(raw.prefix(40)))')")
            }
            sort = s
        }
        func values(_ name: String) throws -> [String] {
            let all = q.all(name).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            guard all.count <= 20, all.allSatisfy({ $0.utf8.count <= 200 }) else {
                throw APIError.badParameter("\(name): at most 20 values of at most 200 bytes each")
            }
            return all
        }
        func date(_ name: String) -> String? {
            guard let v = q[name]?.trimmingCharacters(in: .whitespaces), !v.isEmpty else { return nil }
            return v
        }
        var filters = Filters(sources: try values("source"), kinds: try values("kind"), from: date("from"), to: date("to"))
        for name in ["type", "number", "issuer", "signer", "status", "cites"] {
            for value in try values(name) {
                do { try filters.add(name, value) } catch { throw APIError.badParameter(error.message) }
            }
        }
        let strict = try q.bool("strict", default: false)
        let facets = try q.bool("facets", default: false)
        return SearchRequest(query: text, limit: limit, offset: offset, filters: filters, sort: sort, strict: strict,
                             facets: facets)
    }
}
