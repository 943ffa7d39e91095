import Hummingbird
import VanBanKit

/// An error answered as JSON: `{"error": {"code": ..., "message": ...}}`.
///
/// Every error a client can cause ends up here with a 4xx status and a message written for
/// the client; anything else becomes a 500 with a generic message (details go to the log).
public struct APIError: Error, HTTPResponseError, Sendable, CustomStringConvertible {
    public var status: HTTPResponse.Status
    /// A stable machine-readable code, e.g. "bad_query", "not_found".
    public var code: String
    /// A sentence for a person.
    public var message: String
    public var headers: HTTPFields

    public init(_ status: HTTPResponse.Status, _ code: String, _ message: String, headers: HTTPFields = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers
    }

    public var description: String { "\(status.code) \(code): \(message)" }

    /// The JSON body.
    public var body: [UInt8] {
        var inner = JSONObjectWriter()
        inner.add("code", code)
        inner.add("message", message)
        var outer = JSONObjectWriter()
        outer.addRaw("error", inner.finish())
        return outer.finish()
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        response()
    }

    public func response() -> Response {
        var headers = self.headers
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    // MARK: Common errors

    static func badParameter(_ message: String) -> APIError { APIError(.badRequest, "bad_parameter", message) }
    static func badQuery(_ message: String) -> APIError { APIError(.badRequest, "bad_query", message) }
    static func notFound(_ message: String) -> APIError { APIError(.notFound, "not_found", message) }
    static func internalError() -> APIError {
        APIError(.internalServerError, "internal_error", "the server could not complete the request; the problem is in the server log")
    }

    /// The answer for a library error: the client's mistakes keep their words; problems of
    /// this side become a generic 500 (the caller logs the details).
    init(_ error: LibraryError) {
        switch error.kind {
        case .notFound: self = .notFound(error.message)
        case .ambiguous: self.init(.badRequest, "ambiguous_id", error.message)
        case .usage: self.init(.badRequest, "bad_request", error.message)
        case .noArchive, .corrupt, .io: self = .internalError()
        }
    }

    /// The answer for a document the import pipeline refused, chosen by the failure's kind
    /// (never by its words, which are passed on to the client as they are).
    init(_ failure: ImportFailure) {
        switch failure.kind {
        case .tooLarge: self.init(.contentTooLarge, "too_large", failure.message)
        case .badMetadata: self.init(.badRequest, "bad_metadata", failure.message)
        case .conflict: self.init(.conflict, "conflict", failure.message)
        case .unsupportedFormat, .invalidText: self.init(.unsupportedMediaType, "unsupported_content", failure.message)
        case .empty, .malformed, .unreadable: self.init(.unprocessableContent, "unprocessable_content", failure.message)
        case .toolMissing: self.init(.serviceUnavailable, "tool_missing", failure.message)
        case .storage, .extraction: self = .internalError()
        }
    }
}
