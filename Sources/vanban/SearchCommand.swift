import ArgumentParser
import Foundation
import VanBanKit

struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search the archive.",
        discussion: """
            Words typed without diacritics match any diacritics ("thanh hoa" finds "Thanh Hóa"), \
            and documents with their most likely accents ("cat giam" -> "cắt giảm") rank first; \
            words typed with diacritics match only those ("hóa" does not find "hòa"; "hoá" and \
            "hóa" are the same word). Adjacent words rank higher together than apart; synonyms \
            and abbreviations (BHXH) also match, below the literal words; when few documents \
            hold every word, those lacking one word are shown too (--strict: not). Query language:
              thanh hoa              all words
              "chương trình"         a phrase
              -word, -"a phrase"     exclude (also NOT word)
              +word, +"a phrase"     must match (never dropped by the fallback, no synonym)
              a OR b, (a b) OR c     alternatives
              hoa*                   prefix
              title:word             in the title only
              source:x  kind:x       metadata filters
              from:2021-01-01 to:2021-12 year:2024 date:2024-05
              45/2010/NĐ-CP          a document number, in any of its spellings; "nghị định
                                     45/2010", "nđ 45/2010", "45/2010" rank that text first
              type:nd number:45/2010/NĐ-CP issuer:"bộ tài chính" signer:x
              status:het-hieu-luc    (chua-co-hieu-luc, con-hieu-luc, bi-sua-doi-bo-sung,
                                     het-hieu-luc-mot-phan, het-hieu-luc)
              cites:N amends:N replaces:N   texts with that relation to number N
            With --batch, reads one query per line and prints exactly one JSON line per input \
            line: the result object, or {"query", "error"} for a query that cannot run.
            """)

    @OptionGroup var location: LocationOptions

    @Argument(help: "The query (see above). Omit with --batch.")
    var query: String?

    @Option(help: "Number of hits to show (1-1000).") var limit = 10
    @Option(help: "Number of hits to skip, for paging.") var offset = 0
    @Option(help: ArgumentHelp("Only documents whose source contains this (repeatable).", valueName: "source"))
    var source: [String] = []
    @Option(help: ArgumentHelp("Only documents of this kind (repeatable).", valueName: "kind"))
    var kind: [String] = []
    @Option(help: ArgumentHelp("Only documents dated on or after this (YYYY[-MM[-DD]]).", valueName: "date"))
    var from: String?
    @Option(help: ArgumentHelp("Only documents dated on or before this (YYYY[-MM[-DD]]).", valueName: "date"))
    var to: String?
    @Option(help: ArgumentHelp("Only official texts of this type (\"nghị định\", nd, tt, ...; repeatable).", valueName: "type"))
    var type: [String] = []
    @Option(help: ArgumentHelp("Only the text with this number (45/2010/NĐ-CP, or 45/2010).", valueName: "number"))
    var number: [String] = []
    @Option(help: ArgumentHelp("Only texts whose issuer contains this (repeatable).", valueName: "issuer"))
    var issuer: [String] = []
    @Option(help: ArgumentHelp("Only texts signed by this person (repeatable).", valueName: "name"))
    var signer: [String] = []
    @Option(help: ArgumentHelp("Only texts in this validity status (con-hieu-luc, het-hieu-luc, ...).", valueName: "status"))
    var status: [String] = []
    @Option(help: "Order: relevance or date (newest first).") var sort: SearchSortArgument = .relevance
    @Flag(help: "Every word must match: no fallback to documents holding most of the words.") var strict = false
    @Flag(help: "List reposts of one text one by one (by default a group of near-duplicates is its best hit, with 'N similar').")
    var noCollapse = false
    @Flag(help: "Count all the results by kind, type, issuer, source and year (JSON: `facets`).") var facets = false
    @Flag(help: "Print one JSON object (highlights marked with <mark>...</mark>).") var json = false
    @Option(help: ArgumentHelp("Run every line of FILE (- for stdin) as a query; JSON Lines out.", valueName: "file"))
    var batch: String?

    func validate() throws {
        if batch == nil && query == nil { throw ValidationError("give a query, or --batch FILE") }
        if batch != nil && query != nil { throw ValidationError("give either a query or --batch, not both") }
    }

    func request(_ text: String) throws -> SearchRequest {
        var filters = Filters(sources: source, kinds: kind, from: from, to: to)
        for (name, values) in [("type", type), ("number", number), ("issuer", issuer), ("signer", signer), ("status", status)] {
            for value in values { try filters.add(name, value) }
        }
        return SearchRequest(query: text, limit: limit, offset: offset, filters: filters, sort: sort.value, strict: strict,
                             collapse: !noCollapse, facets: facets)
    }

    func run() throws {
        let library = try location.openLibrary()
        do {
            // An index that cannot catch up (a full disk) is searched as it is, with a warning.
            if let warning = try library.prepareIndexForReading(progress: Output.indexProgress(quiet: json || batch != nil)) {
                Output.printError("vanban: warning: \(warning)")
            }
        } catch {
            throw Output.fail("cannot open the index in \(library.indexURL.path): \(error)")
        }
        if let batch {
            try runBatch(batch, library: library)
            return
        }
        let results: SearchResults
        do {
            results = try library.search(try request(query ?? ""))
        } catch let error as QueryError {
            throw Output.fail(error.message)
        } catch {
            throw Output.fail("search failed: \(error)")
        }
        if json {
            Output.writeStdout(SearchJSON.encode(results) + [0x0A])
        } else {
            Output.writeStdout(Array(SearchText.render(results, offset: offset, terminal: Output.stdoutIsTerminal).utf8))
        }
    }

    /// One JSON line per input line, whatever the line holds.
    func runBatch(_ path: String, library: Library) throws {
        let handle: FileHandle
        if path == "-" {
            handle = .standardInput
        } else {
            guard let file = FileHandle(forReadingAtPath: path) else {
                throw Output.fail("\(path): cannot open the batch file")
            }
            handle = file
        }
        var pending = Data()
        func runLine(_ line: Data) {
            var bytes = [UInt8](line)
            if bytes.last == 0x0D { bytes.removeLast() }
            // Invalid UTF-8 in a line is replaced, not fatal: the line still gets its answer.
            let text = String(decoding: bytes, as: UTF8.self)
            do {
                let results = try library.search(try request(text))
                Output.writeStdout(SearchJSON.encode(results) + [0x0A])
            } catch {
                let message = (error as? QueryError)?.message ?? "search failed: \(error)"
                Output.writeStdout(SearchJSON.encodeError(query: text, message: message) + [0x0A])
            }
        }
        while true {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            pending.append(chunk)
            while let newline = pending.firstIndex(of: 0x0A) {
                runLine(pending[pending.startIndex..<newline])
                pending.removeSubrange(pending.startIndex...newline)
            }
        }
        if !pending.isEmpty { runLine(pending) }
    }
}

