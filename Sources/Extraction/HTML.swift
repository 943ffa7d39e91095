// HTML: parsed with libxml2's forgiving HTML parser (never regular expressions), then the
// tree is walked without recursion to produce the text a reader sees: script/style/head and
// friends removed, block elements as line breaks, inline whitespace collapsed, <pre> kept.

import CLibXML2
import Platform

enum HTMLExtractor {
    static let parseOptions = Int32(HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue
        | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_NONET.rawValue | HTML_PARSE_COMPACT.rawValue)

    static func extract(_ bytes: [UInt8], charsetHint: String?,
                        clock: ExtractionClock = ExtractionClock(seconds: .infinity)) throws(ExtractionError) -> ExtractedDocument {
        guard !bytes.isEmpty else { throw ExtractionError(.empty, "the file is empty") }
        guard bytes.count <= Int(Int32.max) else { throw ExtractionError(.tooLarge, "the HTML page is larger than 2 GB") }

        var charset = try Charset.choose(bytes, hint: charsetHint)
        // The Vietnamese legacy charsets (declared, or detected in a page that declares
        // nothing and is not UTF-8) are converted here, and libxml2 reads UTF-8.
        var conversion: TextConversion?
        var bytes = bytes
        if let legacy = charset.legacy {
            let decoded = try TextDecoding.convert(bytes, as: legacy, confidence: nil)
            (bytes, conversion) = (Array(decoded.text.utf8), decoded.conversion)
        } else if charset.isUTF8 && !charset.declared && PlainText.firstInvalidUTF8Offset(bytes, from: charset.bomLength) != nil {
            let decoded = try TextDecoding.decode(bytes, declared: nil)
            if let found = decoded.conversion {
                (bytes, conversion) = (Array(decoded.text.utf8), found)
                charset = Charset(label: found.encoding.rawValue, libxmlName: "UTF-8", legacy: found.encoding)
            }
        }
        if conversion == nil, charset.isASCIICompatible {
            try PlainText.checkNotBinary(bytes, from: charset.bomLength)
        }
        if conversion == nil, charset.isUTF8 {
            try PlainText.validateUTF8(bytes, from: charset.bomLength)
        }

        LibXML.ensureInitialised()
        // libxml2's default limits (nesting depth 256, 10 MB text nodes) stop the parser and
        // silently drop the rest of the page. Such pages are parsed again without those limits:
        // the tree walk and xmlFreeDoc are iterative, and input size is bounded by the caller.
        var parsed = parse(bytes, encoding: charset.libxmlName, options: parseOptions)
        if parsed.stopped {
            if let doc = parsed.doc { xmlFreeDoc(doc) }
            parsed = parse(bytes, encoding: charset.libxmlName, options: parseOptions | Int32(XML_PARSE_HUGE.rawValue))
        }
        guard let doc = parsed.doc else { throw ExtractionError(.corrupt, "the HTML page could not be parsed") }
        defer { xmlFreeDoc(doc) }
        if parsed.stopped {
            throw ExtractionError(.corrupt, "the HTML page could not be parsed to the end (\(parsed.message ?? "parser stopped"))")
        }

        var walker = HTMLWalker()
        if let root = xmlDocGetRootElement(doc) {
            walker.run(root, clock: clock)
        }
        try clock.check("HTML page")
        let (text, chromeLines) = PageFurniture.text(walker.out.bytes, furniture: walker.furniture)
        guard TextCleanup.hasVisibleText(text) else {
            throw ExtractionError(.empty, "no text: the HTML page has no visible text")
        }
        let title = walker.title ?? walker.firstH1 ?? walker.metadata["og:title"]
        let mediaType = charset.isUTF8 && conversion == nil ? DocumentFormat.html.mediaType : "text/html; charset=\(charset.label)"
        var properties = walker.metadata
        properties.merge(Extractor.conversionProperties(conversion)) { a, _ in a }
        var extracted = ExtractedDocument(text: text, title: title, mediaType: mediaType, properties: properties, conversion: conversion)
        extracted.furnitureLines = chromeLines
        return extracted
    }
}

