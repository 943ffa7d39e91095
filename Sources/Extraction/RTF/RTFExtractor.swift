// RTF: our own reader of the text stream, enough for official texts and Word's RTF output.
// One pass over the bytes, no recursion: groups push and pop a small state (destination,
// font, \ucN); control words either add text (\par, \line, \cell, \tab, \uN, \'xx, quotes,
// dashes) or change the state; destinations that are not text (\*, font and colour tables,
// style sheet, \info, pictures, objects, headers, field instructions) are skipped, except
// that the font table names each font and its charset, and \info gives \title and \author.
//
// Bytes (\'xx and raw 8-bit) are read in the current font's encoding: a TCVN3 font (".VnTime";
// ".VnTimeH", a name ending in H, is the capital font, so its letters are capitals), a VNI font
// ("VNI-Times"), VPS or VISCII fonts, else the font's \fcharset (163 Vietnamese = 1258, 238 =
// 1250, 128 = Shift-JIS, ...) or the document's \ansicpg (default 1252), the double-byte East
// Asian pages included (RTFCodePage). `--encoding` overrides all.
//
// Bounds: nesting deeper than `maxDepth` and \bin data beyond the end are errors, the
// extraction clock bounds the time, and a file that ends inside a group deeper than the
// document's own is refused as truncated.

import Foundation

enum RTFExtractor {
    static let maxDepth = 512

    static func extract(_ bytes: [UInt8], forced: TextEncoding?, clock: ExtractionClock) throws(ExtractionError) -> ExtractedDocument {
        var reader = RTFReader(bytes: bytes, forced: forced)
        try reader.run(clock: clock)
        try clock.check("RTF document")
        let text = TextCleanup.tidyLines(reader.output.string())
        guard TextCleanup.hasVisibleText(text) else { throw ExtractionError(.empty, "no text: the RTF document has no visible text") }
        var title = reader.title.map { TextCleanup.collapseWhitespace(ScalarOutput.compose($0)) }
        if title?.isEmpty ?? true {
            title = text.split(separator: "\n").lazy.map { TextCleanup.collapseWhitespace($0) }.first { !$0.isEmpty }
        }
        var properties: [String: String] = [:]
        if let author = reader.author.map({ TextCleanup.collapseWhitespace(ScalarOutput.compose($0)) }), !author.isEmpty {
            properties["author"] = author
        }
        return ExtractedDocument(text: text, title: title, mediaType: DocumentFormat.rtf.mediaType,
                                 properties: properties, conversion: reader.conversion)
    }
}

/// How the bytes of one font are read.
enum RTFByteReading: Equatable {
    case legacy(TextEncoding, capitals: Bool)
    case codePage(Int)
}

struct RTFFont {
    var name = ""
    var charset: Int?
}

struct RTFReader {
    enum Destination { case text, skip, info, fontTable, fontEntry, title, author }

    struct State {
        var destination = Destination.text
        var font: Int?
        var unicodeSkip = 1
    }

    let bytes: [UInt8]
    let forced: TextEncoding?
    var output = ScalarOutput(capacity: 0)
    var title: [Unicode.Scalar]?
    var author: [Unicode.Scalar]?
    var fonts: [Int: RTFFont] = [:]
    var defaultCodePage = 1252
    var defaultFont: Int?
    var fontEntry: Int?
    var stack: [State] = []
    var state = State()
    /// Characters still to drop after a \uN (its fallback).
    var pendingSkip = 0
    /// Letters read per legacy encoding, and TCVN3 letters whose case the bytes lack.
    var legacyLetters: [TextEncoding: Int] = [:]
    var caselessLetters = 0
    /// Code-page decoders by page, and the one holding a double-byte lead byte, if any.
    var codePages: [Int: RTFCodePage] = [:]
    var waitingLead: RTFCodePage?
    /// The fallback being skipped ended on a double-byte lead: its second byte goes too.
    var skipsTrail = false

    init(bytes: [UInt8], forced: TextEncoding?) {
        self.bytes = bytes
        self.forced = forced
        output = ScalarOutput(capacity: bytes.count / 2)
    }

