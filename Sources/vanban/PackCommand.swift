import ArgumentParser
import Foundation
import VanBanKit

struct PackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pack",
        abstract: "Move loose objects into a pack file (as git does), to save disk space and inodes.",
        discussion: """
        Each loose object objects/ab/<62 hex>.gz costs a file (a 4 KB block and an inode). \
        pack copies them, checked, into objects/pack/pack-<sha>.pack (their gzip streams one \
        after the other: each member still a complete gzip of the original, verifiable by its \
        hash) with an index objects/pack/pack-<sha>.idx, then removes the loose files. The pack \
        and index are durable and in place before anything is removed: a crash at any point \
        leaves every object readable. Small packs are merged into the new one (packs grow \
        geometrically, so there are few); --all merges every pack into one. An object with no \
        good copy is left where it is and reported (exit status 1).

        An import packs on its own when it ends with at least 1,000 loose objects, and between \
        batches of a long import past 16 times that (VANBAN_PACK_THRESHOLD=N changes the \
        number; 0 turns it off).
        """)

    @OptionGroup var location: LocationOptions
    @Flag(help: "Print one JSON object; no progress bar.") var json = false
    @Flag(help: "Merge every pack (and every loose object) into one pack.") var all = false

    func run() throws {
        let library = try location.openLibrary()
        let showProgress = !json && Output.stderrIsTerminal
        var bar: ProgressBar?
        let report: PackReport
        do {
            report = try library.pack(all: all, progress: showProgress ? { p in
                if bar == nil { bar = ProgressBar(total: p.objectsTotal, unit: "objects", totalBytes: p.storedBytesTotal) }
                bar?.update(done: p.objectsDone, bytes: p.storedBytesDone)
            } : nil)
        } catch {
            bar?.finish()
            throw Output.fail("cannot pack \(library.archiveURL.path): \(error)")
        }
        bar?.finish()
        if json {
            Output.writeStdout(PackJSON.encode(report) + [0x0A])
        } else {
            for p in report.problems { Output.printError("vanban: \(p.severity.rawValue): \(p.path): \(p.message)") }
            for i in report.indexesRebuilt { Output.printError("vanban: wrote \(i) again from its pack") }
            Output.printError(Self.summary(report))
        }
        if !report.problems.isEmpty { throw ExitCode(1) }
    }

    static func summary(_ r: PackReport) -> String {
        var s: String
        if let pack = r.pack {
            s = "packed \(r.objectsPacked) objects (\(r.fromLoose) loose, \(r.fromPacks) from \(r.packsMerged.count) merged packs; "
                + "\(formatBytes(r.storedBytes)) of gzip, \(formatBytes(r.originalBytes)) original) into \(pack)"
        } else {
            s = "nothing to pack (\(r.looseBefore) loose objects, \(r.packsBefore) packs)"
        }
        if r.looseRemoved > 0 && r.pack == nil { s += "; removed \(r.looseRemoved) loose objects already packed" }
        s += " in \(Output.seconds(r.seconds))"
        if r.pack != nil { s += ", \(Output.rate(r.originalBytes, r.seconds))" }
        s += "; objects on disk \(formatBytes(r.diskBytesBefore)) -> \(formatBytes(r.diskBytesAfter))"
        s += "; now \(r.packsAfter) pack\(r.packsAfter == 1 ? "" : "s"), \(r.looseAfter) loose"
        return s
    }
}
