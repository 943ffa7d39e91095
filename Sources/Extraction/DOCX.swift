// DOCX: a zip (read in memory with ZIPFoundation) holding WordprocessingML. The text is
// word/document.xml's paragraphs in order, one line each; docProps/core.xml gives the title
// and some metadata. Every byte read from the zip counts against a limit (zip bombs), both
// as declared in the central directory and as actually inflated.

import CLibXML2
import Foundation
import ZIPFoundation

enum DOCXExtractor {
    static let documentPath = "word/document.xml"
    static let corePath = "docProps/core.xml"

    static func extract(_ bytes: [UInt8], maxUncompressedBytes: Int,
                        clock: ExtractionClock = ExtractionClock(seconds: .infinity)) throws(ExtractionError) -> ExtractedDocument {
        let archive: Archive
        do {
            archive = try Archive(data: Data(bytes), accessMode: .read)
        } catch {
            throw ExtractionError(.corrupt, "not a valid DOCX: not a zip archive")
        }
        // ZIPFoundation does not list encrypted entries at all, so look for them first.
        let encrypted = ZipDirectory.encryptedEntryNames(bytes)
        for path in [documentPath, corePath] where encrypted.contains(path) {
            throw ExtractionError(.corrupt, "not a readable DOCX: entry \(path) is encrypted")
        }
        guard let documentEntry = archive[documentPath] else {
            throw ExtractionError(.unsupportedFormat, "not a DOCX: word/document.xml missing")
        }
        let coreEntry = archive[corePath]

        var budget = ExpansionBudget(limit: maxUncompressedBytes)
        let declared = documentEntry.uncompressedSize &+ (coreEntry?.uncompressedSize ?? 0)
        guard declared <= UInt64(max(0, maxUncompressedBytes)) else { throw budget.exceededError }

        let documentXML = try read(documentEntry, from: archive, budget: &budget)
        var text = try parseDocumentXML(documentXML, clock: clock)
        try clock.check("DOCX document")
        text = TextCleanup.tidyLines(text)
        guard TextCleanup.hasVisibleText(text) else {
            throw ExtractionError(.empty, "no text: the DOCX document has no text")
        }

        var title: String?
        var metadata: [String: String] = [:]
        if let coreEntry {
            let coreXML = try read(coreEntry, from: archive, budget: &budget)
            (title, metadata) = parseCoreProperties(coreXML)
        }
        return ExtractedDocument(text: text, title: title, mediaType: DocumentFormat.docx.mediaType, properties: metadata)
    }

    /// Counts inflated bytes across all entries read from one archive.
    struct ExpansionBudget {
        var limit: Int
        var used = 0

        var exceededError: ExtractionError {
            ExtractionError(.tooLarge, "DOCX expands beyond the \(Self.describe(limit)) limit (zip bomb?)")
        }

        static func describe(_ bytes: Int) -> String {
            let mb = 1024 * 1024
            if bytes >= mb && bytes % mb == 0 { return "\(bytes / mb) MB" }
            if bytes >= 1024 && bytes % 1024 == 0 { return "\(bytes / 1024) KB" }
            return "\(bytes) bytes"
        }
    }

    private struct BudgetExceeded: Error {}

    static func read(_ entry: Entry, from archive: Archive, budget: inout ExpansionBudget) throws(ExtractionError) -> Data {
        guard entry.type == .file else { throw ExtractionError(.corrupt, "not a valid DOCX: \(entry.path) is not a file") }
        var data = Data()
        var used = budget.used
        let limit = budget.limit
        let checksum: CRC32
        do {
            checksum = try archive.extract(entry, bufferSize: 64 * 1024, skipCRC32: false) { chunk in
                used += chunk.count
                if used > limit { throw BudgetExceeded() }
                data.append(chunk)
            }
        } catch is BudgetExceeded {
            throw budget.exceededError
        } catch {
            throw ExtractionError(.corrupt, "not a valid DOCX: entry \(entry.path) is corrupt or encrypted (\(error))")
        }
        budget.used = used
        guard checksum == entry.checksum else {
            throw ExtractionError(.corrupt, "not a valid DOCX: entry \(entry.path) is corrupt (CRC-32 mismatch)")
        }
        return data
    }

