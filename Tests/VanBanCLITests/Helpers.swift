import Foundation
import Testing
@_exported import TestSupport
import VanBanKit

extension Fixtures {
    /// The `vanban` executable built beside this test bundle.
    static let vanban: String? = {
        var dirs: [URL] = []
        dirs.append(URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent())
        for b in Bundle.allBundles { dirs.append(b.bundleURL.deletingLastPathComponent()) }
        dirs.append(repoRoot.appendingPathComponent(".build/debug"))
        for d in dirs {
            let p = d.appendingPathComponent("vanban").path
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }()
}

final class DataBox: @unchecked Sendable {
    private let lock = NSLock()
    private var _data = Data()
    var data: Data { get { lock.withLock { _data } } set { lock.withLock { _data = newValue } } }
}

struct RunResult {
    var status: Int32
    var out: [UInt8]
    var err: String
    var stdout: String { String(decoding: out, as: UTF8.self) }
    var jsonLines: [[String: Any]] {
        stdout.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }
}

/// Runs `vanban args...` and waits for it.
@discardableResult
func vanban(_ args: [String], stdin: [UInt8] = [], environment: [String: String]? = nil) throws -> RunResult {
    let exe = try #require(Fixtures.vanban, "the vanban executable is built next to the tests")
    let p = Process()
    p.executableURL = URL(fileURLWithPath: exe)
    p.arguments = args
    var env = ProcessInfo.processInfo.environment
    env["VANBAN_ARCHIVE"] = nil
    env["VANBAN_INDEX"] = nil
    for (k, v) in environment ?? [:] { env[k] = v }
    p.environment = env
    let out = Pipe(), err = Pipe(), input = Pipe()
    p.standardOutput = out
    p.standardError = err
    p.standardInput = input
    try p.run()
    let errBox = DataBox()
    let done = DispatchSemaphore(value: 0)
    let errHandle = err.fileHandleForReading
    DispatchQueue.global().async { errBox.data = errHandle.readDataToEndOfFile(); done.signal() }
    let inHandle = input.fileHandleForWriting
    let stdinData = Data(stdin)
    DispatchQueue.global().async { inHandle.write(stdinData); try? inHandle.close() }
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    done.wait()
    p.waitUntilExit()
    return RunResult(status: p.terminationStatus, out: Array(outData), err: String(decoding: errBox.data, as: UTF8.self))
}

func jsonLine(_ fields: [String: String]) -> String {
    String(decoding: try! JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys]), as: UTF8.self)
}
