import Hummingbird

/// Counts every answered request in `ServerMetrics`: by route pattern (`/documents/{id}`, not
/// the id itself, so the label set stays small), method and final status, with its latency.
/// Placed outside the error translation, so errors are counted with the status the client got.
struct MetricsMiddleware: RouterMiddleware {
    typealias Context = VanBanRequestContext
    let metrics: ServerMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let response = try await next(request, context)
        // An unknown path is one label, whatever was asked for.
        let route = context.endpointPath.flatMap { $0 == "NotFound" ? nil : $0 } ?? "unmatched"
        metrics.request(route: route, method: request.method.rawValue, status: response.status.code,
                        duration: ContinuousClock.now - started)
        return response
    }
}