    var conversion: TextConversion? {
        if let forced, forced != .utf8 { return TextConversion(encoding: forced, confidence: nil, caseMayBeLost: caselessLetters > 0) }
        guard let (encoding, _) = legacyLetters.max(by: { $0.value < $1.value }) else { return nil }
        return TextConversion(encoding: encoding, confidence: nil, caseMayBeLost: caselessLetters > 0)
    }

    mutating func run(clock: ExtractionClock) throws(ExtractionError) {
        var i = 0
        let n = bytes.count
        var depth = 0
        var closedRoot = false
        while i < n {
            if clock.step() { return }
            let b = bytes[i]
            switch b {
            case 0x7B: // {
                depth += 1
                if depth > RTFExtractor.maxDepth {
                    throw ExtractionError(.corrupt, "the RTF document nests groups deeper than \(RTFExtractor.maxDepth) levels")
                }
                stack.append(state)
                if state.destination == .fontTable { state.destination = .fontEntry; fontEntry = nil }
                i += 1
            case 0x7D: // }
                guard let previous = stack.popLast() else {
                    throw ExtractionError(.corrupt, "the RTF document closes a group it never opened (unbalanced braces at byte \(i))")
                }
                if state.destination == .fontEntry, let f = fontEntry, let name = fonts[f]?.name {
                    fonts[f]?.name = name.trimmingCharacters(in: CharacterSet(charactersIn: "; ").union(.whitespaces))
                }
                state = previous
                depth -= 1
                i += 1
                if depth == 0 { closedRoot = true; i = n }
            case 0x5C: // backslash
                i = try controlSequence(at: i)
            case 0x0D, 0x0A:
                i += 1
            default:
                emitByte(b)
                i += 1
            }
        }
        flushWaitingLead()
        if !closedRoot && depth > 1 {
            throw ExtractionError(.corrupt, "the RTF document ends inside \(depth) open groups (truncated?)")
        }
        if depth == 0 && !closedRoot {
            throw ExtractionError(.corrupt, "not a valid RTF: no {\\rtf group")
        }
    }

    /// Reads the control sequence at `start` (a backslash); returns the index after it.
    mutating func controlSequence(at start: Int) throws(ExtractionError) -> Int {
        let n = bytes.count
        var i = start + 1
        guard i < n else { return n }
        let c = bytes[i]
        if isLetter(c) {
            let wordStart = i
            while i < n, isLetter(bytes[i]), i - wordStart < 32 { i += 1 }
            let word = String(decoding: bytes[wordStart..<i], as: UTF8.self)
            var parameter: Int?
            var negative = false
            if i < n, bytes[i] == 0x2D { negative = true; i += 1 }
            let digitsStart = i
            while i < n, bytes[i] >= 0x30, bytes[i] <= 0x39, i - digitsStart < 10 { i += 1 }
            if i > digitsStart {
                let v = Int(String(decoding: bytes[digitsStart..<i], as: UTF8.self)) ?? 0
                parameter = negative ? -v : v
            }
            if i < n, bytes[i] == 0x20 { i += 1 }
            if word == "bin" {
                let count = max(0, parameter ?? 0)
                guard count <= n - i else {
                    throw ExtractionError(.corrupt, "the RTF document's \\bin data (\(count) bytes) runs past the end of the file")
                }
                return i + count
            }
            controlWord(word, parameter)
            return i
        }
        i += 1
        switch c {
        case 0x27: // \'xx
            guard i + 1 < n, let hi = hex(bytes[i]), let lo = hex(bytes[i + 1]) else { return i }
            emitByte(hi << 4 | lo)
            return i + 2
        case 0x2A: // \* : an optional destination VanBan does not read
            state.destination = .skip
        case 0x5C, 0x7B, 0x7D:
            emitByte(c)
        case 0x7E:
            emit(0xA0)
        case 0x5F:
            emit(0x2011)
        case 0x0A, 0x0D:
            controlWord("par", nil)
        default:
            break // \- optional hyphen, \| \: formula and index marks
        }
        return i
    }

