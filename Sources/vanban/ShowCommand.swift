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
    @Argument(help: ArgumentHelp("Document id, id prefix, or key.", valueName: "id|key")) var document: String

    func validate() throws {
        if original && json { throw ValidationError("--original and --json cannot be used together") }
    }

    func run() throws {
        let library = try location.openLibrary()
        do {
            if original {
                let (_, bytes) = try library.original(idOrKey: document)
                Output.writeStdout(bytes)
                return
            }
            let (r, text) = try library.document(idOrKey: document)
            let versions = try library.versionCount(of: r.id)
            if json {
                Output.printJSON(DocumentJSON.object(r, text: text, versions: versions))
                return
            }
            var header: [(String, String?)] = [("id", r.id)]
            header += r.metadata.presentFields.map { ($0.field.name, $0.value) }
            header += [
                ("file", r.fileName), ("media type", r.mediaType),
                ("size", "\(formatBytes(r.size)) (stored \(formatBytes(r.storedSize)))"),
                ("imported", r.importedAt), ("version", "\(versions) of \(versions) (seq \(r.seq))"),
            ]
            for (k, v) in r.properties.sorted(by: { $0.key < $1.key }) { header.append((k, v)) }
            header.append(("hash", r.hash)) // always the last header line
            var out = ""
            for (name, value) in header { if let value { out += "\(name):".padding(toLength: 12, withPad: " ", startingAt: 0) + value + "\n" } }
            out += "\n" + text
            if !text.hasSuffix("\n") { out += "\n" }
            Output.writeStdout(Array(out.utf8))
        } catch let e as LibraryError {
            throw Output.fail(e.message)
        } catch {
            throw Output.fail("\(error)")
        }
    }
}
