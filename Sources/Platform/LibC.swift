// The C library, one `#if` for the whole package: every module that calls POSIX imports
// Platform instead of choosing between Glibc, Musl and Darwin itself.
#if canImport(Glibc)
@_exported import Glibc
#elseif canImport(Musl)
@_exported import Musl
#elseif canImport(Darwin)
@_exported import Darwin
#endif

/// The C functions under names no wrapper shadows: `POSIX.open` (a throwing method) calls
/// `LibC.open` (the system call).
package enum LibC {
    @inline(__always) package static func open(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 {
        #if canImport(Glibc)
        Glibc.open(path, flags, mode)
        #elseif canImport(Musl)
        Musl.open(path, flags, mode)
        #else
        Darwin.open(path, flags, mode)
        #endif
    }
    @inline(__always) package static func fsync(_ fd: Int32) -> Int32 {
        #if canImport(Glibc)
        Glibc.fsync(fd)
        #elseif canImport(Musl)
        Musl.fsync(fd)
        #else
        Darwin.fsync(fd)
        #endif
    }
    /// fdatasync where the system has it (Linux), fsync elsewhere.
    @inline(__always) package static func fdatasync(_ fd: Int32) -> Int32 {
        #if canImport(Glibc)
        Glibc.fdatasync(fd)
        #elseif canImport(Musl)
        Musl.fdatasync(fd)
        #else
        Darwin.fsync(fd)
        #endif
    }
    @inline(__always) package static func rename(_ from: String, _ to: String) -> Int32 {
        #if canImport(Glibc)
        Glibc.rename(from, to)
        #elseif canImport(Musl)
        Musl.rename(from, to)
        #else
        Darwin.rename(from, to)
        #endif
    }
    @inline(__always) package static func mkdir(_ path: String, _ mode: mode_t) -> Int32 {
        #if canImport(Glibc)
        Glibc.mkdir(path, mode)
        #elseif canImport(Musl)
        Musl.mkdir(path, mode)
        #else
        Darwin.mkdir(path, mode)
        #endif
    }
}