    mutating func controlWord(_ word: String, _ parameter: Int?) {
        switch word {
        // Destinations.
        case "fonttbl": state.destination = .fontTable
        case "info": state.destination = .info
        case "title" where state.destination == .info:
            state.destination = .title
            if title == nil { title = [] }
        case "author" where state.destination == .info:
            state.destination = .author
            if author == nil { author = [] }
        case "colortbl", "stylesheet", "pict", "object", "header", "headerl", "headerr", "headerf",
             "footer", "footerl", "footerr", "footerf", "fldinst", "xmlnstbl", "listtable", "listoverridetable",
             "revtbl", "rsidtbl", "generator", "themedata", "colorschememapping", "datastore", "latentstyles",
             "filetbl", "pgdsctbl", "bkmkstart", "bkmkend", "datafield", "formfield", "footnote", "annotation",
             "atnid", "atnauthor", "comment", "subject", "operator", "keywords", "doccomm", "company", "manager",
             "category", "hlinkbase", "userprops", "nonshppict", "template", "mmathPr", "wgrffmtfilter", "passwordhash",
             "title", "author":
            state.destination = .skip
        // Document and font settings.
        case "ansicpg": if let p = parameter, p > 0 { defaultCodePage = p }
        case "mac": defaultCodePage = 10000
        case "pc": defaultCodePage = 437
        case "pca": defaultCodePage = 850
        case "deff": defaultFont = parameter
        case "f":
            if state.destination == .fontEntry, let p = parameter {
                fontEntry = p
                fonts[p] = fonts[p] ?? RTFFont()
            } else {
                state.font = parameter
            }
        case "fcharset": if state.destination == .fontEntry, let f = fontEntry { fonts[f]?.charset = parameter }
        case "uc": state.unicodeSkip = max(0, parameter ?? 1)
        case "u":
            if var v = parameter {
                if v < 0 { v += 65536 }
                emit(UInt32(v))
                pendingSkip = state.unicodeSkip
                return
            }
        // Text.
        case "par", "line", "sect", "page", "row": emit(0x0A)
        case "cell", "nestcell", "tab": emit(0x09)
        case "emdash": emit(0x2014)
        case "endash": emit(0x2013)
        case "lquote": emit(0x2018)
        case "rquote": emit(0x2019)
        case "ldblquote": emit(0x201C)
        case "rdblquote": emit(0x201D)
        case "bullet": emit(0x2022)
        case "emspace", "enspace", "qmspace": emit(0x20)
        default: break
        }
        pendingSkip = 0
    }

    @inline(__always) func isLetter(_ b: UInt8) -> Bool { (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) }

    func hex(_ b: UInt8) -> UInt8? {
        switch b {
        case 0x30...0x39: return b - 0x30
        case 0x61...0x66: return b - 0x61 + 10
        case 0x41...0x46: return b - 0x41 + 10
        default: return nil
        }
    }

    /// A scalar of text in the current destination.
    mutating func emit(_ value: UInt32) {
        switch state.destination {
        case .text: output.append(value)
        case .title: if let s = Unicode.Scalar(value) { title?.append(s) }
        case .author: if let s = Unicode.Scalar(value) { author?.append(s) }
        case .fontEntry:
            if let f = fontEntry, let s = Unicode.Scalar(value) { fonts[f]?.name.unicodeScalars.append(s) }
        case .skip, .info, .fontTable: break
        }
    }

    /// A byte of text (\'xx or raw), read in the current font's encoding.
    mutating func emitByte(_ b: UInt8) {
        let reading = reading(for: state.font ?? defaultFont)
        // A \uN's fallback is counted in characters of its code page: a double-byte
        // character's second byte goes with its lead.
        if skipsTrail { skipsTrail = false; return }
        if pendingSkip > 0 {
            pendingSkip -= 1
            if case .codePage(let page) = reading, b >= 0x80, codePage(page).isLeadByte(b), pendingSkip == 0 { skipsTrail = true }
            return
        }
        guard case .codePage(let page) = reading else {
            flushWaitingLead()
            if b < 0x80 {
                // The capital font (.VnTimeH) shows a-z as capitals too.
                if case .legacy(.tcvn3, capitals: true) = reading, b >= 0x61, b <= 0x7A { emit(UInt32(b - 0x20)) } else { emit(UInt32(b)) }
            } else if case .legacy(let encoding, let capitals) = reading {
                emitLegacy(b, encoding, capitals: capitals)
            }
            return
        }
        let decoder = codePage(page)
        if let waiting = waitingLead, waiting !== decoder { flushWaitingLead() }
        guard let value = decoder.decode(b) else { waitingLead = decoder; return }
        waitingLead = nil
        if page == 1258, b >= 0x80 { legacyLetters[.windows1258, default: 0] += 1 }
        emit(value)
    }

