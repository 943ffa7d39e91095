import ArgumentParser
import Foundation
import VanBanKit

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check the archive: re-hash every object, check every manifest line.",
        discussion: """
        Reports each problem by its path in the archive: objects whose content does not match \
        their name, truncated or corrupt .gz files, objects the manifest refers to that are \
        missing, manifest lines that do not parse or whose seq does not increase, a torn last \
        line. Stray temporary files are warnings. Exit status 1 when there is any error.
        """)

    @OptionGroup var location: LocationOptions
    @Flag(help: "Print one JSON object.") var json = false

    func run() throws {
        let library = try location.openLibrary()
        let showProgress = !json && Output.stderrIsTerminal
        var bar: ProgressBar?
        let report = library.verify(progress: showProgress ? { p in
            if bar == nil { bar = ProgressBar(total: p.objectsTotal, unit: "objects", totalBytes: p.storedBytesTotal) }
            bar?.update(done: p.objectsDone, bytes: p.storedBytesDone)
        } : nil)
        bar?.finish()
        if json {
            Output.writeStdout(VerifyJSON.encode(report) + [0x0A])
        } else {
            for p in report.problems {
                Output.printStdout("\(p.severity.rawValue): \(p.path): \(p.message)")
            }
            Output.printError("checked \(report.objects) objects (\(formatBytes(report.originalBytes)) original, "
                + "\(formatBytes(report.storedBytes)) stored) and \(report.records) manifest records in \(Output.seconds(report.seconds)): "
                + "\(report.errors.count) errors, \(report.warnings.count) warnings"
                + (report.unreferencedObjects > 0 ? ", \(report.unreferencedObjects) unreferenced objects" : ""))
        }
        if !report.isClean { throw ExitCode(1) }
    }
}
