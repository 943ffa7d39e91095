import Foundation
import Hummingbird
import Logging
import VanBanKit

/// The HTTP API and the pages (see openapi.yaml). Each resource in Resources/ translates
/// requests into calls on the `Library` and its answers into HTTP; the route table is written
/// once, in RouteTable.swift.
public enum VanBanServer {
    public typealias Context = VanBanRequestContext

    /// The router with every endpoint, the error translation and the access log.
    public static func router(library: Library, options: ServerOptions, accessLogLevel: Logger.Level = .info) -> Router<Context> {
        let state = ServerState(library: library, options: options)
        let routes = RouteTable(state)
        let router = Router(context: Context.self, options: [.autoGenerateHeadEndpoints])
        router.add(middleware: AccessLogMiddleware(level: accessLogLevel))
        router.add(middleware: MetricsMiddleware(metrics: state.metrics))
        router.add(middleware: SecurityHeadersMiddleware())
        router.add(middleware: ErrorMiddleware(routes: routes))
        routes.register(on: router)
        return router
    }

    /// The application: the router on `options.host:options.port`. Run it with
    /// `runService()`: SIGINT/SIGTERM stop accepting connections and let in-flight requests finish.
    public static func application(library: Library, options: ServerOptions, logger: Logger,
                                   onServerRunning: @escaping @Sendable (Int?) async -> Void = { _ in })
        -> some ApplicationProtocol {
        Application(
            router: router(library: library, options: options),
            // Keep-alive connections idle this long are closed (slow or abandoned clients).
            server: VanBanHTTPChannel.builder(idleTimeout: .seconds(Int64(options.idleTimeoutSeconds))),
            configuration: .init(address: .hostname(options.host, port: options.port), serverName: options.serverName),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port) },
            logger: logger)
    }
}
