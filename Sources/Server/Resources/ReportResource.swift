import Hummingbird
import VanBanKit

/// `GET /report`: a period report (`vanban report`) as JSON, or `format=csv` (the list of
/// documents) or `format=markdown`; `GET /report/view`: the same report as a page, with a bar
/// chart of documents per month. Parameters: `from` and `to`, or `half` (2024H1), or `year`;
/// `q` to count only what a query finds.
struct ReportResource: Sendable {
    let state: ServerState
    init(_ state: ServerState) { self.state = state }

    func report(_ request: Request, _ context: VanBanRequestContext) async throws -> Response {
        let query = try QueryString(request.uri.query)
        let format = (try query.single("format") ?? "json").lowercased()
        guard ["json", "csv", "markdown", "md"].contains(format) else {
            throw APIError.badParameter("format must be one of: json, csv, markdown (got '\(String(format.prefix(40)))')")
        }
        let report = try await run(try Self.period(query), query: try Self.queryText(query), context)
        switch format {
        case "csv":
            return Self.text(ReportText.csv(report), type: "text/csv; charset=utf-8; header=present")
        case "markdown", "md":
            return Self.text(ReportText.markdown(report), type: "text/markdown; charset=utf-8")
        default:
            return Responses.json(ReportJSON.encode(report), headers: [.cacheControl: "no-cache"])
        }
    }

    func view(_ request: Request, _ context: VanBanRequestContext) async throws -> Response {
        let query = (try? QueryString(request.uri.query)) ?? QueryString.empty
        let form = ReportForm(query)
        guard form.isReport else { return Responses.html(Page.report(form: form, report: nil, error: nil)) }
        do {
            let report = try await run(try Self.period(query), query: try Self.queryText(query), context)
            return Responses.html(Page.report(form: form, report: report, error: nil))
        } catch let error as APIError {
            let message = error.status == .badRequest ? error.message : "Máy chủ gặp lỗi khi lập báo cáo. Vui lòng thử lại sau."
            return Responses.html(Page.report(form: form, report: nil, error: message), status: error.status)
        }
    }

    /// The period the parameters name; a bad one is a 400 naming it.
    static func period(_ q: QueryString) throws -> ReportPeriod {
        func value(_ name: String) throws -> String? {
            guard let v = try q.single(name) else { return nil }
            // Counted as openapi.yaml's maxLength counts (Unicode scalars).
            guard v.unicodeScalars.count <= 40 else { throw APIError.badParameter("\(name): at most 40 characters") }
            return v
        }
        do {
            return try ReportPeriod(from: try value("from"), to: try value("to"), half: try value("half"), year: try value("year"))
        } catch let error as LibraryError {
            throw APIError.badParameter(error.message)
        }
    }

    static func queryText(_ q: QueryString) throws -> String? {
        guard let text = try q.single("q") else { return nil }
        guard text.unicodeScalars.count <= QueryParser.maxQueryCharacters else {
            throw APIError.badQuery("the query is too long (\(text.unicodeScalars.count) characters; at most \(QueryParser.maxQueryCharacters))")
        }
        return text
    }

    /// Runs the report on the search threads (with a query it is a search); a query the user
    /// must change is a 400.
    func run(_ period: ReportPeriod, query: String?, _ context: VanBanRequestContext) async throws -> PeriodReport {
        let library = state.library
        do {
            return try await state.searches.run { try library.report(period, query: query) }
        } catch let error as QueryError where error.kind == .tooBroad {
            throw APIError(.badRequest, "query_too_broad", error.message)
        } catch let error as QueryError {
            throw APIError.badQuery(error.message)
        } catch let error as LibraryError {
            throw APIError(error)
        } catch {
            context.logger.error("report failed", metadata: ["error": .string("\(error)")])
            throw APIError.internalError()
        }
    }

    static func text(_ text: String, type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type, .cacheControl: "no-cache"],
                 body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
