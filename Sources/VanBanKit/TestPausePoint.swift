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