extension HTMLExtractor {
    /// One parse with its own context; `stopped` when libxml2 gave up before the end.
    static func parse(_ bytes: [UInt8], encoding: String, options: Int32) -> (doc: htmlDocPtr?, stopped: Bool, message: String?) {
        guard let ctxt = htmlNewParserCtxt() else { return (nil, true, "out of memory") }
        defer { htmlFreeParserCtxt(ctxt) }
        let doc: htmlDocPtr? = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { base in
                encoding.withCString { htmlCtxtReadMemory(ctxt, base, Int32(buffer.count), nil, $0, options) }
            }
        }
        let stopped = ctxt.pointee.disableSAX != 0
        let message = ctxt.pointee.lastError.message.map { String(cString: $0).trimmingASCIIWhitespace() }
        return (doc, stopped, message)
    }
}

/// The character set used to decode an HTML page: the HTTP hint, else a byte order mark,
/// else the page's own declaration (<meta charset>, http-equiv Content-Type, XML
/// declaration) in the first 4 KB, else UTF-8 (or, for bytes that are not UTF-8, what the
/// encoding detector finds). The Vietnamese legacy charsets (TCVN3, VNI, VISCII, VPS,
/// Windows-1258, VIQR) are decoded by VanBan's own tables, the others by iconv.
struct Charset {
    /// Lower-case label as reported in the media type (e.g. "windows-1252").
    var label: String
    /// The name handed to libxml2 (which uses iconv for most charsets).
    var libxmlName: String
    var bomLength: Int = 0
    /// False for the UTF-8 assumed when nothing is declared (bytes that are not UTF-8 are
    /// then looked at by the encoding detector).
    var declared = true
    /// A Vietnamese legacy charset VanBan converts itself (libxml2 then reads UTF-8).
    var legacy: TextEncoding?

    init(label: String, libxmlName: String, bomLength: Int = 0, declared: Bool = true, legacy: TextEncoding? = nil) {
        self.label = label; self.libxmlName = libxmlName; self.bomLength = bomLength
        self.declared = declared; self.legacy = legacy
    }

    var isUTF8: Bool { label == "utf-8" || legacy != nil }
    var isASCIICompatible: Bool { !label.hasPrefix("utf-16") && !label.hasPrefix("utf-32") }

    static let utf8 = Charset(label: "utf-8", libxmlName: "UTF-8")

