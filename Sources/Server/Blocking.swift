import Dispatch

/// Runs blocking work (file reads, extraction, imports with their fsyncs) on Dispatch threads,
/// so it never holds one of the few threads Swift concurrency's cooperative pool has.
enum Blocking {
    private static let queue = DispatchQueue(label: "vanban.blocking", qos: .userInitiated, attributes: .concurrent)

    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try body() }) }
        }
    }
}

/// At most `limit` holders at once; others wait in order.
actor AsyncGate {
    private var available: Int
    private var waiters: [CheckedContinuation<Void, Never>] = []

    init(limit: Int) { available = max(1, limit) }

    func enter() async {
        if available > 0 { available -= 1; return }
        await withCheckedContinuation { waiters.append($0) }
    }

    func leave() {
        if waiters.isEmpty { available += 1 } else { waiters.removeFirst().resume() }
    }

    func withGate<T: Sendable>(_ body: @Sendable () async throws -> T) async rethrows -> T {
        await enter()
        do {
            let result = try await body()
            leave()
            return result
        } catch {
            leave()
            throw error
        }
    }
}
