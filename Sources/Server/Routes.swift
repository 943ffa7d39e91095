import Foundation
import Hummingbird
import Logging
import VanBanKit

/// The HTTP API and the pages: each handler translates a request into calls on VanBanKit
/// (`SearchService`, `Library`) and their answers into HTTP. See openapi.yaml.
public enum VanBanServer {
    public typealias Context = VanBanRequestContext

    /// The router with every endpoint, the error translation and the access log.
    public static func router(service: SearchService, options: ServerOptions, accessLogLevel: Logger.Level = .info) -> Router<Context> {
        let handlers = Handlers(service: service, options: options)
        let router = Router(context: Context.self, options: [.autoGenerateHeadEndpoints])
        router.add(middleware: AccessLogMiddleware(level: accessLogLevel))
        router.add(middleware: SecurityHeadersMiddleware())
        router.add(middleware: ErrorMiddleware())

        router.get("/") { request, context in try await handlers.searchPage(request, context) }
        router.get("/view/{id}") { request, context in try await handlers.documentPage(request, context) }
        router.get("/assets/search.js") { _, _ in Assets.script() }

        router.get("/search") { request, context in try await handlers.search(request, context) }
        router.get("/documents/{id}") { request, context in try await handlers.document(request, context) }
        router.get("/documents/{id}/original") { request, context in try await handlers.original(request, context) }
        router.post("/documents") { request, context in try await handlers.upload(request, context) }
        router.get("/health") { request, context in try await handlers.health(request, context) }
        router.get("/stats") { request, context in try await handlers.stats(request, context) }
        return router
    }

    /// The application: the router on `options.host:options.port`. Run it with
    /// `runService()`: SIGINT/SIGTERM stop accepting connections and let in-flight requests finish.
    public static func application(service: SearchService, options: ServerOptions, logger: Logger,
                                   onServerRunning: @escaping @Sendable (Int?) async -> Void = { _ in })
        -> some ApplicationProtocol {
        Application(
            router: router(service: service, options: options),
            // Keep-alive connections idle this long are closed (slow or abandoned clients).
            server: .http1(configuration: .init(idleTimeout: .seconds(Int64(options.idleTimeoutSeconds)))),
            configuration: .init(address: .hostname(options.host, port: options.port), serverName: options.serverName),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port) },
            logger: logger)
    }
}

/// Which methods each path accepts (for 405 answers).
enum Routes {
    static func allowedMethods(for path: String) -> [String]? {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        let s = Array(segments)
        switch s.count {
        case 1 where s[0].isEmpty: return ["GET", "HEAD"]
        case 1 where s[0] == "search" || s[0] == "health" || s[0] == "stats": return ["GET", "HEAD"]
        case 1 where s[0] == "documents": return ["POST"]
        case 2 where s[0] == "documents" && !s[1].isEmpty: return ["GET", "HEAD"]
        case 2 where s[0] == "view" && !s[1].isEmpty: return ["GET", "HEAD"]
        case 2 where s[0] == "assets" && s[1] == "search.js": return ["GET", "HEAD"]
        case 3 where s[0] == "documents" && !s[1].isEmpty && s[2] == "original": return ["GET", "HEAD"]
        default: return nil
        }
    }
}

/// Headers every answer carries.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = VanBanRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.xContentTypeOptions] = "nosniff"
        if response.headers[.contentSecurityPolicy] == nil {
            // JSON and errors: nothing may run or load if a browser ever renders them.
            response.headers[.contentSecurityPolicy] = "default-src 'none'; frame-ancestors 'none'"
        }
        response.headers[.referrerPolicy] = "no-referrer"
        return response
    }
}

/// HTTPTypes' field type (Hummingbird re-exports `HTTPFields` only).
typealias HeaderName = HTTPFields.Element.Name

extension HTTPFields.Element.Name {
    static let xContentTypeOptions = HeaderName("X-Content-Type-Options")!
    static let referrerPolicy = HeaderName("Referrer-Policy")!
}

/// The endpoint implementations.
final class Handlers: Sendable {
    typealias Context = VanBanRequestContext

