import Archive
import Foundation
import Platform

/// Test-only crash points. With `VANBAN_TEST_PAUSE_AT=STAGE:N` in the environment, the
/// importer stops when its N-th batch reaches STAGE, writes "vanban-test: paused at STAGE:N"
/// to stderr and waits to be killed. Crash tests kill a child there, at an exact instant of the
/// pipeline, instead of after a random sleep. Unset (always, outside tests) it costs one
/// environment lookup per import.
enum TestPausePoint: String, CaseIterable {
    /// The batch's objects are written as temp files, nothing of it is durable yet.
    case prepared
    /// The objects are durable under their names; the manifest does not reference them yet.
    case synced
    /// The manifest lines are durable; nothing is reported or indexed yet.
    case appended
    /// The batch's results are reported.
    case reported

    static let variable = "VANBAN_TEST_PAUSE_AT"

    /// The point asked for, read once per import.
    static func requested() -> (point: TestPausePoint, batch: Int)? {
        guard let value = ProcessInfo.processInfo.environment[variable] else { return nil }
        let parts = value.split(separator: ":")
        guard parts.count == 2, let point = TestPausePoint(rawValue: String(parts[0])), let batch = Int(parts[1]) else { return nil }
        return (point, batch)
    }

    /// Pauses forever when `requested` names this point of batch `batch` (1-based).
    func reach(batch: Int, requested: (point: TestPausePoint, batch: Int)?) {
        guard let requested, requested.point == self, requested.batch == batch else { return }
        StandardStreams.write(Array("vanban-test: paused at \(rawValue):\(batch)\n".utf8), to: .standardError)
        while true { pause() }
    }
}

/// Test-only crash points of the packer (`ObjectStore.pack`), through the same variable:
/// `VANBAN_TEST_PAUSE_AT=pack-written:N` stops the N-th pack run of the process once its pack
/// and index are durable under temporary names, `pack-renamed:N` once both are in place (no
/// loose object removed yet), `pack-deleting:K` right after the K-th removal (of a loose object,
/// then of a merged pack) of a run. The process writes "vanban-test: paused at STAGE:N" to
/// stderr and waits to be killed.
final class PackPausePoint: @unchecked Sendable {
    private let requested: (step: PackStep, count: Int)?
    private let lock = NSLock()
    private var runs = 0

    init() {
        let value = ProcessInfo.processInfo.environment[TestPausePoint.variable] ?? ""
        let parts = value.split(separator: ":")
        if parts.count == 2, let step = PackStep(rawValue: String(parts[0])), let n = Int(parts[1]) {
            requested = (step, n)
        } else {
            requested = nil
        }
    }

    /// The hook for one pack run (nil when no pack step is requested).
    func hook() -> ((PackStep, Int) -> Void)? {
        guard let requested else { return nil }
        let run = lock.withLock { runs += 1; return runs }
        return { step, n in
            guard step == requested.step else { return }
            let count = step == .deleting ? n : run
            guard count == requested.count else { return }
            StandardStreams.write(Array("vanban-test: paused at \(step.rawValue):\(requested.count)\n".utf8), to: .standardError)
            while true { pause() }
        }
    }
}
