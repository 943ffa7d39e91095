import ArgumentParser
import Foundation
import VanBanKit

struct ReindexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reindex",
        abstract: "Rebuild the search index from the archive.",
        discussion: """
            Builds a new index beside the current one and swaps it in atomically: searches keep \
            working meanwhile and see the new index when it is complete. Deleting the index \
            directory and running reindex gives back the same search results.
            """)

    @OptionGroup var location: LocationOptions
    @Flag(help: "Print a JSON summary; no progress bar.") var json = false

    func run() throws {
        let library = try location.openLibrary()
        let summary: ReindexSummary
        do {
            summary = try library.reindex(progress: Output.indexProgress(quiet: json))
        } catch {
            throw Output.fail("reindex failed: \(error)")
        }
        if json {
            Output.writeStdout(ReindexJSON.encode(summary) + [0x0A])
        } else {
            Output.printError("reindexed \(summary.documents) documents (\(formatBytes(summary.bytes))) in "
                + "\(Output.seconds(summary.seconds)), \(Output.rate(summary.bytes, summary.seconds)); "
                + "index \(formatBytes(summary.indexBytes))")
        }
    }
}

extension Output {
    /// A progress bar for index work on a terminal; nil (no output) otherwise.
    static func indexProgress(quiet: Bool) -> ((IndexProgress) -> Void)? {
        guard !quiet, stderrIsTerminal else { return nil }
        var bar: ProgressBar?
        return { progress in
            if bar == nil { bar = ProgressBar(total: progress.total, unit: "docs") }
            bar?.update(done: progress.done, bytes: progress.bytes)
            if progress.done == progress.total { bar?.finish() }
        }
    }
}
