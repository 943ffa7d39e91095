import ArgumentParser
import Foundation
import VanBanKit

struct GraphCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Show a document's relationship diagram (lược đồ): what it cites and what cites it.",
        discussion: """
        Relations are read from the texts: bases (Căn cứ), amends (sửa đổi, bổ sung), replaces \
        (thay thế), repeals (bãi bỏ, hết hiệu lực), guides (hướng dẫn, quy định chi tiết), \
        mentions; each with the sentence it came from. A cited number the archive does not \
        hold yet is shown as a number; it links to the document as soon as one with that \
        number is imported. --dot prints Graphviz (dot -Tsvg).
        """)

    @OptionGroup var location: LocationOptions
    @Flag(help: "Print one JSON object.") var json = false
    @Flag(help: "Print Graphviz DOT.") var dot = false
    @Argument(help: ArgumentHelp("Document id, id prefix, or key.", valueName: "id|key")) var document: String

    func validate() throws {
        if json && dot { throw ValidationError("--json and --dot cannot be used together") }
    }

    func run() throws {
        let library = try location.openLibrary()
        let view: DocumentView
        do {
            if let warning = try library.prepareIndexForReading(progress: Output.indexProgress(quiet: json || dot)) {
                Output.printError("vanban: warning: \(warning)")
            }
            view = try library.documentView(idOrKey: document)
        } catch let e as LibraryError {
            throw Output.fail(e.message)
        } catch {
            throw Output.fail("\(error)")
        }
        if json { Output.writeStdout(GraphJSON.encode(view) + [0x0A]); return }
        if dot { Output.writeStdout(Array(GraphJSON.dot(view).utf8)); return }
        var out = "\(view.metadata.title ?? view.record.id) (\(view.record.id))\n"
        if let status = view.status { out += "tình trạng: \(status.label)\n" }
        for e in view.outgoing {
            out += "  \(RelationNames.label(e.relation)) → \(e.documentTitle ?? e.number)"
            out += (e.scope.map { " [\($0)]" } ?? "") + (e.documentID.map { " (\($0))" } ?? " (chưa có trong kho)") + "\n"
        }
        for e in view.incoming {
            out += "  \(RelationNames.label(e.relation)) ← \(e.documentTitle ?? e.number)"
            out += (e.scope.map { " [\($0)]" } ?? "") + (e.documentID.map { " (\($0))" } ?? "") + "\n"
        }
        if view.outgoing.isEmpty && view.incoming.isEmpty { out += "  (no relations found)\n" }
        Output.writeStdout(Array(out.utf8))
    }
}
