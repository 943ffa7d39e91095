// DOCX: a zip (`ZipPackage`) holding WordprocessingML. The text is word/document.xml's
// paragraphs in order, one line each; docProps/core.xml gives the title and some metadata.
// Without a core title, the first Heading 1 paragraph is the title: its style is found by
// name in word/styles.xml (the built-in name "heading 1" is English whatever the display
// language, while the style id is localised), or by outline level 0, or by the id Heading1.

import CLibXML2
import Foundation

enum DOCXExtractor {
    static let documentPath = "word/document.xml"
    static let corePath = "docProps/core.xml"
    static let stylesPath = "word/styles.xml"
    static let wordNamespace = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

    static func extract(_ bytes: [UInt8], maxUncompressedBytes: Int,
                        clock: ExtractionClock = ExtractionClock(seconds: .infinity)) throws(ExtractionError) -> ExtractedDocument {
        var package = try ZipPackage(bytes, format: "DOCX", maxUncompressedBytes: maxUncompressedBytes)
        guard let documentEntry = try package.entry(documentPath) else {
            throw ExtractionError(.unsupportedFormat, "not a DOCX: word/document.xml missing")
        }
        let coreEntry = try package.entry(corePath)
        let stylesEntry = try package.entry(stylesPath)
        try package.checkDeclaredSize([documentEntry, coreEntry, stylesEntry])

        var headingStyles: Set<String> = ["Heading1"]
        if let stylesEntry {
            headingStyles.formUnion(parseHeadingStyles(try package.read(stylesEntry)))
        }
        let documentXML = try package.read(documentEntry)
        var (text, heading) = try parseDocumentXML(documentXML, headingStyles: headingStyles, clock: clock)
        try clock.check("DOCX document")
        text = TextCleanup.tidyLines(text)
        guard TextCleanup.hasVisibleText(text) else {
            throw ExtractionError(.empty, "no text: the DOCX document has no text")
        }

        var title: String?
        var metadata: [String: String] = [:]
        if let coreEntry {
            (title, metadata) = parseCoreProperties(try package.read(coreEntry))
        }
        return ExtractedDocument(text: text, title: title ?? heading, mediaType: DocumentFormat.docx.mediaType, properties: metadata)
    }

    static func withParsedXML<T>(_ data: Data, part: String, _ body: (xmlNodePtr) -> T) throws(ExtractionError) -> T {
        try PackageXML.withParsed(data, part: part, format: "DOCX", body)
    }

    /// The ids of the styles that make a paragraph a first-level heading: named "heading 1"
    /// (any case) or with outline level 0. A malformed styles.xml only costs the heading title.
    static func parseHeadingStyles(_ data: Data) -> Set<String> {
        let parsed: Set<String>? = try? withParsedXML(data, part: stylesPath) { root in
            var ids: Set<String> = []
            var child = root.pointee.children
            while let style = child {
                child = style.pointee.next
                guard style.pointee.type == XML_ELEMENT_NODE, LibXML.name(style) == "style",
                      let id = LibXML.attribute(style, "styleid") else { continue }
                var property = style.pointee.children
                while let p = property {
                    property = p.pointee.next
                    guard p.pointee.type == XML_ELEMENT_NODE else { continue }
                    if LibXML.name(p) == "name", LibXML.attribute(p, "val")?.lowercased() == "heading 1" { ids.insert(id) }
                    if LibXML.name(p) == "pPr", outlineLevel(p) == 0 { ids.insert(id) }
                }
            }
            return ids
        }
        return parsed ?? []
    }

    /// The w:outlineLvl of a properties element (pPr), if it has one.
    static func outlineLevel(_ properties: xmlNodePtr) -> Int? {
        var child = properties.pointee.children
        while let c = child {
            child = c.pointee.next
            if c.pointee.type == XML_ELEMENT_NODE, LibXML.name(c) == "outlineLvl" {
                return LibXML.attribute(c, "val").flatMap { Int($0) }
            }
        }
        return nil
    }

