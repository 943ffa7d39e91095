import ArgumentParser
import Foundation
import VanBanKit

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check the archive: re-hash every object, check every manifest line.",
        discussion: """
        Reports each problem by its path in the archive: objects whose content does not match \
        their name, truncated or corrupt .gz files, packs whose content does not hash to their \
        name, pack indexes that fail their checksum or checks (never used), packed objects that \
        are damaged (named by pack and object hash), objects the manifest refers to that are \
        missing, manifest lines that do not parse or whose seq does not increase, a torn last \
        line. Stray temporary files are warnings. Exit status 1 when there is any error.

        --repair first cleans up what interrupted work left, under the archive's lock: a torn \
        last manifest line is moved to manifest.jsonl.torn-* (kept, not deleted), temporary \
        object files of dead processes and unfinished index generations are removed. It never \
        touches an object or a record.
        """)

    @OptionGroup var location: LocationOptions
    @Flag(help: "Print one JSON object.") var json = false
    @Flag(help: "Clean up leftovers of interrupted work first (see above).") var repair = false

    func run() throws {
        let library = try location.openLibrary()
        if repair {
            do {
                for line in try library.repair().lines { Output.printError("vanban: \(line)") }
            } catch {
                throw Output.fail("cannot repair \(library.archiveURL.path): \(error)")
            }
        }
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
            Output.printError("checked \(report.objects) objects (\(report.objects - report.packedObjects) loose, "
                + "\(report.packedObjects) in \(report.packs) pack\(report.packs == 1 ? "" : "s"); \(formatBytes(report.originalBytes)) original, "
                + "\(formatBytes(report.storedBytes)) stored) and \(report.records) manifest records in \(Output.seconds(report.seconds)): "
                + "\(report.errors.count) errors, \(report.warnings.count) warnings"
                + (report.unreferencedObjects > 0 ? ", \(report.unreferencedObjects) unreferenced objects" : ""))
        }
        if !report.isClean { throw ExitCode(1) }
    }
}
