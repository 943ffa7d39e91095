// Running programs from tests (the `vanban` executable, zcat), and small shared helpers.
import Foundation

/// A byte buffer one thread fills while another waits for it.
public final class DataBox: @unchecked Sendable {
    private let lock = NSLock()
    private var _data = Data()
    public init() {}
    public var data: Data { get { lock.withLock { _data } } set { lock.withLock { _data = newValue } } }
}

/// What a finished program gave back.
public struct RunResult: Sendable {
    public var status: Int32
    public var out: [UInt8]
    public var err: String
    public var stdout: String { String(decoding: out, as: UTF8.self) }
    /// Standard output read as JSON Lines (lines that are not JSON objects are skipped).
    public var jsonLines: [[String: Any]] {
        stdout.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }
}

/// Runs `executable args...` to the end (in `directory`, when given), feeding it `stdin` and
/// reading both output pipes at once (so neither fills up). `environment` entries are added to
/// this process's, or removed when nil.
@discardableResult
public func runProgram(_ executable: String, _ args: [String], stdin: [UInt8] = [],
                       environment: [String: String?] = [:], directory: URL? = nil) throws -> RunResult {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: executable)
    p.arguments = args
    if let directory { p.currentDirectoryURL = directory }
    var env = ProcessInfo.processInfo.environment
    for (k, v) in environment { env[k] = v }
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

/// Runs `executable args` with `environment[pauseVariable] = pause` until it writes the test
/// pause line ("vanban-test: paused at PAUSE") to stderr, then kills it with SIGKILL: a crash
/// at exactly that point, decided by the program, not by a timer. Returns what it printed on
/// stdout and whether it was paused (and still running) when killed.
public func runKilledAtPause(_ executable: String, _ args: [String], pause: String, pauseVariable: String,
                             environment: [String: String] = [:]) throws -> (stdout: Data, paused: Bool) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: executable)
    p.arguments = args
    var env = ProcessInfo.processInfo.environment
    env[pauseVariable] = pause
    for (k, v) in environment { env[k] = v }
    p.environment = env
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let box = DataBox()
    let done = DispatchSemaphore(value: 0)
    let handle = out.fileHandleForReading
    DispatchQueue.global().async { box.data = handle.readDataToEndOfFile(); done.signal() }
    // Wait for the pause line (or for the child to end without reaching it).
    var errText = Data()
    let marker = Data("vanban-test: paused at \(pause)".utf8)
    while errText.range(of: marker) == nil {
        let chunk = err.fileHandleForReading.availableData
        if chunk.isEmpty { break }
        errText.append(chunk)
    }
    let paused = errText.range(of: marker) != nil && p.isRunning
    kill(p.processIdentifier, SIGKILL)
    p.waitUntilExit()
    done.wait()
    return (box.data, paused && p.terminationReason == .uncaughtSignal)
}

public struct ProgramFailed: Error, CustomStringConvertible {
    public var description: String
}

/// The original bytes of a gzip object, as the system's `zcat` (else `gzip -dc`) prints them:
/// what a user without VanBan would get.
public func zcat(_ path: String) throws -> [UInt8] {
    let zcat = ["/bin/zcat", "/usr/bin/zcat"].first { FileManager.default.isExecutableFile(atPath: $0) }
    let r = try runProgram(zcat ?? "/bin/gzip", (zcat == nil ? ["-dc"] : []) + [path])
    guard r.status == 0 else { throw ProgramFailed(description: "zcat \(path) failed (\(r.status)): \(r.err)") }
    return r.out
}

/// One JSON Lines line with these string fields (keys sorted).
public func jsonLine(_ fields: [String: String]) -> String {
    String(decoding: try! JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys]), as: UTF8.self)
}
