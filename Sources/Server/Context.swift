import Hummingbird
import Logging

/// The request context: Hummingbird's core storage plus the client's address for the log.
public struct VanBanRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// "ip:port" of the client, when known.
    public let remoteAddress: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress.map { address in
            if let ip = address.ipAddress, let port = address.port { return ip.contains(":") ? "[\(ip)]:\(port)" : "\(ip):\(port)" }
            return address.description
        }
    }
}

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

/// Turns every error into a JSON answer: `APIError`s as they are, Hummingbird's own errors
/// (no route, body too large...) into the same shape, anything else into a logged 500 with a
/// generic message, so no internal detail (SQLite, paths, stack) reaches a client.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = VanBanRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return error.response()
        } catch let error as any HTTPResponseError {
            return Self.translate(error, request: request, context: context).response()
        } catch {
            context.logger.error("request failed", metadata: ["error": .string("\(error)")])
            return APIError.internalError().response()
        }
    }

    static func translate(_ error: any HTTPResponseError, request: Request, context: Context) -> APIError {
        switch error.status {
        case .notFound:
            if context.endpointPath == "NotFound", let allowed = Routes.allowedMethods(for: request.uri.path), !allowed.isEmpty {
                var headers = HTTPFields()
                headers[.allow] = allowed.joined(separator: ", ")
                return APIError(.methodNotAllowed, "method_not_allowed",
                                "\(request.method.rawValue) is not allowed on \(request.uri.path) (allowed: \(allowed.joined(separator: ", ")))",
                                headers: headers)
            }
            return .notFound("no such endpoint: \(request.method.rawValue) \(String(request.uri.path.prefix(200)))")
        case .contentTooLarge:
            return APIError(.contentTooLarge, "too_large", "the request body is too large")
        default:
            let status = error.status
            if status.code >= 500 {
                context.logger.error("request failed", metadata: ["error": .string("\(error)")])
                return .internalError()
            }
            return APIError(status, status.reasonPhrase.lowercased().replacingOccurrences(of: " ", with: "_"), status.reasonPhrase)
        }
    }
}