struct SearchSortArgument: ExpressibleByArgument {
    let value: SearchSort
    static let relevance = SearchSortArgument(value: .relevance)
    init(value: SearchSort) { self.value = value }
    init?(argument: String) {
        guard let sort = SearchSort(rawValue: argument.lowercased()) else { return nil }
        value = sort
    }
    static var allValueStrings: [String] { SearchSort.allCases.map(\.rawValue) }
    var defaultValueDescription: String { value.rawValue }
}

/// Human output: ranked hits with title, metadata line and snippet.
enum SearchText {
    static func render(_ results: SearchResults, offset: Int, terminal: Bool) -> String {
        let color = terminal && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        let bold = color ? "\u{1B}[1m" : "", dim = color ? "\u{1B}[2m" : "", reset = color ? "\u{1B}[0m" : ""
        var out = ""
        let shown = results.hits.isEmpty ? "" : ", showing \(offset + 1)-\(offset + results.hits.count)"
        out += "\(results.total) result\(results.total == 1 ? "" : "s") for \"\(results.query)\"\(shown) "
        out += "(\(String(format: "%.1f", results.tookMilliseconds)) ms)\n"
        for line in readingLines(results.reading) { out += "\(dim)\(line)\(reset)\n" }
        if let facets = results.facets { out += FacetText.render(facets) }
        for (k, hit) in results.hits.enumerated() {
            let title = hit.metadata.title?.isEmpty == false ? hit.metadata.title! : "(untitled)"
            out += "\n\(offset + k + 1). \(bold)\(oneLine(title))\(reset)\n"
            let meta = [hit.metadata.kind, hit.metadata.source, hit.metadata.date].compactMap { $0 }.filter { !$0.isEmpty } + ["id \(hit.id)"]
            out += "   \(dim)\(meta.joined(separator: " · "))\(reset)\n"
            let snippet = color ? hit.snippet.rendered(open: bold, close: reset) : hit.snippet.text
            if !snippet.isEmpty { out += "   \(snippet)\n" }
            if !hit.duplicates.isEmpty {
                let n = hit.duplicates.count
                out += "   \(dim)\(n) similar (reposts): \(hit.duplicates.prefix(5).joined(separator: ", "))\(n > 5 ? ", ..." : "") (--no-collapse lists them)\(reset)\n"
            }
        }
        return out
    }

    /// How the query was read, one line per kind of change; nothing when it was taken as typed.
    static func readingLines(_ reading: QueryReading) -> [String] {
        var lines: [String] = []
        if let restored = reading.restored { lines.append("read as: \(restored)") }
        if !reading.phrases.isEmpty { lines.append("phrases: " + reading.phrases.map { "\"\($0)\"" }.joined(separator: ", ")) }
        if !reading.synonyms.isEmpty { lines.append("synonyms: " + reading.synonyms.joined(separator: "; ")) }
        if let question = reading.questionWords { lines.append("question words (not required): \(question)") }
        if !reading.functionWords.isEmpty {
            lines.append("function words (not required): " + reading.functionWords.joined(separator: ", "))
        }
        if !reading.frameWords.isEmpty {
            lines.append("frame words (not required): " + reading.frameWords.joined(separator: ", "))
        }
        if reading.softMatch {
            lines.append("few documents hold every word: also showing those lacking one of: "
                + reading.optionalWords.joined(separator: ", ") + " (--strict: every word)")
        }
        return lines
    }

    static func oneLine(_ s: String) -> String {
        s.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).joined(separator: " ")
    }
}
