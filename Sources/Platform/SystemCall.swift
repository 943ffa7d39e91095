/// The one place that retries system calls interrupted by a signal (EINTR).
package enum SystemCall {
    /// Runs `call` until it does not fail with EINTR; returns its last result (errno is set
    /// when that is negative).
    @inline(__always)
    package static func retrying<T: BinaryInteger>(_ call: () -> T) -> T {
        while true {
            let result = call()
            if result >= 0 || errno != EINTR { return result }
        }
    }

    /// Writes all of `bytes` to `fd` (at `offset`, when given). Returns 0, or the errno of the
    /// write that failed.
    package static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, offset: Int64? = nil) -> Int32 {
        var done = 0
        while done < bytes.count {
            let base = bytes.baseAddress! + done
            let n = retrying { () -> Int in
                if let offset { return pwrite(fd, base, bytes.count - done, off_t(offset + Int64(done))) }
                return write(fd, base, bytes.count - done)
            }
            if n < 0 { return errno }
            done += n
        }
        return 0
    }

    /// The message for an errno value ("No space left on device").
    package static func describe(_ code: Int32) -> String { String(cString: strerror(code)) }
}
