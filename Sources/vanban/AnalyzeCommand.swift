import ArgumentParser
import Foundation
import VanBanKit

struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Print the tokens a text produces, or how the index reads a query.",
        discussion: """
            Shows exactly what the index stores for a piece of text, like Elasticsearch's _analyze. \
            A query word typed with diacritics matches the accented form; typed without, the folded form.
            Reads standard input when TEXT is omitted.
            With --query, prints how the index reads the query instead: the accents it restores, \
            the words it matches as phrases and the synonyms it uses (from --archive/--index).
            """)

    @OptionGroup var location: LocationOptions

    @Argument(help: "The text to analyze (default: standard input).")
    var text: String?

    @Option(name: .long, help: ArgumentHelp("Print how the index reads this query.", valueName: "query"))
    var query: String?

    @Flag(name: .long, help: "Every word required (as search --strict).")
    var strict = false

    @Flag(name: .long, help: "Print a JSON array of {text, start, end, accented, folded} (byte offsets, end exclusive); with --query, the reading object of search --json.")
    var json = false

    func run() throws {
        if let query {
            let library = try location.openLibrary()
            do {
                if let warning = try library.prepareIndexForReading(progress: Output.indexProgress(quiet: json)) {
                    Output.printError("vanban: warning: \(warning)")
                }
            } catch {
                throw Output.fail("cannot open the index in \(library.indexURL.path): \(error)")
            }
            let reading: QueryReading
            do {
                reading = try library.readQuery(query, strict: strict)
            } catch let error as QueryError {
                throw Output.fail(error.message)
            }
            if json {
                Output.writeStdout(SearchJSON.encode(reading) + [0x0A])
            } else {
                let lines = SearchText.readingLines(reading)
                Output.printStdout(lines.isEmpty ? "read as typed: \(query)" : lines.joined(separator: "\n"))
            }
            return
        }
        let bytes: [UInt8]
        if let text {
            bytes = Array(text.utf8)
        } else {
            bytes = Array(FileHandle.standardInput.readDataToEndOfFile())
        }
        let tokens = Analysis.analyze(bytes)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            var data = try encoder.encode(tokens)
            data.append(0x0A)
            FileHandle.standardOutput.write(data)
            return
        }
        var rows = [["text", "bytes", "accented", "folded"]]
        for t in tokens {
            rows.append([t.text, "\(t.start)..<\(t.end)", t.accented, t.folded])
        }
        // Pad by displayed characters (grapheme clusters), not bytes, so columns line up.
        var widths = [Int](repeating: 0, count: 4)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        var out = ""
        for row in rows {
            let cells = row.enumerated().map { i, cell in
                i == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[i] - cell.count)
            }
            out += cells.joined(separator: "  ") + "\n"
        }
        FileHandle.standardOutput.write(Data(out.utf8))
    }
}
