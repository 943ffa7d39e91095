import Foundation

/// A one-line progress bar with rate and ETA on stderr. The caller decides whether to show it
/// (only on a terminal, never with --json). Not thread-safe: serialize calls.
final class ProgressBar: @unchecked Sendable {
    private let total: Int?
    private let totalBytes: Int?
    private let unit: String
    private let started = Date()
    private var lastDraw = Date.distantPast
    private var drawn = false
    private var done = 0
    private var bytes = 0

    /// `total` items of `unit` (nil when unknown); `totalBytes` drives the percentage and
    /// ETA when given.
    init(total: Int?, unit: String, totalBytes: Int? = nil) {
        self.total = total
        self.unit = unit
        self.totalBytes = totalBytes
    }

    func update(done: Int, bytes: Int = 0) {
        self.done = done
        self.bytes = bytes
        let now = Date()
        if now.timeIntervalSince(lastDraw) < 0.1 { return }
        lastDraw = now
        draw(now)
    }

    /// Clears the bar.
    func finish() {
        if drawn { emit("\r\u{1B}[K") }
        drawn = false
    }

    private func draw(_ now: Date) {
        let elapsed = now.timeIntervalSince(started)
        var fraction: Double?
        if let totalBytes, totalBytes > 0 { fraction = min(1, Double(bytes) / Double(totalBytes)) }
        else if let total, total > 0 { fraction = min(1, Double(done) / Double(total)) }
        var line = "\r"
        if let fraction {
            let width = 24
            let filled = Int(fraction * Double(width))
            line += "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] "
            line += String(format: "%3d%% ", Int(fraction * 100))
        }
        line += total.map { "\(done)/\($0) \(unit)" } ?? "\(done) \(unit)"
        if elapsed > 0.2 {
            if bytes > 0 { line += String(format: "  %.1f MB/s", Double(bytes) / elapsed / 1e6) }
            else { line += String(format: "  %.0f %@/s", Double(done) / elapsed, unit) }
            if let fraction, fraction > 0.01, fraction < 1 {
                let eta = Int(elapsed / fraction - elapsed)
                line += String(format: "  ETA %d:%02d", eta / 60, eta % 60)
            }
        }
        emit(line + "\u{1B}[K")
        drawn = true
    }

    private func emit(_ s: String) {
        let b = Array(s.utf8)
        b.withUnsafeBytes { _ = write(2, $0.baseAddress!, $0.count) }
    }
}