    static func choose(_ bytes: [UInt8], hint: String?) throws(ExtractionError) -> Charset {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return Charset(label: "utf-8", libxmlName: "UTF-8", bomLength: 3) }
        if bytes.starts(with: [0xFF, 0xFE]) { return Charset(label: "utf-16le", libxmlName: "UTF-16LE", bomLength: 2) }
        if bytes.starts(with: [0xFE, 0xFF]) { return Charset(label: "utf-16be", libxmlName: "UTF-16BE", bomLength: 2) }
        if let hint { return try named(hint, fromDocument: false) }
        if let declared = declaredCharset(bytes) { return try named(declared, fromDocument: true) }
        return Charset(label: "utf-8", libxmlName: "UTF-8", declared: false)
    }

    /// Maps a charset label to what we decode with. Labels follow the WHATWG Encoding
    /// standard where it matters: latin1 and ASCII mean windows-1252, and a document that
    /// declares UTF-16 in its own (ASCII) text is really UTF-8.
    static func named(_ raw: String, fromDocument: Bool) throws(ExtractionError) -> Charset {
        let label = raw.trimmingASCIIWhitespace().lowercased()
        switch label {
        case "utf-8", "utf8", "unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "x-unicode20utf8":
            return .utf8
        case "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "l1", "us-ascii", "ascii", "cp819", "ibm819",
             "iso-ir-100", "csisolatin1", "x-cp1252", "cp1252", "windows-1252", "ansi_x3.4-1968":
            return Charset(label: "windows-1252", libxmlName: "WINDOWS-1252")
        case "utf-16", "utf-16le", "utf-16be", "unicode", "ucs-2":
            if fromDocument { return .utf8 }
            return Charset(label: label == "utf-16be" ? "utf-16be" : "utf-16le",
                           libxmlName: label == "utf-16be" ? "UTF-16BE" : "UTF-16LE")
        default:
            break
        }
        if let legacy = TextEncoding(label: label), legacy != .utf8, legacy != .utf16LE, legacy != .utf16BE {
            return Charset(label: legacy.rawValue, libxmlName: "UTF-8", legacy: legacy)
        }
        guard !label.isEmpty, label.utf8.count < 64, isSupportedByIconv(label) else {
            throw ExtractionError(.unsupportedFormat, "the HTML page uses an unsupported charset \"\(label)\"")
        }
        return Charset(label: label, libxmlName: label.uppercased())
    }

    static func isSupportedByIconv(_ label: String) -> Bool {
        let cd = iconv_open("UTF-8", label.uppercased())
        if cd == iconv_t(bitPattern: -1) { return false }
        iconv_close(cd)
        return true
    }

    /// The charset a page declares in its first 4 KB, found by a byte scan in the spirit of
    /// the HTML "prescan": `charset=` inside a `<meta ...>` tag, or an XML declaration's
    /// `encoding=`.
    static func declaredCharset(_ bytes: [UInt8]) -> String? {
        let window = Array(bytes.prefix(4096))
        let n = window.count
        func matches(_ word: [UInt8], at i: Int) -> Bool {
            guard i + word.count <= n else { return false }
            for k in 0..<word.count where asciiLower(window[i + k]) != word[k] { return false }
            return true
        }
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x0C }
        /// Reads `= value` starting at `i` (after the key); nil if not there.
        func value(after start: Int, end: Int) -> String? {
            var i = start
            while i < end, isSpace(window[i]) { i += 1 }
            guard i < end, window[i] == 0x3D else { return nil }
            i += 1
            while i < end, isSpace(window[i]) { i += 1 }
            var quote: UInt8? = nil
            if i < end, window[i] == 0x22 || window[i] == 0x27 { quote = window[i]; i += 1 }
            let valueStart = i
            while i < end {
                let b = window[i]
                if let quote, b == quote { break }
                if b == 0x22 || b == 0x27 || b == 0x3B || b == 0x3E || b == 0x2F || isSpace(b) { break }
                i += 1
            }
            guard i > valueStart else { return nil }
            return String(decoding: window[valueStart..<i], as: UTF8.self)
        }

        var start = 0
        while start < n, isSpace(window[start]) { start += 1 }
        let xmlDecl = Array("<?xml".utf8)
        if matches(xmlDecl, at: start), let close = window[start...].firstIndex(of: 0x3E) {
            let encoding = Array("encoding".utf8)
            var i = start
            while i < close {
                if matches(encoding, at: i), let v = value(after: i + encoding.count, end: close) { return v }
                i += 1
            }
        }

        let meta = Array("<meta".utf8)
        let charsetWord = Array("charset".utf8)
        var i = 0
        while i < n {
            if window[i] == 0x3C, matches(meta, at: i), i + 5 < n, isSpace(window[i + 5]) || window[i + 5] == 0x2F {
                let end = window[i...].firstIndex(of: 0x3E) ?? n
                var j = i + 5
                while j < end {
                    if matches(charsetWord, at: j), let v = value(after: j + charsetWord.count, end: end) { return v }
                    j += 1
                }
                i = end
            }
            i += 1
        }
        return nil
    }
}

/// Growing UTF-8 output with HTML whitespace rules: runs of whitespace become one space,
/// block boundaries become line breaks (at most one blank line), cells are tab-separated.
struct HTMLTextOutput {
    var bytes: [UInt8] = []
    var pendingSpace = false
    var pendingBreaks = 0
    var pendingTab = false

    mutating func requestBreaks(_ count: Int) {
        pendingBreaks = max(pendingBreaks, count)
    }

    /// A <br>: one more line break, at most one blank line.
    mutating func lineBreak() {
        pendingBreaks = min(pendingBreaks + 1, 2)
    }

    @inline(__always)
    private mutating func flushPending() {
        if pendingBreaks > 0 {
            if !bytes.isEmpty {
                for _ in 0..<pendingBreaks { bytes.append(0x0A) }
            }
        } else if pendingTab {
            if !bytes.isEmpty && bytes.last != 0x0A { bytes.append(0x09) }
        } else if pendingSpace {
            if !bytes.isEmpty && bytes.last != 0x0A && bytes.last != 0x09 { bytes.append(0x20) }
        }
        pendingBreaks = 0
        pendingTab = false
        pendingSpace = false
    }

