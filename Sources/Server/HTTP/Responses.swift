import Hummingbird

/// The two kinds of successful answer: JSON and HTML pages.
enum Responses {
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

/// HTTPTypes' field type (Hummingbird re-exports `HTTPFields` only).
typealias HeaderName = HTTPFields.Element.Name

extension HTTPFields.Element.Name {
    static let xContentTypeOptions = HeaderName("X-Content-Type-Options")!
    static let referrerPolicy = HeaderName("Referrer-Policy")!
}
