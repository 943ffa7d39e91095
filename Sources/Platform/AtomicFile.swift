/// Replacing a small file so that readers and a crash see the old content or the new one,
/// never a mix: write a temporary file beside it, fsync it, rename it over the target, fsync
/// the directory.
package enum AtomicFile {
    /// Writes `bytes` to `path`. Throws a sentence naming the path and the reason.
    package static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o644) throws(SystemError) {
        let directory = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let temporary = (directory.isEmpty ? "" : directory + "/") + ".\(name).\(getpid()).tmp"
        let fd = SystemCall.retrying { open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode) }
        guard fd >= 0 else { throw SystemError("cannot write \(temporary)", errno) }
        let written = bytes.withUnsafeBytes { SystemCall.writeAll(fd, $0) }
        let synced = SystemCall.retrying { fsync(fd) } == 0 ? 0 : errno
        close(fd)
        if written != 0 || synced != 0 {
            unlink(temporary)
            throw SystemError("cannot write \(temporary)", written != 0 ? written : synced)
        }
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw SystemError("cannot replace \(path)", code)
        }
        let dir = open(directory.isEmpty ? "." : directory, O_RDONLY | O_CLOEXEC)
        if dir >= 0 { _ = SystemCall.retrying { fsync(dir) }; close(dir) }
    }
}

/// A failed system call: what was being done, and the system's reason.
package struct SystemError: Error, Sendable, CustomStringConvertible {
    package var message: String
    package init(_ what: String, _ code: Int32) { message = "\(what): \(SystemCall.describe(code))" }
    package var description: String { message }
}
