import Foundation
import Hummingbird
import Logging

/// Structured access log: one line per request with method, path, status, bytes and time.
/// Queries are part of the path: they are what people searched for, so the log is as
/// sensitive as the search box; the Authorization header is never logged.
struct AccessLogMiddleware: RouterMiddleware {
    typealias Context = VanBanRequestContext
    let level: Logger.Level

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        var status: HTTPResponse.Status = .internalServerError
        var bytes: Int?
        defer {
            let elapsed = ContinuousClock.now - started
            let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
            var metadata: Logger.Metadata = [
                "method": .string(request.method.rawValue),
                "path": .string(String(request.uri.description.prefix(2048))),
                "status": .stringConvertible(status.code),
                "ms": .string(String(format: "%.2f", ms)),
            ]
            if let bytes { metadata["bytes"] = .stringConvertible(bytes) }
            if let remote = context.remoteAddress { metadata["remote"] = .string(remote) }
            context.logger.log(level: status.code >= 500 ? .error : level, "request", metadata: metadata)
        }
        let response = try await next(request, context)
        status = response.status
        bytes = response.body.contentLength
        return response
    }
}
