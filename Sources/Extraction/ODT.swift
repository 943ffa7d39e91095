// ODT (OpenDocument Text): a zip (`ZipPackage`, the same zip-bomb bound as DOCX) holding
// content.xml and meta.xml. The text is office:body's paragraphs and headings in order, one
// line each (lists and table cells included, a cell's paragraphs one line each); inside a
// paragraph, whitespace collapses as ODF 1.2 §6.1.2 says, and text:s, text:tab and
// text:line-break give the spaces, tabs and breaks the author typed. Tracked deletions,
// comments and notes are not the text. meta.xml's dc:title is the title, else the first
// level-1 heading.

import CLibXML2
import Foundation

enum ODTExtractor {
    static let contentPath = "content.xml"
    static let metaPath = "meta.xml"
    static let textMediaType = "application/vnd.oasis.opendocument.text"
    static let textNamespace = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"

    static func extract(_ bytes: [UInt8], maxUncompressedBytes: Int,
                        clock: ExtractionClock = ExtractionClock(seconds: .infinity)) throws(ExtractionError) -> ExtractedDocument {
        if let declared = ZipDirectory.openDocumentMediaType(bytes), declared != textMediaType {
            throw ExtractionError(.unsupportedFormat, "not an ODT text document: the package is \(describe(declared)); only OpenDocument text (.odt) is read")
        }
        var package = try ZipPackage(bytes, format: "ODT", maxUncompressedBytes: maxUncompressedBytes)
        guard let contentEntry = try package.entry(contentPath) else {
            throw ExtractionError(.unsupportedFormat, "not an ODT: content.xml missing")
        }
        let metaEntry = try package.entry(metaPath)
        try package.checkDeclaredSize([contentEntry, metaEntry])

        let contentXML = try package.read(contentEntry)
        if try isEncrypted(&package) {
            throw ExtractionError(.corrupt, "not a readable ODT: it is password-protected (content.xml is encrypted)")
        }
        var (text, heading) = try parseContent(contentXML, clock: clock)
        try clock.check("ODT document")
        text = TextCleanup.tidyLines(text)
        guard TextCleanup.hasVisibleText(text) else {
            throw ExtractionError(.empty, "no text: the ODT document has no text")
        }
        var title: String?
        var metadata: [String: String] = [:]
        if let metaEntry {
            (title, metadata) = parseMeta(try package.read(metaEntry))
        }
        return ExtractedDocument(text: text, title: title ?? heading, mediaType: DocumentFormat.odt.mediaType, properties: metadata)
    }

    /// "an OpenDocument spreadsheet (.ods)" for the media types people meet; the type itself otherwise.
    static func describe(_ mediaType: String) -> String {
        let known = [
            "application/vnd.oasis.opendocument.spreadsheet": "an OpenDocument spreadsheet (.ods)",
            "application/vnd.oasis.opendocument.presentation": "an OpenDocument presentation (.odp)",
            "application/vnd.oasis.opendocument.graphics": "an OpenDocument drawing (.odg)",
            "application/vnd.oasis.opendocument.text-template": "an OpenDocument text template (.ott)",
        ]
        return known[mediaType] ?? "'\(String(mediaType.prefix(80)))'"
    }

    /// A password-protected package lists encryption data for its parts in META-INF/manifest.xml
    /// (its content.xml is then not XML at all).
    static func isEncrypted(_ package: inout ZipPackage) throws(ExtractionError) -> Bool {
        guard let manifest = try package.entry("META-INF/manifest.xml"), manifest.uncompressedSize < 1 << 20 else { return false }
        let data = try package.read(manifest)
        return data.range(of: Data("encryption-data".utf8)) != nil
    }

    /// What collects the text of one walk over content.xml.
    private struct TextWriter {
        var out: [UInt8] = []
        /// Collapsing whitespace inside a paragraph: the last byte written was a space (or the
        /// paragraph has just begun, when leading whitespace is dropped).
        var afterSpace = true
        var paragraphStart = 0

        mutating func beginParagraph() {
            paragraphStart = out.count
            afterSpace = true
        }

        mutating func endParagraph() {
            out.append(0x0A)
            afterSpace = true
        }