    let service: SearchService
    let options: ServerOptions
    let tokens: TokenCheck
    let uploads: AsyncGate
    let facets: FacetCache
    /// Where searches run (see `WorkerPool`).
    let searches: WorkerPool

    /// One per process: searches are limited to one per core whatever the number of routers.
    static let searchPool = WorkerPool(threads: ProcessInfo.processInfo.activeProcessorCount, name: "vanban-search")

    /// Longest query accepted, in bytes: the query language's own limit, checked here before
    /// the search is queued (the parser also caps the number of terms).
    static let maxQueryBytes = QueryParser.maxQueryBytes
    /// Longest id or key accepted in a path, in bytes.
    static let maxIDBytes = 1024

    init(service: SearchService, options: ServerOptions) {
        self.service = service
        self.options = options
        tokens = TokenCheck(token: options.token)
        uploads = AsyncGate(limit: options.concurrentUploads)
        facets = FacetCache(library: service.library)
        searches = Self.searchPool
    }

    var library: Library { service.library }

    // MARK: Search

    func search(_ request: Request, _ context: Context) async throws -> Response {
        let query = try QueryString(request.uri.query)
        let searchRequest = try Self.searchRequest(query)
        let results = try await runSearch(searchRequest, context)
        return Self.json(SearchJSON.encode(results), headers: [.cacheControl: "no-cache"])
    }

    static func searchRequest(_ q: QueryString) throws -> SearchRequest {
        let text = q["q"] ?? ""
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
        let filters = Filters(sources: try values("source"), kinds: try values("kind"), from: date("from"), to: date("to"))
        return SearchRequest(query: text, limit: limit, offset: offset, filters: filters, sort: sort)
    }

    /// Runs a search; a query the user must change is a 400, never a 500.
    func runSearch(_ request: SearchRequest, _ context: Context) async throws -> SearchResults {
        let service = self.service
        do {
            // A repeated search is answered at once; others queue for a search thread.
            if let cached = try service.cachedResults(request) { return cached }
            return try await searches.run { try service.search(request) }
        } catch let error as QueryError {
            throw APIError.badQuery(error.message)
        } catch let error as SQLiteError where error.code & 0xFF == 1 {
            // SQLITE_ERROR on a search means the query became an expression FTS5 rejects: a
            // parser bug to fix, but the client gets a 400, never SQLite's words.
            context.logger.warning("query rejected by SQLite", metadata: ["query": .string(request.query), "error": .string("\(error)")])
            throw APIError.badQuery("this query cannot be run; try other words")
        } catch {
            context.logger.error("search failed", metadata: ["query": .string(request.query), "error": .string("\(error)")])
            throw APIError.internalError()
        }
    }

    // MARK: Documents

