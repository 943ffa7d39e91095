import ArgumentParser
import Foundation
import VanBanKit

struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Print the tokens a text produces: original text, byte range, accented and folded forms.",
        discussion: """
            Shows exactly what the index stores for a piece of text, like Elasticsearch's _analyze. \
            A query word typed with diacritics matches the accented form; typed without, the folded form.
            Reads standard input when TEXT is omitted.
            """)

    @Argument(help: "The text to analyze (default: standard input).")
    var text: String?

    @Flag(name: .long, help: "Print a JSON array of {text, start, end, accented, folded} (byte offsets, end exclusive).")
    var json = false

    func run() throws {
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