    static let xmlOptions = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue
        | XML_PARSE_NOWARNING.rawValue | XML_PARSE_COMPACT.rawValue)

    /// Parses one XML part and hands its root element to `body`; the document is freed after.
    static func withParsedXML<T>(_ data: Data, part: String,
                                 _ body: (xmlNodePtr) -> T) throws(ExtractionError) -> T {
        LibXML.ensureInitialised()
        guard data.count <= Int(Int32.max) else { throw ExtractionError(.tooLarge, "not a valid DOCX: \(part) is larger than 2 GB") }
        guard let ctxt = xmlNewParserCtxt() else { throw ExtractionError(.failed, "out of memory parsing \(part)") }
        defer { xmlFreeParserCtxt(ctxt) }
        let doc: xmlDocPtr? = data.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return nil }
            return xmlCtxtReadMemory(ctxt, base.assumingMemoryBound(to: CChar.self), Int32(raw.count),
                                     part, nil, xmlOptions)
        }
        guard let doc, let root = xmlDocGetRootElement(doc) else {
            let error = ctxt.pointee.lastError
            var detail = error.message.map { String(cString: $0).trimmingASCIIWhitespace() } ?? "empty or unreadable"
            if error.line > 0 { detail = "line \(error.line): " + detail }
            if let doc { xmlFreeDoc(doc) }
            throw ExtractionError(.corrupt, "not a valid DOCX: \(part) is not well-formed XML (\(detail))")
        }
        defer { xmlFreeDoc(doc) }
        return body(root)
    }

    /// The paragraphs of word/document.xml, one line each.
    static func parseDocumentXML(_ data: Data, clock: ExtractionClock? = nil) throws(ExtractionError) -> String {
        try withParsedXML(data, part: documentPath) { root in
            var out: [UInt8] = []
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
                case "tab":
                    if let parent = node.pointee.parent, LibXML.name(parent) == "r" { out.append(0x09) }
                    return .skipChildren
                case "br", "cr":
                    out.append(0x0A)
                    return .skipChildren
                case "noBreakHyphen":
                    out.append(0x2D)
                    return .skipChildren
                // Deleted text, field instructions, properties, and the fallback copy of
                // alternate content (text boxes appear in both mc:Choice and mc:Fallback).
                case "delText", "instrText", "delInstrText", "pPr", "rPr", "sectPr", "tblPr", "tcPr", "trPr",
                     "Fallback":
                    return .skipChildren
                default:
                    return .descend
                }
            }, leave: { node in
                if node.pointee.type == XML_ELEMENT_NODE, LibXML.name(node) == "p",
                   LibXML.namespace(node) == "http://schemas.openxmlformats.org/wordprocessingml/2006/main" {
                    out.append(0x0A)
                }
            })
            return String(decoding: out, as: UTF8.self)
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

/// Just enough of the zip central directory to see which entries are encrypted (general
/// purpose flag bit 0), which ZIPFoundation does not expose.
enum ZipDirectory {
    static func encryptedEntryNames(_ bytes: [UInt8]) -> Set<String> {
        let n = bytes.count
        func u16(_ i: Int) -> Int { Int(bytes[i]) | Int(bytes[i + 1]) << 8 }
        func u32(_ i: Int) -> Int { u16(i) | u16(i + 2) << 16 }
        guard n >= 22 else { return [] }
        // End of central directory record: signature PK\5\6, searched backwards past a comment.
        var eocd = -1
        var i = n - 22
        let lowest = max(0, n - 22 - 65535)
        while i >= lowest {
            if bytes[i] == 0x50, bytes[i + 1] == 0x4B, bytes[i + 2] == 0x05, bytes[i + 3] == 0x06 {
                eocd = i
                break
            }
            i -= 1
        }
        guard eocd >= 0 else { return [] }
        let count = u16(eocd + 10)
        var offset = u32(eocd + 16)
        guard offset != 0xFFFF_FFFF, offset < n else { return [] }
        var names: Set<String> = []
        for _ in 0..<count {
            guard offset + 46 <= n, u32(offset) == 0x0201_4B50 else { break }
            let flags = u16(offset + 8)
            let nameLength = u16(offset + 28)
            let extraLength = u16(offset + 30)
            let commentLength = u16(offset + 32)
            guard offset + 46 + nameLength <= n else { break }
            if flags & 1 != 0 {
                names.insert(String(decoding: bytes[(offset + 46)..<(offset + 46 + nameLength)], as: UTF8.self))
            }
            offset += 46 + nameLength + extraLength + commentLength
        }
        return names
    }
}
