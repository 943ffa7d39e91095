import Hummingbird
import Logging

/// Turns every error into a JSON answer: `APIError`s as they are, Hummingbird's own errors
/// (no route, body too large...) into the same shape, anything else into a logged 500 with a
/// generic message, so no internal detail (SQLite, paths, stack) reaches a client.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = VanBanRequestContext
    /// For the `Allow` header of a 405.
    let routes: RouteTable

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return error.response()
        } catch let error as any HTTPResponseError {
            return translate(error, request: request, context: context).response()
        } catch {
            context.logger.error("request failed", metadata: ["error": .string("\(error)")])
            return APIError.internalError().response()
        }
    }

    func translate(_ error: any HTTPResponseError, request: Request, context: Context) -> APIError {
        switch error.status {
        case .notFound:
            if context.endpointPath == "NotFound", let allowed = routes.allowedMethods(for: request.uri.path), !allowed.isEmpty {
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
