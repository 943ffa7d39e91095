import Foundation
import Hummingbird
import VanBanKit

/// `GET /documents/{id}` (metadata and text) and `GET /documents/{id}/original` (the bytes as
/// imported, with the content hash as ETag).
struct DocumentResource: Sendable {
    let state: ServerState
    init(_ state: ServerState) { self.state = state }

    /// Longest id or key accepted in a path, in bytes.
    static let maxIDBytes = 1024

    /// The document; with `?article=8`, only that article (exactly as in the text).
    func document(_ request: Request, _ context: VanBanRequestContext) async throws -> Response {
        let id = try Self.documentID(context)
        let article = try QueryString(request.uri.query).single("article").map { $0.trimmingCharacters(in: .whitespaces) }
        let library = state.library
        let view = try await state.libraryCall(context) { try library.documentView(idOrKey: id) }
        guard let article, !article.isEmpty else {
            return Responses.json(DocumentJSON.object(view).finish(), headers: [.cacheControl: "no-cache"])
        }
        let found: (title: String, text: String)
        do { found = try view.requireArticle(article) } catch { throw APIError(error) }
        return Responses.json(ArticleJSON.encode(view, label: article, article: found), headers: [.cacheControl: "no-cache"])
    }

    /// `GET /documents/{id}/graph`: the relationship diagram as JSON, or DOT with `?format=dot`.
    func graph(_ request: Request, _ context: VanBanRequestContext) async throws -> Response {
        let id = try Self.documentID(context)
        let format = try QueryString(request.uri.query).single("format")?.lowercased() ?? "json"
        guard format == "json" || format == "dot" else { throw APIError.badParameter("format must be json or dot (got '\(String(format.prefix(20)))')") }
        let library = state.library
        let view = try await state.libraryCall(context) { try library.documentView(idOrKey: id) }
        if format == "dot" {
            return Response(status: .ok, headers: [.contentType: "text/vnd.graphviz; charset=utf-8", .cacheControl: "no-cache"],
                            body: .init(byteBuffer: ByteBuffer(string: GraphJSON.dot(view))))
        }
        return Responses.json(GraphJSON.encode(view), headers: [.cacheControl: "no-cache"])
    }

    func original(_ request: Request, _ context: VanBanRequestContext) async throws -> Response {
        let id = try Self.documentID(context)
        let library = state.library
        let record = try await state.libraryCall(context) { try library.resolve(id) }
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
        let bytes = try await state.libraryCall(context) { () -> [UInt8] in
            let (current, bytes) = try library.original(idOrKey: record.id)
            guard current.hash == record.hash else { throw LibraryError(.io, "document changed while reading") }
            return bytes
        }
        headers[.contentType] = record.mediaType
        headers[.contentDisposition] = Self.contentDisposition(fileName: record.downloadFileName)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// The `{id}` path parameter, decoded and checked. It may be an id, an id prefix or a key:
    /// it is only ever looked up in the manifest, never used as a path.
    static func documentID(_ context: VanBanRequestContext) throws -> String {
        guard let raw = context.parameters.get("id"), let id = PercentEncoding.decode(raw[...], plusIsSpace: false) else {
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

    static func etagMatches(_ header: String, _ etag: String) -> Bool {
        header.split(separator: ",").contains { tag in
            let t = tag.trimmingCharacters(in: .whitespaces)
            return t == "*" || t == etag || t == "W/" + etag
        }
    }

    /// `attachment; filename="plain ascii"; filename*=UTF-8''percent-encoded`.
    static func contentDisposition(fileName name: String) -> String {
        let ascii = String(name.unicodeScalars.map { $0.isASCII && $0 != "\"" && $0 != "%" && $0 != ";" ? Character($0) : "_" })
        return "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(PercentEncoding.component(name))"
    }
}