    /// Inline text: whitespace (and no-break spaces) collapsed.
    mutating func appendText(_ p: UnsafePointer<xmlChar>) {
        let n = Int(xmlStrlen(p))
        var i = 0
        while i < n {
            let b = p[i]
            if b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D || b == 0x0C {
                pendingSpace = true
                i += 1
            } else if b == 0xC2, i + 1 < n, p[i + 1] == 0xA0 {
                pendingSpace = true
                i += 2
            } else {
                flushPending()
                // Copy the run up to the next whitespace in one go.
                var j = i + 1
                while j < n {
                    let c = p[j]
                    if c == 0x20 || c == 0x0A || c == 0x09 || c == 0x0D || c == 0x0C || c == 0xC2 { break }
                    j += 1
                }
                bytes.append(contentsOf: UnsafeBufferPointer(start: p + i, count: j - i))
                i = j
            }
        }
    }

    /// Text inside <pre>: kept as it is.
    mutating func appendPreformatted(_ p: UnsafePointer<xmlChar>) {
        let n = Int(xmlStrlen(p))
        guard n > 0 else { return }
        flushPending()
        bytes.append(contentsOf: UnsafeBufferPointer(start: p, count: n))
    }
}

/// An element the walker is inside (see `HTMLWalker.open`).
struct OpenElement {
    /// Output bytes, text bytes, link text bytes and links when it was entered.
    var start: Int, visible: Int, linked: Int, links: Int
    var isFurniture = false, isContent = false, isLink = false
}

struct HTMLWalker {
    var out = HTMLTextOutput()
    var title: String?
    var firstH1: String?
    var metadata: [String: String] = [:]
    /// > 0 while inside <head> (text there is not page text).
    var suppressed = 0
    var preDepth = 0
    var h1Start: Int?
    /// Output byte ranges of page furniture, by markup (see `PageFurniture`).
    var furniture: [Range<Int>] = []
    /// Every open element, innermost last (pushed by `enter`, popped by `leave`, whatever
    /// either decides), with what was output when it was entered and what it counts as.
    var open: [OpenElement] = []
    /// Output bytes of text so far, and of text inside links; links entered; depths.
    var visible = 0, linked = 0, links = 0
    var linkDepth = 0, contentDepth = 0, furnitureDepth = 0

    /// Elements whose content is never page text.
    static let skipped: Set<String> = [
        "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed",
        "canvas", "audio", "video", "select", "textarea", "button", "datalist", "map", "frameset",
    ]
    /// Blocks separated by a blank line.
    static let paragraphBlocks: Set<String> = [
        "p", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "blockquote", "table", "ul", "ol", "dl", "figure",
        "section", "article", "header", "footer", "nav", "aside", "main", "form", "hr", "fieldset",
        "address", "details", "hgroup", "listing", "xmp", "plaintext",
    ]
    /// Blocks that start a new line.
    static let lineBlocks: Set<String> = [
        "div", "li", "tr", "dt", "dd", "figcaption", "caption", "summary", "legend", "center", "body",
        "html", "menu", "dir", "tbody", "thead", "tfoot", "option", "optgroup", "label", "frame", "search",
    ]
    /// Meta names/properties copied into the metadata under their own (lower-case) name.
    static let metaKeys: Set<String> = [
        "description", "author", "keywords", "news_keywords", "copyright", "og:title", "og:description",
        "og:site_name", "og:url", "og:type", "og:locale", "article:published_time", "article:modified_time",
        "article:author", "article:section", "twitter:title", "twitter:description", "dc.title",
        "dc.creator", "dc.subject", "dc.description", "dc.publisher", "dc.date",
    ]
    /// Meta names/properties that give the document date (the first one found is "date").
    static let dateKeys: Set<String> = [
        "date", "dc.date", "dc.date.issued", "dc.date.created", "dcterms.date", "dcterms.created",
        "dcterms.issued", "pubdate", "publishdate", "publish-date", "publish_date", "article:published_time",
        "og:published_time", "datepublished", "citation_date", "citation_publication_date",
    ]

    mutating func run(_ root: xmlNodePtr, clock: ExtractionClock? = nil) {
        LibXML.walk(root, clock: clock, enter: { node in self.enter(node) }, leave: { node in self.leave(node) })
    }

