import Foundation
import Testing
@_exported import TestSupport
@testable import Archive

/// Runs a program, returns (exit status, stdout bytes, stderr text).
@discardableResult
func run(_ executable: String, _ args: [String], stdin: [UInt8]? = nil) throws -> (status: Int32, out: [UInt8], err: String) {
    let r = try runProgram(executable, args, stdin: stdin ?? [])
    return (r.status, r.out, r.err)
}

