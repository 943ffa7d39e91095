import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import VanBanKit

/// Answers a request NIO's HTTP/1 parser rejects (a bad request line, an 80 KB URL,
/// Content-Length with Transfer-Encoding, a negative Content-Length...) with the API's JSON
/// error shape, then closes the connection. Hummingbird alone answers such requests with an
/// empty 400, and the API promises `{"error": {"code", "message"}}` for every error.
///
/// Sits after the HTTP/1 -> HTTP types codec. When a response is still owed to an earlier
/// request on the connection, the error goes on to Hummingbird as before: writing here then
/// would interleave with that response.
final class MalformedRequestHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// A request head arrived and its response has not ended yet.
    private var responsePending = false
    private var answered = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head = unwrapInboundIn(data) { responsePending = true }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { responsePending = false }
        context.write(data, promise: promise)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parserError = error as? HTTPParserError, !responsePending else {
            context.fireErrorCaught(error)
            return
        }
        guard !answered else { return }
        answered = true
        let answer = Self.answer(parserError)
        var headers = answer.response().headers
        headers[.connection] = "close"
        headers[.contentLength] = String(answer.body.count)
        let head = HTTPResponse(status: answer.status, headerFields: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(context.channel.allocator.buffer(bytes: answer.body))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in context.close(promise: nil) }
    }

    /// The status and words for each way a request can be malformed.
    static func answer(_ error: HTTPParserError) -> APIError {
        let reason: String
        var status = HTTPResponse.Status.badRequest
        switch error {
        case .headerOverflow:
            status = .requestHeaderFieldsTooLarge
            reason = "the request line or headers are too long (at most 80 KB together)"
        case .unexpectedContentLength, .unknown:
            // llhttp's "unexpected content length" and "invalid transfer encoding" (NIO: .unknown).
            reason = "the body's framing is invalid (Content-Length and Transfer-Encoding cannot both be given, "
                + "and chunked must be the last transfer coding)"
        case .invalidContentLength:
            reason = "the Content-Length header is not a non-negative number"
        case .invalidChunkSize:
            reason = "a chunk size of the chunked body is invalid"
        case .invalidMethod:
            reason = "the request method is invalid"
        case .invalidURL:
            reason = "the request target (URL) is invalid"
        case .invalidVersion:
            reason = "the HTTP version is invalid (HTTP/1.0 and HTTP/1.1 are served)"
        case .invalidHeaderToken, .invalidCharactersUsed, .lfExpected, .invalidConstant:
            reason = "the request line or a header is not valid HTTP/1.1"
        default:
            reason = "the request is not valid HTTP/1.1"
        }
        return APIError(status, "malformed_request", "malformed HTTP request: \(reason)")
    }
}

/// HTTP/1.0 has no persistent connections unless the client asks for them with
/// `Connection: keep-alive`; Hummingbird's loop would keep every connection open. A 1.0
/// request without keep-alive is marked `Connection: close` before Hummingbird sees it (so it
/// closes after the response), and its response says so too.
final class HTTP10CloseHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private var closing = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(var head) = unwrapInboundIn(data), head.version == .http1_0 else {
            context.fireChannelRead(data)
            return
        }
        let keepAlive = head.headers[canonicalForm: "connection"].contains { $0.lowercased() == "keep-alive" }
        if !keepAlive {
            closing = true
            head.headers.replaceOrAdd(name: "Connection", value: "close")
        }
        context.fireChannelRead(wrapInboundOut(.head(head)))
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard closing, case .head(var head) = unwrapOutboundIn(data) else {
            context.write(data, promise: promise)
            return
        }
        head.headers.replaceOrAdd(name: "Connection", value: "close")
        context.write(wrapOutboundOut(.head(head)), promise: promise)
    }
}
