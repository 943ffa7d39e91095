import Hummingbird

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
