// The time budget of one extraction. Every format's extraction is linear in its input (see
// Markdown's `Inline.render` and the libxml2 walks), so the budget is a backstop, not the
// defence: a document that still takes longer than `ExtractionLimits.timeBudgetSeconds` is
// refused with an error naming the reason, and never holds an import up for longer.
//
// The loops of the extractors call `step()` once per unit of work (a line, a node); the clock
// is read only every 4096 steps, so the check costs nothing measurable. Not thread-safe: one
// clock per extraction, on the extracting thread.

final class ExtractionClock {
    let seconds: Double
    private let deadline: ContinuousClock.Instant
    private var steps = 0
    private(set) var expired = false

    init(seconds: Double) {
        self.seconds = seconds
        deadline = ContinuousClock.now + .milliseconds(Int64(max(0, seconds) * 1000))
    }

    /// Counts one unit of work; true once the budget is spent (the caller stops early).
    @inline(__always)
    func step() -> Bool {
        steps &+= 1
        if steps & 4095 == 0, ContinuousClock.now >= deadline { expired = true }
        return expired
    }

    /// Throws when the budget was spent (checked at the end of an extraction).
    func check(_ format: String) throws(ExtractionError) {
        if expired || ContinuousClock.now >= deadline {
            throw ExtractionError(.failed, "extracting the text took longer than the time budget of \(Self.describe(seconds)) per document (a \(format) this slow to read is malformed or hostile)")
        }
    }

    static func describe(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? "\(Int(seconds)) s" : "\(seconds) s"
    }
}
