import Hummingbird
import VanBanKit

/// `GET /health` (is the index readable, and caught up with the archive), `GET /health/live`
/// (the process answers), `GET /health/ready` (it can serve complete results: the index is
/// readable and has applied the whole manifest), `GET /metrics` (Prometheus) and `GET /stats`
/// (the archive's counts).
struct StatusResource: Sendable {
    let state: ServerState
    init(_ state: ServerState) { self.state = state }

    func health(_ request: Request, _ context: VanBanRequestContext) async throws -> Response {
        let library = state.library
        do {
            let status = try await Blocking.run { try library.status() }
            return Responses.json(HealthJSON.encode(status), headers: [.cacheControl: "no-store"])
        } catch {
            context.logger.error("health check failed", metadata: ["error": .string("\(error)")])
            return Responses.json(HealthJSON.encodeUnavailable(), status: .serviceUnavailable, headers: [.cacheControl: "no-store"])
        }
    }

    /// Liveness: answered by the HTTP layer alone, so a busy or broken index never gets a
    /// live server restarted.
    func live(_ request: Request, _ context: VanBanRequestContext) async throws -> Response {
        Responses.json(Array(#"{"status":"live"}"#.utf8), headers: [.cacheControl: "no-store"])
    }

    /// Readiness: 200 when the index is readable and caught up with the archive, else 503 with
    /// the reason (a load balancer sends searches elsewhere while an index catches up).
    func ready(_ request: Request, _ context: VanBanRequestContext) async throws -> Response {
        let library = state.library
        do {
            let status = try await Blocking.run { try library.status() }
            return Responses.json(HealthJSON.encodeReadiness(status), status: status.caughtUp ? .ok : .serviceUnavailable,
                                  headers: [.cacheControl: "no-store"])
        } catch {
            context.logger.error("readiness check failed", metadata: ["error": .string("\(error)")])
            return Responses.json(HealthJSON.encodeUnavailable(), status: .serviceUnavailable, headers: [.cacheControl: "no-store"])
        }
    }

    /// Prometheus text format, version 0.0.4.
    func metrics(_ request: Request, _ context: VanBanRequestContext) async throws -> Response {
        let library = state.library, metrics = state.metrics
        let body = try await Blocking.run { metrics.exposition(library) }
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    func stats(_ request: Request, _ context: VanBanRequestContext) async throws -> Response {
        let library = state.library
        let json = try await state.libraryCall(context) { StatsJSON.encode(try library.stats()) }
        return Responses.json(json, headers: [.cacheControl: "no-cache"])
    }
}