    /// The decoder of code page `page`, opened on first use.
    mutating func codePage(_ page: Int) -> RTFCodePage {
        if let known = codePages[page] { return known }
        let decoder = RTFCodePage(codePage: page)
        codePages[page] = decoder
        return decoder
    }

    /// A lead byte whose second byte never came is shown as U+FFFD.
    mutating func flushWaitingLead() {
        if let waiting = waitingLead, let value = waiting.flush() { emit(value) }
        waitingLead = nil
    }

    mutating func emitLegacy(_ b: UInt8, _ encoding: TextEncoding, capitals: Bool) {
        var value: UInt32
        switch encoding {
        case .tcvn3:
            value = EncodingTables.tcvn3[Int(b)]
            if EncodingTables.tcvn3Caseless[Int(b)] {
                if capitals, let s = Unicode.Scalar(value) { value = TCVN3Case.upper(s).value } else { caselessLetters += 1 }
            }
        case .viscii: value = EncodingTables.viscii[Int(b)]
        case .vps: value = EncodingTables.vps[Int(b)]
        case .windows1258: value = EncodingTables.windows1258[Int(b)]
        case .vni:
            let marks = EncodingTables.vniMarks[Int(b)]
            if marks != 0, state.destination == .text, let last = output.scalars.last,
               LegacyDecoder.takesVNIMark(last, upperMark: EncodingTables.vniUpperMark[Int(b)]) {
                emit(marks >> 16)
                if marks & 0xFFFF != 0 { emit(marks & 0xFFFF) }
                legacyLetters[.vni, default: 0] += 1
                return
            }
            value = EncodingTables.vniSingle[Int(b)]
        default:
            value = UInt32(b)
        }
        if b >= 0x80 || value >= 0x80 { legacyLetters[encoding, default: 0] += 1 }
        emit(value == EncodingTables.unmapped ? 0xFFFD : value)
    }

    /// How the bytes of font `f` are read.
    func reading(for f: Int?) -> RTFByteReading {
        if let forced, forced != .utf8, forced != .utf16LE, forced != .utf16BE, forced != .viqr {
            return .legacy(forced, capitals: false)
        }
        let font = f.flatMap { fonts[$0] }
        if let font, let legacy = RTFReader.legacyEncoding(fontName: font.name) { return legacy }
        return .codePage(font?.charset.flatMap(RTFCodePage.forCharset) ?? defaultCodePage)
    }

    /// The legacy encoding a font's name says: ".VnTime" TCVN3 (".VnTimeH", ending in H, the
    /// capital font), "VNI-Times" VNI, "VPS Times" VPS, "VISCII ..." VISCII.
    static func legacyEncoding(fontName raw: String) -> RTFByteReading? {
        let name = raw.trimmingCharacters(in: .whitespaces)
        let lower = name.lowercased()
        if lower.hasPrefix(".vn") || lower.hasPrefix("vn3") || lower.hasPrefix("abc ") || lower.contains("tcvn3") {
            let base = name.split(separator: " ").first.map(String.init) ?? name
            return .legacy(.tcvn3, capitals: base.count > 3 && base.hasSuffix("H"))
        }
        if lower.hasPrefix("vni-") || lower.hasPrefix("vni ") { return .legacy(.vni, capitals: false) }
        if lower.hasPrefix("vps") { return .legacy(.vps, capitals: false) }
        if lower.contains("viscii") { return .legacy(.viscii, capitals: false) }
        return nil
    }
}
