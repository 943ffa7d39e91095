import ArgumentParser
import Foundation
import VanBanKit

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print a document: its extracted text with its metadata.",
        discussion: """
        ID|KEY is a document id (16 hex digits), a unique prefix of one (at least 6), or the \
        key it was imported with. Shows the current version. Exit status 1 when there is no \
        such document.
        """)

    @OptionGroup var location: LocationOptions
    @Flag(help: "Write the original bytes to stdout, exactly as imported.") var original = false
    @Flag(help: "Print one JSON object.") var json = false
    @Option(help: ArgumentHelp("Print only this article (Điều), exactly as in the text.", valueName: "n")) var article: String?
    @Argument(help: ArgumentHelp("Document id, id prefix, or key.", valueName: "id|key")) var document: String

    func validate() throws {
        if original && json { throw ValidationError("--original and --json cannot be used together") }
        if original && article != nil { throw ValidationError("--original and --article cannot be used together") }
    }

    func run() throws {
        let library = try location.openLibrary()
        do {
            if original {
                let (_, bytes) = try library.original(idOrKey: document)
                Output.writeStdout(bytes)
                return
            }
            let view = try library.documentView(idOrKey: document)
            if let article {
                let found = try view.requireArticle(article)
                if json {
                    Output.writeStdout(ArticleJSON.encode(view, label: article, article: found) + [0x0A])
                } else {
                    Output.writeStdout(Array((found.text + "\n").utf8))
                }
                return
            }
            if json {
                Output.printJSON(DocumentJSON.object(view, includeMatch: true))
                return
            }
            Output.writeStdout(Array(Self.render(view).utf8))
        } catch let e as LibraryError {
            throw Output.fail(e.message)
        } catch let e as ExitCode {
            throw e
        } catch {
            throw Output.fail("\(error)")
        }
    }

    /// The header lines (every field known, the official attributes, relations and status),
    /// then the text.
    static func render(_ view: DocumentView) -> String {
        let r = view.record
        // Said when the name given was not the id itself: a key, or an id prefix.
        let matched = view.matched.flatMap { $0 == .id ? nil : ($0 == .key ? "the key" : "an id prefix") }
        var header: [(String, String?)] = [("id", r.id), ("matched", matched)]
        header += view.metadata.presentFields.map { ($0.field.name, $0.value) }
        let o = view.official
        if o.signers.count > 0 {
            header.append(("signed", o.signers.map { [$0.form, $0.position, $0.name].compactMap { $0 }.joined(separator: " ") }.joined(separator: "; ")))
        }
        if let status = view.status { header.append(("status", status.label)) }
        for b in o.bases.prefix(20) { header.append(("based on", b.number?.text ?? String(b.text.prefix(80)))) }
        for e in view.outgoing where e.relation != "bases" && e.relation != "mentions" {
            header.append((e.relation, e.number + (e.scope.map { " (\($0))" } ?? "") + (e.documentID.map { " -> \($0)" } ?? "")))
        }
        for e in view.incoming where e.relation != "mentioned_by" {
            header.append((e.relation, (e.documentTitle ?? e.number) + (e.documentID.map { " (\($0))" } ?? "")))
        }
        let mentions = view.incoming.filter { $0.relation == "mentioned_by" }.count
        if mentions > 0 { header.append(("mentioned by", "\(mentions) documents")) }
        header += [
            ("file", r.fileName), ("media type", r.mediaType),
            ("size", "\(formatBytes(r.size)) (stored \(formatBytes(r.storedSize)))"),
            ("imported", r.importedAt), ("version", "\(view.versions) of \(view.versions) (seq \(r.seq))"),
        ]
        for (k, v) in r.properties.sorted(by: { $0.key < $1.key }) { header.append((k, v)) }
        let chrome = view.chrome
        if chrome.droppedSegments > 0 {
            // Why a word of the text shown below may not be found.
            let reasons = chrome.byReason.map { "\($0.count) \($0.reason)" }.joined(separator: ", ")
            header.append(("not indexed", "\(chrome.droppedSegments) segments of page chrome (\(reasons)); show --json lists the first"))
        }
        header.append(("hash", r.hash)) // always the last header line
        var out = ""
        // One column for the values, wide enough for the longest name ("ocr_confidence:").
        let width = max(12, (header.filter { $0.1 != nil }.map { $0.0.count }.max() ?? 0) + 2)
        for (name, value) in header { if let value { out += "\(name):".padding(toLength: width, withPad: " ", startingAt: 0) + value + "\n" } }
        out += "\n" + view.text
        if !view.text.hasSuffix("\n") { out += "\n" }
        return out
    }
}
