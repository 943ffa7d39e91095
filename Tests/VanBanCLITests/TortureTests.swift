import Foundation
import Testing
import TestSupport

/// The short torture run (`scripts/torture --ci`, issue 11) against the build under test: a few
/// SIGKILLs across import and reindex with every acknowledgement checked and `verify` clean
/// after, 5,000 fuzzed queries (no answer may name the engine or be empty of a reason), the
/// hostile-input battery, a disk filled on a tmpfs where one can be mounted (skipped with a
/// note otherwise), a 10 s soak. Its verdicts are about outcomes, never about how long anything
/// took. Everything happens in a temporary directory the script removes. Needs python3.
@Suite struct TortureTests {
    static let python: String? = ["/usr/bin/python3", "/usr/local/bin/python3"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    @Test(.enabled(if: python != nil)) func theShortTortureRunLosesNothingAndFailsClearly() throws {
        let exe = try #require(Fixtures.vanban, "the vanban executable is built next to the tests")
        let script = Fixtures.repoRoot.appendingPathComponent("scripts/torture").path
        // The default search budget stays on: a query refused as too broad is a clear outcome too.
        let result = try runProgram(Self.python!, [script, "--ci", "--bin", exe],
                                    environment: ["VANBAN_ARCHIVE": nil, "VANBAN_INDEX": nil])
        #expect(result.status == 0, "scripts/torture --ci failed:\n\(result.stdout.suffix(4000))\n\(result.err.suffix(2000))")
        #expect(result.stdout.contains("SIGKILL loop") && result.stdout.contains("hostile inputs"))
    }
}
