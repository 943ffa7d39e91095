import Hummingbird

/// One endpoint: a method, a path pattern (Hummingbird's syntax, `{id}` for a parameter) and
/// its handler.
struct Route: Sendable {
    typealias Handler = @Sendable (Request, VanBanRequestContext) async throws -> Response
    let method: HTTPRequest.Method
    let path: String
    let handler: Handler

    init(_ method: HTTPRequest.Method, _ path: String, _ handler: @escaping Handler) {
        self.method = method; self.path = path; self.handler = handler
    }

    /// True when `path` matches the pattern: same number of segments, each literal equal and
    /// each `{parameter}` non-empty.
    func matches(_ path: String) -> Bool {
        let pattern = self.path.split(separator: "/", omittingEmptySubsequences: false)
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        guard pattern.count == segments.count else { return false }
        for (p, s) in zip(pattern, segments) {
            if p.hasPrefix("{") && p.hasSuffix("}") { if s.isEmpty { return false } } else if p != s { return false }
        }
        return true
    }
}

/// Every endpoint of the server, written once: the router is built from it, and the methods a
/// path allows (the `Allow` header of a 405) are read from it.
struct RouteTable: Sendable {
    let routes: [Route]

    init(_ state: ServerState) {
        let pages = PageResource(state)
        let search = SearchResource(state)
        let documents = DocumentResource(state)
        let uploads = UploadResource(state)
        let status = StatusResource(state)
        let reports = ReportResource(state)
        routes = [
            Route(.get, "/", pages.search),
            Route(.get, "/view/{id}", pages.document),
            Route(.get, "/assets/search.js", { _, _ in Assets.script() }),
            Route(.get, "/search", search.search),
            Route(.get, "/report", reports.report),
            Route(.get, "/report/view", reports.view),
            Route(.get, "/documents/{id}", documents.document),
            Route(.get, "/documents/{id}/original", documents.original),
            Route(.get, "/documents/{id}/graph", documents.graph),
            Route(.post, "/documents", uploads.upload),
            Route(.get, "/health", status.health),
            Route(.get, "/health/live", status.live),
            Route(.get, "/health/ready", status.ready),
            Route(.get, "/metrics", status.metrics),
            Route(.get, "/stats", status.stats),
        ]
    }

    /// Registers every route (HEAD is answered for every GET by Hummingbird itself).
    func register(on router: Router<VanBanRequestContext>) {
        for route in routes {
            router.on(RouterPath(route.path), method: route.method, use: route.handler)
        }
    }

    /// The methods `path` accepts, nil when no route has that path.
    func allowedMethods(for path: String) -> [String]? {
        let methods = routes.filter { $0.matches(path) }.map(\.method)
        guard !methods.isEmpty else { return nil }
        var names = methods.map(\.rawValue)
        if methods.contains(.get) { names.append("HEAD") }
        return names
    }
}
