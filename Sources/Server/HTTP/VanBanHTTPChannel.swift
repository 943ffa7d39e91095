import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTPTypesHTTP1

/// Hummingbird's HTTP/1 child channel with VanBan's two corrections: malformed requests get
/// the JSON error shape (`MalformedRequestHandler`), HTTP/1.0 connections close after their
/// response (`HTTP10CloseHandler`). Everything else is `HTTP1Channel` as it is.
struct VanBanHTTPChannel: ServerChildChannel, HTTPChannelHandler {
    typealias Value = HTTP1Channel.Value
    let inner: HTTP1Channel
    var responder: HTTPChannelHandler.Responder { inner.responder }

    init(responder: @escaping HTTPChannelHandler.Responder, idleTimeout: TimeAmount?) {
        inner = HTTP1Channel(responder: responder, configuration: .init(
            additionalChannelHandlers: [MalformedRequestHandler()], idleTimeout: idleTimeout))
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        inner.setup(channel: channel, logger: logger).flatMapThrowing { value in
            // Before the conversion to HTTP types, which drops the request's HTTP version.
            let sync = channel.pipeline.syncOperations
            let codec = try sync.handler(type: HTTP1ToHTTPServerCodec.self)
            try sync.addHandler(HTTP10CloseHandler(), position: .before(codec))
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await inner.handle(value: value, logger: logger)
    }

    /// For `Application(server:)`.
    static func builder(idleTimeout: TimeAmount?) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in VanBanHTTPChannel(responder: responder, idleTimeout: idleTimeout) }
    }
}
