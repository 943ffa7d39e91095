import Dispatch
import Foundation

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
}

/// A fixed set of threads running jobs in arrival order. Searches run here: CPU-bound SQLite
/// work on a few threads per core (see `ServerState.searchPool`), first come first served, so
/// a busy server queues requests fairly (no request waits behind later ones) and Swift
/// concurrency's threads stay free for the network.
final class WorkerPool: @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [@Sendable () -> Void] = []
    private var head = 0
    let threads: Int

    init(threads: Int, name: String) {
        self.threads = max(1, threads)
        for k in 0..<self.threads {
            let thread = Thread { [self] in self.loop() }
            thread.name = "\(name)-\(k)"
            thread.stackSize = 4 << 20
            thread.start()
        }
    }

    private func loop() {
        while true {
            condition.lock()
            while head == jobs.count { condition.wait() }
            let job = jobs[head]
            head += 1
            if head > 1024 && head * 2 > jobs.count {
                jobs.removeFirst(head)
                head = 0
            }
            condition.unlock()
            job()
        }
    }

    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            condition.withLock {
                jobs.append { continuation.resume(with: Result { try body() }) }
                condition.signal()
            }
        }
    }
}
