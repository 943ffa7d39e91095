import ArgumentParser
import Foundation
import VanBanKit

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import documents into the archive.",
        discussion: """
        PATH is a file, a directory (imported recursively in path order, hidden files and \
        directories skipped) or - for standard input. .jsonl files (or every input, with \
        --jsonl) hold one document per line: {"text": ..., "title", "key", "source", "kind", \
        "date", "url"}; their fields override the options below.

        Re-importing the same bytes changes nothing (other metadata given with them is \
        ignored). With a key, new bytes become the key's new current version (old versions \
        stay in the archive). A document counts as imported once its object and its manifest \
        line are durable; an interrupted import can simply be run again.

        Every failure names the input and the reason and does not stop the others. Exit \
        status: 0 when nothing failed, 1 when some document failed (or the archive could not \
        be written), 64 for usage errors.
        """)

    @OptionGroup var location: LocationOptions

    @Option(help: "Source of the documents (e.g. the publishing site).") var source: String?
    @Option(help: "Kind of the documents (e.g. news, agreement, decree).") var kind: String?
    @Option(help: ArgumentHelp("Date of the document.", valueName: "YYYY-MM-DD")) var date: String?
    @Option(help: "Your own id for the document (a single file only); same key, new bytes: new version.") var key: String?
    @Option(help: "Title (overrides the one found in the document).") var title: String?
    @Option(help: "Where the document was published.") var url: String?
    @Option(name: .customLong("max-size"), help: ArgumentHelp("Largest document accepted (e.g. 500k, 100MB, 1GiB).", valueName: "size"))
    var maxSize = ByteSize(bytes: ImportOptions.defaultMaxSize)
    @Option(help: ArgumentHelp("Encoding of the files when not UTF-8 (detected otherwise): tcvn3, vni-windows, viscii, vps, windows-1258, viqr (only when given), utf-16le, utf-16be.", valueName: "name"))
    var encoding: String?
    @Flag(help: "Read every input as JSON Lines.") var jsonl = false
    @Flag(help: "Print one JSON object per input document on stdout (and nothing else there).") var json = false
    @Flag(name: .shortAndLong, help: "Print a line for every document, not only failures.") var verbose = false
    @Flag(help: "Only archive; leave indexing to the next command that opens the index.") var noIndex = false
    @Flag(name: .customLong("no-ocr"), help: "Do not read the pages of a PDF that have no text (scans) by OCR (Tesseract); the record remembers it.")
    var noOCR = false
    @Option(help: .hidden) var durability: String?
    @Flag(name: .customLong("follow-symlinks"), help: "In a directory, also import files that symbolic links point to outside it (skipped by default).")
    var followSymlinks = false
    @Flag(help: .hidden) var timings = false
    @Flag(name: .customLong("no-overlap"), help: .hidden) var noOverlap = false
    @Option(name: .customLong("batch-size"), help: .hidden) var batchSize: Int?

    @Argument(help: ArgumentHelp("Files, directories, or - for stdin.", valueName: "path")) var paths: [String] = []

    func validate() throws {
        if paths.isEmpty { throw ValidationError("give at least one PATH (a file, a directory, or - for stdin)") }
        if let date, !DocumentMetadata.isValidDate(date) { throw ValidationError("--date '\(date)' is not a valid YYYY-MM-DD date") }
        if key != nil && (paths.count != 1 || jsonl) { throw ValidationError(ImportOptions.keyNamesOneDocument) }
        if let problem = DocumentMetadata(key: key).validationProblem() { throw ValidationError("--key: \(problem)") }
        if paths.filter({ $0 == "-" }).count > 1 { throw ValidationError("standard input (-) can be given only once") }
        if let durability, ImportOptions.Durability(rawValue: durability) == nil {
            throw ValidationError("--durability must be one of: \(ImportOptions.Durability.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if maxSize.bytes <= 0 { throw ValidationError("--max-size must be positive") }
        if let encoding, let problem = ImportOptions.encodingProblem(encoding) { throw ValidationError("--encoding: \(problem)") }
    }

    func run() throws {
        let library = try location.openLibrary(create: true)
        var options = ImportOptions()
        options.defaults = DocumentMetadata(key: key, title: title, source: source, kind: kind, date: date, url: url)
        options.maxSize = maxSize.bytes
        options.jsonLines = jsonl
        if let durability, let d = ImportOptions.Durability(rawValue: durability) { options.durability = d }
        if let batchSize, batchSize > 0 { options.batchDocuments = batchSize }
        if noOverlap { options.overlapBatches = false }
        options.indexing = !noIndex
        options.followSymlinks = followSymlinks
        options.encoding = encoding
        options.ocr = !noOCR

        let showProgress = !json && Output.stderrIsTerminal
        var bar: ProgressBar?
        let summary: ImportSummary
        do {
            summary = try library.importDocuments(
                paths.map { .path($0) }, options: options,
                report: { r in
                    if json {
                        Output.writeStdout(ImportResultJSON.encode(r) + [0x0A])
                    } else if r.status == .failed {
                        bar?.finish()
                        Output.printError("vanban: \(r.input): \(r.failure?.message ?? "failed")")
                    } else if verbose {
                        bar?.finish()
                        Output.printStdout("\(r.status.rawValue) \(r.input) \(r.id ?? "") seq \(r.seq.map(String.init) ?? "-")")
                    }
                },
                progress: { p in
                    guard showProgress else { return }
                    if bar == nil { bar = ProgressBar(total: nil, unit: "docs", totalBytes: p.totalBytes) }
                    bar?.update(done: p.documents, bytes: p.bytes)
                },
                indexProgress: Output.indexProgress(quiet: json))
        } catch let e as LibraryError where e.kind == .usage {
            bar?.finish()
            throw ValidationError(e.message)
        } catch {
            bar?.finish()
            throw Output.fail("import stopped: \(error)")
        }
        bar?.finish()
        for w in summary.warnings { Output.printError("vanban: warning: \(w)") }
        if !json || Output.stderrIsTerminal {
            Output.printError("imported \(summary.imported), unchanged \(summary.unchanged), failed \(summary.failed) "
                + "(\(formatBytes(summary.bytes)) in \(Output.seconds(summary.seconds)), \(Output.rate(summary.bytes, summary.seconds)))")
        }
        if timings {
            let t = summary.timings
            Output.printError(String(format: "timings: read %.3f decode %.3f hash %.3f extract %.3f compress+write %.3f sync %.3f manifest %.3f observer %.3f s; archive step %.3f s for %d bytes (%.1f MB/s); total %.3f s",
                                     t.read, t.decode, t.hash, t.extract, t.compress, t.sync, t.manifest, t.observer,
                                     t.archiveStep, summary.archivedBytes,
                                     t.archiveStep > 0 ? Double(summary.archivedBytes) / t.archiveStep / 1e6 : 0, summary.seconds))
        }
        if summary.failed > 0 { throw ExitCode(1) }
    }
}
