import ArgumentParser
import Foundation
import VanBanKit

/// Exit statuses: 0 success; 1 something failed (a document, a check, a lookup); 64 usage
/// error (ArgumentParser's EX_USAGE, also used for our own option validation).
enum Output {
    static var stderrIsTerminal: Bool { StandardStreams.isTerminal(.standardError) }
    static var stdoutIsTerminal: Bool { StandardStreams.isTerminal(.standardOutput) }

    /// Writes raw bytes to stdout, unbuffered (so a killed process loses nothing it wrote).
    static func writeStdout(_ bytes: [UInt8]) { StandardStreams.write(bytes, to: .standardOutput) }

    static func printStdout(_ s: String) { writeStdout(Array((s + "\n").utf8)) }

    static func printError(_ s: String) { StandardStreams.write(Array((s + "\n").utf8), to: .standardError) }

    /// "vanban: message" on stderr, then exit status 1.
    static func fail(_ message: String) -> ExitCode {
        printError("vanban: \(message)")
        return ExitCode(1)
    }

    /// One JSON object as a line on stdout.
    static func printJSON(_ w: JSONObjectWriter) {
        writeStdout(w.finish() + [0x0A])
    }

    static func seconds(_ s: Double) -> String {
        s < 10 ? String(format: "%.2f s", s) : String(format: "%.1f s", s)
    }

    static func rate(_ bytes: Int, _ seconds: Double) -> String {
        seconds > 0 ? String(format: "%.1f MB/s", Double(bytes) / seconds / 1e6) : "- MB/s"
    }
}
