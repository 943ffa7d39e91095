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

    /// True when the process started with standard input closed (`vanban import - <&-`).
    nonisolated(unsafe) public private(set) static var standardInputWasClosed = false

    /// Call first thing in `main`: a standard descriptor (0, 1, 2) that the process started
    /// without is opened on /dev/null. Otherwise the next file opened takes its number, and
    /// "reading standard input" reads that file (say, the manifest), or printing writes into
    /// it. A closed standard input is remembered, so that `-` gets a clear error.
    public static func reserveClosedDescriptors() {
        for fd: Int32 in 0...2 where fcntl(fd, F_GETFD) == -1 && errno == EBADF {
            let opened = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY)
            if opened >= 0 && opened != fd { dup2(opened, fd); close(opened) }
            if fd == 0 { standardInputWasClosed = true }
        }
    }
}