    /// The `{id}` path parameter, decoded and checked. It may be an id, an id prefix or a key:
    /// it is only ever looked up in the manifest, never used as a path.
    static func documentID(_ context: Context) throws -> String {
        guard let raw = context.parameters.get("id"), let id = PathDecoding.decode(raw[...]) else {
            throw APIError(.badRequest, "bad_id", "the document id is not valid percent-encoded UTF-8")
        }
        guard !id.isEmpty, id.utf8.count <= maxIDBytes else {
            throw APIError(.badRequest, "bad_id", "a document id or key has 1 to \(maxIDBytes) bytes")
        }
        guard !id.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw APIError(.badRequest, "bad_id", "a document id or key cannot contain control characters")
        }
        return id
    }

    /// Runs a library call off the cooperative pool, translating its errors.
    func libraryCall<T: Sendable>(_ context: Context, _ body: @escaping @Sendable () throws -> T) async throws -> T {
        do {
            return try await Blocking.run(body)
        } catch let error as LibraryError {
            let answer = APIError.from(error)
            if answer.status.code >= 500 {
                context.logger.error("library error", metadata: ["error": .string(error.message)])
            }
            throw answer
        } catch let error as APIError {
            throw error
        } catch {
            context.logger.error("library error", metadata: ["error": .string("\(error)")])
            throw APIError.internalError()
        }
    }

    func document(_ request: Request, _ context: Context) async throws -> Response {
        let id = try Self.documentID(context)
        let library = self.library
        let json = try await libraryCall(context) {
            let (record, text) = try library.document(idOrKey: id)
            return DocumentJSON.object(record, text: text, versions: try library.versionCount(of: record.id)).finish()
        }
        return Self.json(json, headers: [.cacheControl: "no-cache"])
    }

    func original(_ request: Request, _ context: Context) async throws -> Response {
        let id = try Self.documentID(context)
        let library = self.library
        let record = try await libraryCall(context) { try library.resolve(id) }
        let etag = "\"\(record.hash)\""
        var headers: HTTPFields = [
            .eTag: etag,
            .cacheControl: "no-cache",
            // The original may be HTML: never let it run as a page of this site.
            .contentSecurityPolicy: "sandbox; default-src 'none'",
        ]
        if request.headers[values: .ifNoneMatch].contains(where: { Self.etagMatches($0, etag) }) {
            return Response(status: .notModified, headers: headers)
        }
        let bytes = try await libraryCall(context) { () -> [UInt8] in
            let (current, bytes) = try library.original(idOrKey: record.id)
            guard current.hash == record.hash else { throw LibraryError(.io, "document changed while reading") }
            return bytes
        }
        headers[.contentType] = record.mediaType
        headers[.contentDisposition] = Self.contentDisposition(for: record)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func etagMatches(_ header: String, _ etag: String) -> Bool {
        header.split(separator: ",").contains { tag in
            let t = tag.trimmingCharacters(in: .whitespaces)
            return t == "*" || t == etag || t == "W/" + etag
        }
    }

    /// `attachment; filename="plain ascii"; filename*=UTF-8''percent-encoded`.
    static func contentDisposition(for record: ManifestRecord) -> String {
        var name = record.fileName.flatMap { $0.isEmpty ? nil : $0 } ?? "\(record.id).\(fileExtension(for: record.mediaType))"
        // Only the last path component, without control characters.
        name = String(name.split(separator: "/").last ?? "")
        name = String(name.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F && $0 != "\\" })
        if name.isEmpty { name = "\(record.id).\(fileExtension(for: record.mediaType))" }
        let ascii = String(name.unicodeScalars.map { $0.isASCII && $0 != "\"" && $0 != "%" && $0 != ";" ? Character($0) : "_" })
        return "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(URLEncoding.component(name))"
    }

    static func fileExtension(for mediaType: String) -> String {
        switch HeaderValue(mediaType).mediaType {
        case "text/html": return "html"
        case "text/markdown": return "md"
        case "application/pdf": return "pdf"
        case "application/vnd.openxmlformats-officedocument.wordprocessingml.document": return "docx"
        case "text/plain": return "txt"
        default: return "bin"
        }
    }

    // MARK: Upload

    /// Metadata fields an upload may carry (query parameters or multipart fields).
    static let metadataFields: Set<String> = ["key", "title", "source", "kind", "date", "url"]

    func upload(_ request: Request, _ context: Context) async throws -> Response {
        try tokens.authorize(request)
        let limit = options.bodyLimit
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit {
            throw Self.tooLarge(limit)
        }
        await uploads.enter()
        do {
            let response = try await receiveAndImport(request, context)
            await uploads.leave()
            return response
        } catch {
            await uploads.leave()
            throw error
        }
    }

    static func tooLarge(_ limit: Int) -> APIError {
        APIError(.contentTooLarge, "too_large", "the request body is over the limit of \(formatBytes(limit)) (\(limit) bytes)")
    }

    private func receiveAndImport(_ request: Request, _ context: Context) async throws -> Response {
        var request = request
        let limit = options.bodyLimit
        let buffer: ByteBuffer
        do {
            // Multipart framing adds a little to the document itself.
            buffer = try await request.collectBody(upTo: limit + 64 * 1024)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw Self.tooLarge(limit)
        }
        let body = Array(buffer.readableBytesView)
        let query = try QueryString(request.uri.query)
        let payload = try Self.payload(body: body, contentType: request.headers[.contentType],
                                       contentDisposition: request.headers[.contentDisposition], query: query)
        if payload.bytes.count > limit { throw Self.tooLarge(limit) }
        if payload.bytes.isEmpty { throw APIError(.badRequest, "empty_body", "the document is empty") }
        if let problem = payload.metadata.validationProblem() { throw APIError(.badRequest, "bad_metadata", problem) }

        let importOptions = { var o = ImportOptions(); o.maxSize = limit; return o }()
        let service = self.service
        let logger = context.logger
        let (result, versions) = try await libraryCall(context) { () -> (ImportResult?, Int) in
            var result: ImportResult?
            let summary = try service.importDocuments([.payload(payload)], options: importOptions) { result = $0 }
            for warning in summary.warnings { logger.warning("import warning", metadata: ["warning": .string(warning)]) }
            let versions = try result?.record.map { try service.library.versionCount(of: $0.id) } ?? 0
            return (result, versions)
        }
        guard let result else { throw APIError.internalError() }
        switch result.status {
        case .imported, .unchanged:
            guard let record = result.record else { throw APIError.internalError() }
            var w = DocumentJSON.object(record, text: nil, versions: versions)
            w.add("status", result.status.rawValue)
            let location = "/documents/\(record.id)"
            context.logger.info("document \(result.status.rawValue)", metadata: ["id": .string(record.id), "seq": .stringConvertible(record.seq)])
            return Self.json(w.finish(), status: result.status == .imported ? .created : .ok, headers: [.location: location])
        case .failed:
            throw Self.importFailure(result.reason ?? "the document could not be imported")
        }
    }

    /// The status for an import failure reason (the pipeline's words, passed on to the client).
    static func importFailure(_ reason: String) -> APIError {
        let r = reason.lowercased()
        if r.contains("over the size limit") {
            return APIError(.contentTooLarge, "too_large", reason)
        }
        if r.contains("yyyy-mm-dd") || r.contains("--key") {
            return APIError(.badRequest, "bad_metadata", reason)
        }
        if r.contains("already belongs to another document") || r.contains("collides") {
            return APIError(.conflict, "conflict", reason)
        }
        if r.contains("binary") || r.contains("not supported") || r.contains("unsupported") || r.contains("declared as")
            || r.contains("invalid utf-8") || r.contains("utf-16") || r.contains("not a docx: word/document.xml missing") {
            return APIError(.unsupportedMediaType, "unsupported_content", reason)
        }
        return APIError(.unprocessableContent, "unprocessable_content", reason)
    }

    /// The document and its metadata from the request: multipart/form-data (a `file` part and
    /// metadata fields), application/json ({"text", "title", ...}, as one JSON Lines line), or
    /// the raw document with metadata in the query string.
    static func payload(body: [UInt8], contentType: String?, contentDisposition: String?, query: QueryString) throws -> ImportPayload {
        let type = contentType.map(HeaderValue.init)
        var metadata = DocumentMetadata()
        func set(_ name: String, _ value: String) throws {
            guard value.utf8.count <= 4096 else { throw APIError(.badRequest, "bad_metadata", "\(name) is longer than 4096 bytes") }
            switch name {
            case "key": metadata.key = value
            case "title": metadata.title = value
            case "source": metadata.source = value
            case "kind": metadata.kind = value
            case "date": metadata.date = value
            case "url": metadata.url = value
            default: throw APIError(.badRequest, "bad_metadata", "unknown metadata field '\(String(name.prefix(40)))' (known: filename, \(metadataFields.sorted().joined(separator: ", ")))")
            }
        }
        var fileName = query["filename"]
        for (name, value) in query.pairs where name != "filename" { try set(name, value) }
        func checkFileName() throws {
            if let name = fileName, name.utf8.count > 4096 {
                throw APIError(.badRequest, "bad_metadata", "filename is longer than 4096 bytes")
            }
        }
        try checkFileName()

        switch type?.mediaType {
        case "multipart/form-data":
            guard let boundary = Multipart.boundary(fromContentType: contentType!) else {
                throw APIError(.badRequest, "bad_multipart", "multipart/form-data needs a boundary parameter")
            }
            let parts: [MultipartPart]
            do { parts = try Multipart.parse(body, boundary: boundary) } catch {
                throw APIError(.badRequest, "bad_multipart", error.message)
            }
            let files = parts.filter { $0.name == "file" }
            guard files.count == 1, let file = files.first else {
                throw APIError(.badRequest, "bad_multipart", files.isEmpty ? "the multipart body has no 'file' part" : "one document per request: the multipart body has \(files.count) 'file' parts")
            }
            for part in parts where part.name != "file" {
                guard let value = String(validating: part.body, as: UTF8.self) else {
                    throw APIError(.badRequest, "bad_metadata", "the field '\(String(part.name.prefix(40)))' is not UTF-8 text")
                }
                if part.name == "filename" { fileName = value } else { try set(part.name, value) }
            }
            if fileName == nil { fileName = file.fileName }
            try checkFileName()
            let mediaType = file.contentType.flatMap { HeaderValue($0).mediaType == "application/octet-stream" ? nil : $0 }
            let name = fileName
            return ImportPayload(name: name ?? "upload", bytes: Array(file.body), fileName: name.map(baseName),
                                 mediaType: mediaType, metadata: metadata)
        case "application/json":
            struct JSONDocument: Decodable {
                var text: String
                var title: String?, key: String?, source: String?, kind: String?, date: String?, url: String?
            }
            let doc: JSONDocument
            do {
                doc = try JSONDecoder().decode(JSONDocument.self, from: Data(body))
            } catch DecodingError.keyNotFound(let key, _) {
                throw APIError(.badRequest, "bad_json", "missing required field \"\(key.stringValue)\"")
            } catch DecodingError.typeMismatch(_, let ctx) {
                let field = ctx.codingPath.map(\.stringValue).joined(separator: ".")
                throw APIError(.badRequest, "bad_json", field.isEmpty ? "the body must be a JSON object" : "field \"\(field)\" must be a string")
            } catch {
                throw APIError(.badRequest, "bad_json", "the body is not valid JSON: {\"text\": ..., \"title\", \"key\", \"source\", \"kind\", \"date\", \"url\"}")
            }
            for (name, value) in [("key", doc.key), ("title", doc.title), ("source", doc.source), ("kind", doc.kind), ("date", doc.date), ("url", doc.url)] {
                if let value { try set(name, value) }
            }
            return ImportPayload(name: fileName ?? "upload.json", bytes: Array(doc.text.utf8), fileName: fileName.map(baseName),
                                 mediaType: "text/plain; charset=utf-8", metadata: metadata)
        default:
            if fileName == nil, let disposition = contentDisposition {
                let header = HeaderValue(disposition)
                fileName = header.parameters["filename*"].flatMap(Multipart.decodeExtendedValue) ?? header.parameters["filename"]
                try checkFileName()
            }
            let mediaType = (type?.mediaType == "application/octet-stream" || type?.mediaType == "") ? nil : contentType
            return ImportPayload(name: fileName ?? "upload", bytes: body, fileName: fileName.map(baseName),
                                 mediaType: mediaType, metadata: metadata)
        }
    }

    static func baseName(_ name: String) -> String {
        String(name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last ?? "")
    }

    // MARK: Health and stats

    func health(_ request: Request, _ context: Context) async throws -> Response {
        let service = self.service
        do {
            let status = try await Blocking.run { try service.status() }
            var w = JSONObjectWriter()
            w.add("status", "ok")
            w.add("documents", status.documents)
            w.add("manifest_seq", status.manifestSequence)
            w.add("applied_seq", status.appliedSequence)
            w.add("index_lag", status.lag)
            w.add("caught_up", status.caughtUp)
            w.add("generation", status.generation)
            return Self.json(w.finish(), headers: [.cacheControl: "no-store"])
        } catch {
            context.logger.error("health check failed", metadata: ["error": .string("\(error)")])
            var w = JSONObjectWriter()
            w.add("status", "error")
            var inner = JSONObjectWriter()
            inner.add("code", "unavailable")
            inner.add("message", "the index cannot be read; the problem is in the server log")
            w.addRaw("error", inner.finish())
            return Self.json(w.finish(), status: .serviceUnavailable, headers: [.cacheControl: "no-store"])
        }
    }

    func stats(_ request: Request, _ context: Context) async throws -> Response {
        let library = self.library
        let json = try await libraryCall(context) { StatsJSON.encode(try library.stats()) }
        return Self.json(json, headers: [.cacheControl: "no-cache"])
    }

    // MARK: Pages

    func searchPage(_ request: Request, _ context: Context) async throws -> Response {
        let query = (try? QueryString(request.uri.query)) ?? QueryString.empty
        let form = SearchForm(query)
        let facetValues = try? await Blocking.run { [facets] in try facets.current() }
        var results: SearchResults?
        var errorMessage: String?
        var status = HTTPResponse.Status.ok
        if form.isSearch {
            do {
                results = try await runSearch(form.request(pageSize: options.pageSize), context)
            } catch let error as APIError {
                errorMessage = error.status == .badRequest ? error.message : "Máy chủ gặp lỗi khi tìm kiếm. Vui lòng thử lại sau."
                status = error.status
            }
        }
        // Untitled documents are shown by their file name.
        var fileNames: [String: String] = [:]
        for hit in results?.hits ?? [] where hit.title?.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ?? true {
            if let name = try? library.resolve(hit.id).fileName { fileNames[hit.id] = name }
        }
        let html = Page.search(form: form, results: results, error: errorMessage, facets: facetValues,
                               pageSize: options.pageSize, fileNames: fileNames)
        return Self.html(html, status: status)
    }

    func documentPage(_ request: Request, _ context: Context) async throws -> Response {
        let back = (try? QueryString(request.uri.query))?["q"]
        let id: String
        do { id = try Self.documentID(context) } catch let error as APIError {
            return Self.html(Page.error(status: error.status, message: error.message), status: error.status)
        }
        let library = self.library
        do {
            let (record, text, versions) = try await libraryCall(context) { () -> (ManifestRecord, String, Int) in
                let (record, text) = try library.document(idOrKey: id)
                return (record, text, try library.versionCount(of: record.id))
            }
            return Self.html(Page.document(record, text: text, versions: versions, backQuery: back))
        } catch let error as APIError {
            let message = error.status == .notFound ? "Không tìm thấy văn bản “\(id)”." : error.status.code >= 500 ? "Máy chủ gặp lỗi khi đọc văn bản." : error.message
            return Self.html(Page.error(status: error.status, message: message), status: error.status)
        }
    }

    // MARK: Responses

    static func json(_ bytes: [UInt8], status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [
            .contentType: "text/html; charset=utf-8",
            .cacheControl: "no-cache",
            .contentSecurityPolicy: Page.contentSecurityPolicy,
        ], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

extension QueryString {
    static let empty = try! QueryString(nil)
}

/// Distinct sources and kinds of the current documents, for the page's filters; recomputed
/// only when the manifest has grown.
final class FacetCache: @unchecked Sendable {
    struct Values: Sendable {
        var sources: [String]
        var kinds: [String]
        var documents: Int
    }

    private let library: Library
    private let lock = NSLock()
    private var cached: (seq: Int, values: Values)?

    init(library: Library) { self.library = library }

    func current() throws -> Values {
        let state = try library.manifest.refresh()
        if let cached = lock.withLock({ cached }), cached.seq == state.lastSeq { return cached.values }
        var sources: [String: Int] = [:]
        var kinds: [String: Int] = [:]
        for record in state.current.values {
            if let s = record.source, !s.isEmpty { sources[s, default: 0] += 1 }
            if let k = record.kind, !k.isEmpty { kinds[k, default: 0] += 1 }
        }
        func ordered(_ counts: [String: Int]) -> [String] {
            counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(200).map(\.key)
        }
        let values = Values(sources: ordered(sources), kinds: ordered(kinds), documents: state.current.count)
        lock.withLock { cached = (state.lastSeq, values) }
        return values
    }
}

