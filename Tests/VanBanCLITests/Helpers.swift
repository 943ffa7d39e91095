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

/// Runs `vanban args...` and waits for it. Tests never touch the checkout's own `archive/`
/// or `index/`: the child runs in a fresh temporary directory, without VANBAN_ARCHIVE or
/// VANBAN_INDEX, and a command given `--archive DIR` without `--index` uses the index inside
/// that archive (`DIR/.index`, the CLI's own default).
@discardableResult
func vanban(_ args: [String], stdin: [UInt8] = [], environment: [String: String]? = nil) throws -> RunResult {
    let exe = try #require(Fixtures.vanban, "the vanban executable is built next to the tests")
    // No time budget: a test's outcome never depends on the machine's speed (the budget has
    // its own tests, counted in steps).
    var env: [String: String?] = ["VANBAN_ARCHIVE": nil, "VANBAN_INDEX": nil, "VANBAN_SEARCH_BUDGET_MS": "0"]
    for (k, v) in environment ?? [:] { env[k] = v }
    let cwd = TempDir("vanban-cli-cwd")
    defer { cwd.cleanup() }
    return try runProgram(exe, args, stdin: stdin, environment: env, directory: cwd.url)
}
