import Foundation
import Testing
@_exported import TestSupport
@testable import Archive

/// Runs a program, returns (exit status, stdout bytes, stderr text).
@discardableResult
func run(_ executable: String, _ args: [String], stdin: [UInt8]? = nil) throws -> (status: Int32, out: [UInt8], err: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: executable)
    p.arguments = args
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    let input = Pipe()
    p.standardInput = input
    try p.run()
    if let stdin { input.fileHandleForWriting.write(Data(stdin)) }
    try input.fileHandleForWriting.close()
    // Read both pipes concurrently so neither fills up.
    let errBox = DataBox()
    let done = DispatchSemaphore(value: 0)
    let errHandle = err.fileHandleForReading
    DispatchQueue.global().async { errBox.data = errHandle.readDataToEndOfFile(); done.signal() }
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    done.wait()
    p.waitUntilExit()
    let errData = errBox.data
    return (p.terminationStatus, Array(outData), String(decoding: errData, as: UTF8.self))
}

/// The gzip-decompressing command available here (`zcat`, else `gzip -dc`).
func zcatCommand() -> (String, [String]) {
    for z in ["/bin/zcat", "/usr/bin/zcat"] where FileManager.default.isExecutableFile(atPath: z) { return (z, []) }
    return ("/bin/gzip", ["-dc"])
}

func zcat(_ path: String) throws -> [UInt8] {
    let (cmd, args) = zcatCommand()
    let r = try run(cmd, args + [path])
    #expect(r.status == 0, "zcat \(path) failed: \(r.err)")
    return r.out
}

final class DataBox: @unchecked Sendable { var data = Data() }
