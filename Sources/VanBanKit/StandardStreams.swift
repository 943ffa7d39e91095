import DocumentModel
import Archive
import Foundation
import Platform

/// Unbuffered writes to standard output and standard error, for both front ends: a line
/// is written whole (one write(2) unless the kernel takes less), so a killed process loses
/// nothing it printed and concurrent log lines never interleave.
public enum StandardStreams {
    public enum Stream: Int32, Sendable { case standardOutput = 1, standardError = 2 }

    public static func write(_ bytes: [UInt8], to stream: Stream) {
        bytes.withUnsafeBytes { b in
            _ = SystemCall.writeAll(stream.rawValue, b)
        }
    }

    public static func isTerminal(_ stream: Stream) -> Bool { isatty(stream.rawValue) == 1 }
}