    /// True when a paragraph's pPr makes it a first-level heading.
    static func isHeading(_ properties: xmlNodePtr, headingStyles: Set<String>) -> Bool {
        if outlineLevel(properties) == 0 { return true }
        var child = properties.pointee.children
        while let c = child {
            child = c.pointee.next
            if c.pointee.type == XML_ELEMENT_NODE, LibXML.name(c) == "pStyle",
               let id = LibXML.attribute(c, "val"), headingStyles.contains(id) { return true }
        }
        return false
    }

    /// The paragraphs of word/document.xml, one line each, and the text of the first
    /// first-level heading that has visible text.
    static func parseDocumentXML(_ data: Data, headingStyles: Set<String> = ["Heading1"],
                                 clock: ExtractionClock? = nil) throws(ExtractionError) -> (text: String, heading: String?) {
        try withParsedXML(data, part: documentPath) { root in
            var out: [UInt8] = []
            var heading: String?
            // Where the current top-level paragraph's text starts, and whether it is a heading.
            var paragraphStart = 0
            var inHeading = false
            LibXML.walk(root, clock: clock, enter: { node in
                switch node.pointee.type {
                case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                    if let parent = node.pointee.parent, LibXML.name(parent) == "t", let content = node.pointee.content {
                        LibXML.appendCString(content, to: &out)
                    }
                    return .skipChildren
                case XML_ELEMENT_NODE:
                    break
                default:
                    return .skipChildren
                }
                switch LibXML.name(node) {
                case "p":
                    if LibXML.namespace(node) == wordNamespace { paragraphStart = out.count; inHeading = false }
                    return .descend
                case "tab":
                    if let parent = node.pointee.parent, LibXML.name(parent) == "r" { out.append(0x09) }
                    return .skipChildren
                case "br", "cr":
                    out.append(0x0A)
                    return .skipChildren
                case "noBreakHyphen":
                    out.append(0x2D)
                    return .skipChildren
                case "pPr":
                    if heading == nil, isHeading(node, headingStyles: headingStyles) { inHeading = true }
                    return .skipChildren
                // Deleted text, field instructions, properties, and the fallback copy of
                // alternate content (text boxes appear in both mc:Choice and mc:Fallback).
                case "delText", "instrText", "delInstrText", "rPr", "sectPr", "tblPr", "tcPr", "trPr",
                     "Fallback":
                    return .skipChildren
                default:
                    return .descend
                }
            }, leave: { node in
                if node.pointee.type == XML_ELEMENT_NODE, LibXML.name(node) == "p",
                   LibXML.namespace(node) == wordNamespace {
                    if inHeading, heading == nil, paragraphStart <= out.count {
                        let line = TextCleanup.collapseWhitespace(String(decoding: out[paragraphStart...], as: UTF8.self))
                        if !line.isEmpty { heading = line }
                    }
                    inHeading = false
                    out.append(0x0A)
                }
            })
            return (String(decoding: out, as: UTF8.self), heading)
        }
    }

    /// Title and metadata from docProps/core.xml. A malformed core.xml only costs the metadata.
    static func parseCoreProperties(_ data: Data) -> (title: String?, metadata: [String: String]) {
        let names: [String: String] = [
            "title": "title", "creator": "author", "created": "date", "modified": "modified",
            "subject": "subject", "keywords": "keywords", "description": "description",
            "lastModifiedBy": "last-modified-by", "language": "language",
        ]
        let parsed: (String?, [String: String])? = try? withParsedXML(data, part: corePath) { root in
            var title: String?
            var metadata: [String: String] = [:]
            var child = root.pointee.children
            while let node = child {
                child = node.pointee.next
                guard node.pointee.type == XML_ELEMENT_NODE, let key = names[LibXML.name(node)] else { continue }
                let value = TextCleanup.collapseWhitespace(LibXML.textContent(node))
                guard !value.isEmpty else { continue }
                if key == "title" {
                    if title == nil { title = value }
                } else if metadata[key] == nil {
                    metadata[key] = value
                }
            }
            return (title, metadata)
        }
        return parsed ?? (nil, [:])
    }
}