    mutating func enter(_ node: xmlNodePtr) -> LibXML.Step {
        switch node.pointee.type {
        case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
            if suppressed == 0, let content = node.pointee.content {
                let before = out.bytes.count
                if preDepth > 0 { out.appendPreformatted(content) } else { out.appendText(content) }
                visible += out.bytes.count - before
                if linkDepth > 0 { linked += out.bytes.count - before }
            }
            return .skipChildren
        case XML_ELEMENT_NODE:
            break
        default:
            return .skipChildren
        }
        let name = LibXML.name(node)
        open.append(OpenElement(start: out.bytes.count, visible: visible, linked: linked, links: links))
        if Self.skipped.contains(name) { return .skipChildren }
        switch name {
        case "head":
            suppressed += 1
            return .descend
        case "title":
            if title == nil {
                let t = TextCleanup.collapseWhitespace(LibXML.textContent(node))
                if !t.isEmpty { title = t }
            }
            return .skipChildren
        case "meta":
            readMeta(node)
            return .skipChildren
        case "html":
            if metadata["language"] == nil, let lang = LibXML.attribute(node, "lang").map(TextCleanup.collapseWhitespace),
               !lang.isEmpty {
                metadata["language"] = lang
            }
        default:
            break
        }
        if LibXML.hasAttribute(node, "hidden") { return .skipChildren }
        if suppressed > 0 { return .descend }
        // An element of the page's text: what it counts as.
        open[open.count - 1].isFurniture = PageFurniture.isFurniture(node, name, insideContent: contentDepth > 0)
        open[open.count - 1].isContent = PageFurniture.contentElements.contains(name)
        open[open.count - 1].isLink = name == "a"
        if open[open.count - 1].isFurniture { furnitureDepth += 1 }
        if open[open.count - 1].isContent { contentDepth += 1 }
        if name == "a" { linkDepth += 1; links += 1 }

        if Self.paragraphBlocks.contains(name) {
            out.requestBreaks(2)
        } else if Self.lineBlocks.contains(name) {
            out.requestBreaks(1)
        }
        switch name {
        case "br":
            out.lineBreak()
        case "pre", "listing", "xmp", "plaintext", "textarea":
            preDepth += 1
        case "h1":
            if firstH1 == nil && h1Start == nil { h1Start = out.bytes.count }
        default:
            break
        }
        return .descend
    }

    mutating func leave(_ node: xmlNodePtr) {
        guard node.pointee.type == XML_ELEMENT_NODE else { return }
        let name = LibXML.name(node)
        if let entered = open.popLast() {
            if entered.isFurniture { furnitureDepth -= 1 }
            if entered.isContent { contentDepth -= 1 }
            if entered.isLink { linkDepth -= 1 }
            if entered.isFurniture && furnitureDepth == 0
                || PageFurniture.isLinkList(name, visible: visible - entered.visible, linked: linked - entered.linked,
                                            links: links - entered.links) {
                if out.bytes.count > entered.start { furniture.append(entered.start..<out.bytes.count) }
            }
        }
        if name == "head" {
            suppressed -= 1
            return
        }
        if Self.skipped.contains(name) || suppressed > 0 { return }
        if Self.paragraphBlocks.contains(name) {
            out.requestBreaks(2)
        } else if Self.lineBlocks.contains(name) {
            out.requestBreaks(1)
        }
        switch name {
        case "td", "th":
            if out.pendingBreaks == 0 { out.pendingTab = true }
        case "pre", "listing", "xmp", "plaintext":
            preDepth = max(0, preDepth - 1)
        case "h1":
            if let start = h1Start {
                let t = TextCleanup.collapseWhitespace(String(decoding: out.bytes[start...], as: UTF8.self))
                if !t.isEmpty { firstH1 = t }
                h1Start = nil
            }
        default:
            break
        }
    }

    mutating func readMeta(_ node: xmlNodePtr) {
        guard let rawKey = LibXML.attribute(node, "name") ?? LibXML.attribute(node, "property")
                ?? LibXML.attribute(node, "itemprop"),
              let rawValue = LibXML.attribute(node, "content") else { return }
        let key = rawKey.trimmingASCIIWhitespace().lowercased()
        let value = TextCleanup.collapseWhitespace(rawValue)
        guard !key.isEmpty, !value.isEmpty else { return }
        if Self.metaKeys.contains(key), metadata[key] == nil { metadata[key] = value }
        if Self.dateKeys.contains(key), metadata["date"] == nil { metadata["date"] = value }
    }
}
