import Hummingbird
import VanBanKit

/// `GET /health` (is the index readable, and caught up with the archive) and `GET /stats`
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

    func stats(_ request: Request, _ context: VanBanRequestContext) async throws -> Response {
        let library = state.library
        let json = try await state.libraryCall(context) { StatsJSON.encode(try library.stats()) }
        return Responses.json(json, headers: [.cacheControl: "no-cache"])
    }
}
