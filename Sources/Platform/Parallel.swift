import Dispatch
import Foundation

/// Runs `body(i)` once for every index in `order`, in that order of start, on `workers`
/// threads (default: one per core). Callers put the largest items first so the last ones to
/// finish are small. More workers than cores is for work that blocks in the kernel (file
/// creation): those run on plain threads.
package func parallelForEach(_ order: [Int], workers: Int = ProcessInfo.processInfo.activeProcessorCount,
                             _ body: @escaping @Sendable (Int) -> Void) {
    guard !order.isEmpty else { return }
    let counter = SharedCounter()
    let n = max(1, min(workers, order.count))
    if n == 1 { order.forEach(body); return }
    let work: @Sendable () -> Void = {
        while true {
            let k = counter.next()
            if k >= order.count { return }
            body(order[k])
        }
    }
    if n <= ProcessInfo.processInfo.activeProcessorCount {
        DispatchQueue.concurrentPerform(iterations: n) { _ in work() }
        return
    }
    let group = DispatchGroup()
    for _ in 0..<n {
        group.enter()
        let t = Thread { work(); group.leave() }
        t.stackSize = 1 << 20
        t.start()
    }
    group.wait()
}

/// `parallelForEach` over `0..<count`.
package func parallelForEach(count: Int, workers: Int = ProcessInfo.processInfo.activeProcessorCount,
                             _ body: @escaping @Sendable (Int) -> Void) {
    parallelForEach(Array(0..<count), workers: workers, body)
}

/// Hands out 0, 1, 2, ... to concurrent workers.
package final class SharedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    package init() {}
    package func next() -> Int { lock.withLock { defer { value += 1 }; return value } }
}

/// Keeps the first error reported by concurrent workers.
package final class FirstError<E: Error>: @unchecked Sendable {
    private let lock = NSLock()
    private var first: E?
    package init() {}
    package func record(_ e: E) { lock.withLock { if first == nil { first = e } } }
    package var error: E? { lock.withLock { first } }
}

/// A value handed to concurrent workers that each touch a disjoint part of it (the caller
/// guarantees that; the compiler cannot see it).
package struct UnsafeSendable<T>: @unchecked Sendable {
    package var value: T
    package init(_ value: T) { self.value = value }
}
