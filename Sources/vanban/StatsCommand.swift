import ArgumentParser
import Foundation
import VanBanKit

struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Count documents, versions, objects and bytes, by source and kind.")

    @OptionGroup var location: LocationOptions
    @Flag(help: "Print one JSON object.") var json = false

    func run() throws {
        let library = try location.openLibrary()
        let s: ArchiveStats
        do { s = try library.stats() } catch { throw Output.fail("\(error)") }
        if json {
            Output.writeStdout(StatsJSON.encode(s) + [0x0A])
            return
        }
        var out = ""
        func row(_ name: String, _ value: String) { out += name.padding(toLength: 16, withPad: " ", startingAt: 0) + value + "\n" }
        row("documents", "\(s.documents)")
        row("versions", "\(s.versions)")
        row("objects", "\(s.objects)")
        row("original bytes", "\(s.originalBytes) (\(formatBytes(s.originalBytes)))")
        row("stored bytes", "\(s.storedBytes) (\(formatBytes(s.storedBytes)))")
        row("ratio", String(format: "%.3f", s.ratio))
        for (title, groups) in [("by source", s.bySource), ("by kind", s.byKind)] {
            out += "\(title):\n"
            let width = min(48, (groups.keys.map(\.count).max() ?? 0) + 2)
            for (name, g) in groups.sorted(by: { $0.value.documents != $1.value.documents ? $0.value.documents > $1.value.documents : $0.key < $1.key }) {
                out += "  " + name.padding(toLength: max(width, name.count + 2), withPad: " ", startingAt: 0)
                    + "\(g.documents) document\(g.documents == 1 ? "" : "s"), \(formatBytes(g.bytes))\n"
            }
        }
        Output.writeStdout(Array(out.utf8))
        if s.tornTail {
            Output.printError("vanban: note: manifest.jsonl ends with a torn line (an interrupted import); it is ignored; the next import, or `vanban verify --repair`, moves it aside to manifest.jsonl.torn-*")
        }
    }
}
