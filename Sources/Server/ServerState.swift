import Foundation
import VanBanKit

/// What every resource shares: the library, the options, the upload token and the queues
/// that bound concurrent work.
final class ServerState: Sendable {
    let library: Library
    let options: ServerOptions
    let tokens: TokenCheck
    /// Uploads imported at once; more wait their turn.
    let uploads: AsyncGate
    /// Where searches run (see `WorkerPool`).
    let searches: WorkerPool
    /// What `GET /metrics` reports.
    let metrics = ServerMetrics()

    /// One per process, whatever the number of routers: two threads per core. Every search is
    /// bounded by its budget, so a few broad ones can hold threads for at most that long each;
    /// with only one thread per core, two of them would make every cheap search wait behind
    /// them (issue 11), while spare threads let it share the cores and answer in milliseconds.
    static let searchPool = WorkerPool(threads: 2 * ProcessInfo.processInfo.activeProcessorCount, name: "vanban-search")

    init(library: Library, options: ServerOptions) {
        self.library = library
        self.options = options
        tokens = TokenCheck(token: options.token)
        uploads = AsyncGate(limit: options.concurrentUploads)
        searches = Self.searchPool
    }

    /// Runs a library call off the cooperative pool, translating its errors: a client's
    /// mistake keeps its words, anything else is logged and answered with a generic 500.
    func libraryCall<T: Sendable>(_ context: VanBanRequestContext, _ body: @escaping @Sendable () throws -> T) async throws -> T {
        do {
            return try await Blocking.run(body)
        } catch let error as LibraryError {
            let answer = APIError(error)
            if answer.status.code >= 500 {
                context.logger.error("library error", metadata: ["error": .string(error.message)])
            }
            throw answer
        } catch let error as APIError {
            throw error
        } catch {
            context.logger.error("library error", metadata: ["error": .string("\(error)")])
            throw APIError.internalError()
        }
    }

    /// Runs a search on the search threads; a query the user must change is a 400, never a 500.
    func runSearch(_ request: SearchRequest, _ context: VanBanRequestContext) async throws -> SearchResults {
        let library = self.library
        do {
            // A repeated search is answered at once; others queue for a search thread.
            if let cached = try library.cachedResults(request) { return cached }
            let started = ContinuousClock.now
            do {
                let results = try await searches.run { try library.search(request) }
                metrics.search(took: ContinuousClock.now - started, tooBroad: false)
                return results
            } catch let error as QueryError where error.kind == .tooBroad {
                metrics.search(took: ContinuousClock.now - started, tooBroad: true)
                throw error
            }
        } catch let error as QueryError where error.kind == .tooBroad {
            throw APIError(.badRequest, "query_too_broad", error.message)
        } catch let error as QueryError {
            throw APIError.badQuery(error.message)
        } catch {
            context.logger.error("search failed", metadata: ["query": .string(request.query), "error": .string("\(error)")])
            throw APIError.internalError()
        }
    }
}