        /// Character content: runs of space, tab, CR and LF become one space.
        mutating func appendCollapsing(_ p: UnsafePointer<xmlChar>) {
            var i = 0
            while p[i] != 0 {
                let b = p[i]
                if b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D {
                    if !afterSpace { out.append(0x20); afterSpace = true }
                } else {
                    out.append(b)
                    afterSpace = false
                }
                i += 1
            }
        }

        mutating func appendLiteral(_ b: UInt8, count: Int = 1) {
            out.append(contentsOf: repeatElement(b, count: count))
            afterSpace = b == 0x0A
        }
    }

    /// The lines of office:body, and the text of the first level-1 heading.
    static func parseContent(_ data: Data, clock: ExtractionClock? = nil) throws(ExtractionError) -> (text: String, heading: String?) {
        try PackageXML.withParsed(data, part: contentPath, format: "ODT") { root in
            var writer = TextWriter()
            var heading: String?
            var inHeading = false
            LibXML.walk(root, clock: clock, enter: { node in
                switch node.pointee.type {
                case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                    if let content = node.pointee.content { writer.appendCollapsing(content) }
                    return .skipChildren
                case XML_ELEMENT_NODE:
                    break
                default:
                    return .skipChildren
                }
                let name = LibXML.name(node)
                let isText = LibXML.namespace(node) == textNamespace
                switch name {
                // Outside the body: styles, fonts, scripts, form definitions.
                case "font-face-decls", "automatic-styles", "scripts", "forms", "sequence-decls",
                     "variable-decls", "user-field-decls":
                    return .skipChildren
                // Not the text: tracked changes (deleted text), comments, footnotes and endnotes.
                case "tracked-changes", "annotation", "annotation-end", "note", "change":
                    return .skipChildren
                case "p" where isText, "h" where isText:
                    writer.beginParagraph()
                    inHeading = name == "h" && heading == nil && (LibXML.attribute(node, "outline-level").map { $0 == "1" } ?? true)
                    return .descend
                case "s" where isText:
                    let count = LibXML.attribute(node, "c").flatMap { Int($0) } ?? 1
                    // A count is a number of spaces the author typed; a huge one is hostile.
                    writer.appendLiteral(0x20, count: min(max(count, 1), 1000))
                    return .skipChildren
                case "tab" where isText:
                    writer.appendLiteral(0x09)
                    return .skipChildren
                case "line-break" where isText:
                    writer.appendLiteral(0x0A)
                    return .skipChildren
                default:
                    return .descend
                }
            }, leave: { node in
                guard node.pointee.type == XML_ELEMENT_NODE, LibXML.namespace(node) == textNamespace else { return }
                let name = LibXML.name(node)
                guard name == "p" || name == "h" else { return }
                if inHeading, writer.paragraphStart <= writer.out.count {
                    let line = TextCleanup.collapseWhitespace(String(decoding: writer.out[writer.paragraphStart...], as: UTF8.self))
                    if !line.isEmpty { heading = line }
                }
                inHeading = false
                writer.endParagraph()
            })
            return (String(decoding: writer.out, as: UTF8.self), heading)
        }
    }

    /// Title and metadata from meta.xml (office:document-meta/office:meta). A malformed
    /// meta.xml only costs the metadata.
    static func parseMeta(_ data: Data) -> (title: String?, metadata: [String: String]) {
        let names: [String: String] = [
            "title": "title", "initial-creator": "author", "creator": "last-modified-by",
            "creation-date": "date", "date": "modified", "subject": "subject", "keyword": "keywords",
            "description": "description", "language": "language",
        ]
        let parsed: (String?, [String: String])? = try? PackageXML.withParsed(data, part: metaPath, format: "ODT") { root in
            var title: String?
            var metadata: [String: String] = [:]
            LibXML.walk(root, enter: { node in
                guard node.pointee.type == XML_ELEMENT_NODE else { return .skipChildren }
                let name = LibXML.name(node)
                if name == "document-meta" || name == "meta" { return .descend }
                if let key = names[name] {
                    let value = TextCleanup.collapseWhitespace(LibXML.textContent(node))
                    if !value.isEmpty {
                        if key == "title" {
                            if title == nil { title = value }
                        } else if metadata[key] == nil {
                            metadata[key] = value
                        }
                    }
                }
                return .skipChildren
            }, leave: { _ in })
            return (title, metadata)
        }
        return parsed ?? (nil, [:])
    }
}
