// Word 97-2003 (.doc), read by VanBan itself ([MS-DOC]): the OLE2 container
// (`CompoundFile`), the FIB at the start of the WordDocument stream, and the piece table
// (the Clx in the 0Table or 1Table stream) that says where each run of the main text lies,
// as 8-bit Windows-1252 bytes or as UTF-16. The title and metadata come from the
// \005SummaryInformation property set.
//
// Why not antiword or catdoc: the piece table is all a text needs (about 150 lines here),
// a reader of our own is bounded and memory-safe on hostile files where those 2000s C
// parsers are not, needs no program installed, and keeps the 8-bit bytes themselves, which
// is what a legacy Vietnamese font (TCVN3, VNI) text needs to be decoded right.
//
// Kept: the main document text (footnotes, headers and comments are other parts, as for
// DOCX), paragraphs and table cells one line each, field results without their field codes.

enum DOCExtractor {
    static func extract(_ bytes: [UInt8], clock: ExtractionClock = ExtractionClock(seconds: .infinity)) throws(ExtractionError) -> ExtractedDocument {
        let container: CompoundFile
        do { container = try CompoundFile(bytes) } catch {
            throw ExtractionError(.corrupt, "not a valid Word 97-2003 document: the OLE container is damaged: \(error.reason)")
        }
        guard container.entries["WordDocument"]?.isStream == true else {
            throw ExtractionError(.unsupportedFormat, "\(describeOther(container)) is not supported; only Word 97-2003 documents (.doc) are read from OLE files")
        }
        let text: String
        do {
            let pieces = try WordPieces(container)
            text = TextCleanup.tidyLines(WordText.render(pieces, clock: clock))
        } catch let damaged as CompoundFile.Damaged {
            throw ExtractionError(.corrupt, "not a valid Word 97-2003 document: \(damaged.reason)")
        } catch let error as ExtractionError {
            throw error
        } catch {
            throw ExtractionError(.corrupt, "not a valid Word 97-2003 document: \(error)")
        }
        try clock.check("Word 97-2003 document")
        guard TextCleanup.hasVisibleText(text) else {
            throw ExtractionError(.empty, "no text: the Word 97-2003 document has no text")
        }
        let summary = (try? container.stream("\u{5}SummaryInformation")).flatMap { $0 }.map(SummaryInformation.read) ?? ([:])
        var properties = summary
        let title = properties.removeValue(forKey: "title")
        return ExtractedDocument(text: text, title: title, mediaType: DocumentFormat.doc.mediaType, properties: properties)
    }

    /// What a compound file without a WordDocument stream is, from its top-level streams.
    static func describeOther(_ container: CompoundFile) -> String {
        let names = Set(container.entries.keys)
        if names.contains("EncryptedPackage") { return "a password-protected Office file (encrypted DOCX/XLSX)" }
        if names.contains("Workbook") || names.contains("Book") { return "an Excel 97-2003 workbook (.xls)" }
        if names.contains("PowerPoint Document") { return "a PowerPoint 97-2003 presentation (.ppt)" }
        if names.contains("VisioDocument") { return "a Visio drawing (.vsd)" }
        if names.contains("__substg1.0_0037001F") || names.contains("__substg1.0_0037001E") { return "an Outlook message (.msg)" }
        return "an OLE compound file that is not a Word document"
    }
}

/// The main text's runs, in character-position order: each either 8-bit (Windows-1252 bytes,
/// "compressed" in [MS-DOC]'s words) or UTF-16 code units.
struct WordPieces {
    enum Run {
        case eightBit(ArraySlice<UInt8>)
        case utf16([UInt16])
    }
    var runs: [Run] = []

    struct Malformed: Error, CustomStringConvertible { var description: String }

    init(_ container: CompoundFile) throws {
        guard let word = try container.stream("WordDocument"), word.count >= 0x1AA else {
            throw Malformed(description: "the WordDocument stream is too short for its header (truncated?)")
        }
        func u16(_ d: [UInt8], _ i: Int) -> Int { Int(d[i]) | Int(d[i + 1]) << 8 }
        func u32(_ d: [UInt8], _ i: Int) -> Int { u16(d, i) | u16(d, i + 2) << 16 }
        guard u16(word, 0) == 0xA5EC else { throw Malformed(description: "the WordDocument stream has no Word header (wIdent)") }
        let nFib = u16(word, 2)
        let flags = u16(word, 0x0A)
        if flags & 0x0100 != 0 {
            throw ExtractionError(.corrupt, "not a readable Word 97-2003 document: it is password-protected (encrypted)")
        }
        // Word 6 and Word 95 (nFib 101-105) have a different header and no piece table to rely on.
        guard nFib >= 0xC0 else {
            throw ExtractionError(.unsupportedFormat, "a Word 6/95 document (format version \(nFib)) is not supported; open it in Word or LibreOffice and save it as DOCX")
        }
        // FibBase (32 bytes), csw + FibRgW, cslw + FibRgLw97 (ccpText is its fourth value),
        // cbRgFcLcb + FibRgFcLcb (fcClx/lcbClx are its 34th pair).
        let csw = u16(word, 0x20)
        let rgLw = 0x22 + 2 * csw + 2
        let cslw = u16(word, rgLw - 2)
        let rgFcLcb = rgLw + 4 * cslw + 2
        guard cslw >= 4, rgFcLcb + 34 * 8 <= word.count, u16(word, rgFcLcb - 2) >= 34 else {
            throw Malformed(description: "the Word header (FIB) is truncated")
        }
        let ccpText = u32(word, rgLw + 12)
        let fcClx = u32(word, rgFcLcb + 33 * 8)
        let lcbClx = u32(word, rgFcLcb + 33 * 8 + 4)
        let tableName = flags & 0x0200 != 0 ? "1Table" : "0Table"
        guard let table = try container.stream(tableName) else {
            throw Malformed(description: "the \(tableName) stream is missing")
        }
        guard lcbClx > 0, fcClx <= table.count, lcbClx <= table.count - fcClx else {
            throw Malformed(description: "the piece table lies outside the \(tableName) stream (truncated?)")
        }
        let clx = Array(table[fcClx..<(fcClx + lcbClx)])
        // Clx: Prc entries (0x01, i16 size, grpprl) before the Pcdt (0x02, u32 size, PlcPcd).
        var i = 0
        while i < clx.count, clx[i] == 0x01 {
            guard i + 3 <= clx.count else { throw Malformed(description: "the piece table is truncated") }
            i += 3 + u16(clx, i + 1)
        }
        guard i + 5 <= clx.count, clx[i] == 0x02 else { throw Malformed(description: "the piece table (Pcdt) is missing") }
        let lcb = u32(clx, i + 1)
        let plc = i + 5
        guard lcb >= 16, lcb <= clx.count - plc, (lcb - 4) % 12 == 0 else { throw Malformed(description: "the piece table is malformed") }
        let count = (lcb - 4) / 12
        var previousEnd = 0
        for k in 0..<count {
            let cpStart = u32(clx, plc + 4 * k)
            let cpEnd = u32(clx, plc + 4 * (k + 1))
            guard cpStart >= previousEnd, cpEnd >= cpStart else { throw Malformed(description: "the piece table's positions are out of order") }
            previousEnd = cpEnd
            // Only the main document text: characters 0 ..< ccpText.
            guard cpStart < ccpText else { break }
            let length = min(cpEnd, ccpText) - cpStart
            let pcd = plc + 4 * (count + 1) + 8 * k
            let fcValue = u32(clx, pcd + 2)
            if fcValue & 0x4000_0000 != 0 {
                let offset = (fcValue & 0x3FFF_FFFF) / 2
                guard offset <= word.count, length <= word.count - offset else {
                    throw Malformed(description: "a text piece lies outside the WordDocument stream (truncated?)")
                }
                runs.append(.eightBit(word[offset..<(offset + length)]))
            } else {
                let offset = fcValue & 0x3FFF_FFFF
                guard offset <= word.count, 2 * length <= word.count - offset else {
                    throw Malformed(description: "a text piece lies outside the WordDocument stream (truncated?)")
                }
                runs.append(.utf16((0..<length).map { UInt16(word[offset + 2 * $0]) | UInt16(word[offset + 2 * $0 + 1]) << 8 }))
            }
        }
    }
}

/// Word's text, with its control characters turned into the lines a reader sees.
enum WordText {
    static func render(_ pieces: WordPieces, clock: ExtractionClock? = nil) -> String {
        var scalars = String.UnicodeScalarView()
        // Field nesting: inside a field's code (between 0x13 and 0x14) nothing is text; its
        // result (between 0x14 and 0x15) is.
        var fields: [Bool] = []  // per open field: true while in its code part
        func emit(_ s: Unicode.Scalar) {
            if fields.last == true {
                switch s.value {
                case 0x13: fields.append(true)
                case 0x14: fields[fields.count - 1] = false
                case 0x15: fields.removeLast()
                default: break
                }
                return
            }
            switch s.value {
            case 0x13: fields.append(true)
            case 0x14: if !fields.isEmpty { fields[fields.count - 1] = false }
            case 0x15: if !fields.isEmpty { fields.removeLast() }
            case 0x0D, 0x0B, 0x0C, 0x07: scalars.append("\n")  // paragraph, line break, page break, cell/row end
            case 0x09: scalars.append("\t")
            case 0x1E: scalars.append("-")                       // non-breaking hyphen
            case 0x00..<0x20: break                              // objects, footnote marks, optional hyphen
            default: scalars.append(s)
            }
        }
        if let legacy = decodeEightBit(pieces.eightBitBytes) {
            for s in legacy.unicodeScalars { if let clock, clock.step() { break }; emit(s) }
            return String(scalars)
        }
        for run in pieces.runs {
            if let clock, clock.step() { break }
            switch run {
            case .eightBit(let bytes): for b in bytes { emit(Windows1252.scalar(b)) }
            case .utf16(let units): for s in Unicode.UTF16.decodeLossy(units) { emit(s) }
            }
        }
        return String(scalars)
    }

    /// The seam for legacy Vietnamese fonts. A Word 97-2003 text typed in a TCVN3 (".VnTime")
    /// or VNI font stores that font's 8-bit codes as if they were Windows-1252, so its text
    /// reads as "Céng hßa x· héi" until the bytes are decoded in the font's encoding.
    ///
    /// `bytes` is the whole main text as 8-bit codes, one per character (given only when every
    /// character has one, see `WordPieces.eightBitBytes`; Word's control codes below 0x20 are
    /// among them and must come back unchanged, as ASCII does in TCVN3 and VNI). Returns the
    /// text those bytes mean when they are in a legacy Vietnamese encoding, else nil (the text
    /// is then read as Windows-1252 and UTF-16, as Word wrote it). Also used for the 8-bit
    /// strings of the document properties.
    ///
    /// The bytes go through the same detector as a plain-text file that is not UTF-8
    /// (`EncodingDetector.guessLegacy`: TCVN3, VNI-Windows, VISCII, VPS, Windows-1258, with a
    /// confidence): text without Vietnamese letters in those encodings stays nil.
    static func decodeEightBit(_ bytes: [UInt8]?) -> String? {
        guard let bytes, bytes.contains(where: { $0 >= 0x80 }),
              let guess = EncodingDetector.guessLegacy(bytes, from: 0).best else { return nil }
        return LegacyDecoder.decode(bytes[...], as: guess.encoding).text
    }
}

extension WordPieces {
    /// The main text as one 8-bit code per character: the 8-bit runs' bytes, and UTF-16
    /// characters mapped back through Windows-1252 (and Latin-1 for the five codes 1252
    /// leaves undefined, which Word stores as U+0081 ...). Nil when some character has no
    /// 8-bit code (real Unicode text) or when there is no non-ASCII byte at all (nothing a
    /// legacy encoding would change).
    var eightBitBytes: [UInt8]? {
        var out: [UInt8] = []
        var nonASCII = false
        for run in runs {
            switch run {
            case .eightBit(let bytes):
                out.append(contentsOf: bytes)
                if !nonASCII, bytes.contains(where: { $0 >= 0x80 }) { nonASCII = true }
            case .utf16(let units):
                for unit in units {
                    guard let b = Windows1252.byte(unit) else { return nil }
                    if b >= 0x80 { nonASCII = true }
                    out.append(b)
                }
            }
        }
        return nonASCII ? out : nil
    }
}

/// Windows-1252, the code page of Word's 8-bit text pieces ([MS-DOC] 2.4.1): Latin-1 except
/// 0x80-0x9F.
enum Windows1252 {
    static let high: [UInt16] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]

    static func scalar(_ b: UInt8) -> Unicode.Scalar {
        (0x80...0x9F).contains(b) ? Unicode.Scalar(high[Int(b) - 0x80])! : Unicode.Scalar(b)
    }

    /// The 8-bit code of a UTF-16 unit, if 1252 (or Latin-1's C1 controls) has one.
    static func byte(_ unit: UInt16) -> UInt8? {
        if unit < 0x100 { return UInt8(unit) }
        if let k = high.firstIndex(of: unit) { return UInt8(0x80 + k) }
        return nil
    }

    static func decode(_ bytes: some Sequence<UInt8>) -> String {
        var s = String.UnicodeScalarView()
        for b in bytes { s.append(scalar(b)) }
        return String(s)
    }
}

extension Unicode.UTF16 {
    /// The scalars of `units`, unpaired surrogates as U+FFFD.
    static func decodeLossy(_ units: [UInt16]) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(units.count)
        var decoder = Unicode.UTF16()
        var iterator = units.makeIterator()
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let s): out.append(s)
            case .emptyInput: break loop
            case .error: out.append("\u{FFFD}")
            }
        }
        return out
    }
}

/// The \005SummaryInformation property set ([MS-OLEPS]): title, subject, author, keywords,
/// comments, last author, dates. Anything malformed is skipped: the metadata is optional.
enum SummaryInformation {
    static let names: [Int: String] = [2: "title", 3: "subject", 4: "author", 5: "keywords", 6: "description",
                                       8: "last-modified-by", 12: "date", 13: "modified"]

    static func read(_ d: [UInt8]) -> [String: String] {
        func u16(_ i: Int) -> Int? { i >= 0 && i + 2 <= d.count ? Int(d[i]) | Int(d[i + 1]) << 8 : nil }
        func u32(_ i: Int) -> Int? { guard let lo = u16(i), let hi = u16(i + 2) else { return nil }; return lo | hi << 16 }
        guard u16(0) == 0xFFFE, let sets = u32(24), sets >= 1, let section = u32(44), let count = u32(section + 4) else { return [:] }
        var codePage = 1252
        var raw: [(String, Int)] = []
        for k in 0..<min(count, 256) {
            guard let id = u32(section + 8 + 8 * k), let offset = u32(section + 12 + 8 * k) else { break }
            if id == 1, let cp = u16(section + offset + 4) { codePage = cp }
            if let name = names[id] { raw.append((name, section + offset)) }
        }
        var out: [String: String] = [:]
        for (name, at) in raw {
            guard let type = u32(at) else { continue }
            var value: String?
            switch type {
            case 0x1E:  // VT_LPSTR: byte count (with the NUL), bytes in the set's code page
                guard let n = u32(at + 4), n <= 1 << 16, at + 8 + n <= d.count else { continue }
                var bytes = Array(d[(at + 8)..<(at + 8 + n)])
                while bytes.last == 0 { bytes.removeLast() }
                value = decode(bytes, codePage: codePage)
            case 0x1F:  // VT_LPWSTR: character count (with the NUL), UTF-16LE
                guard let n = u32(at + 4), n <= 1 << 15, at + 8 + 2 * n <= d.count else { continue }
                var units = (0..<n).map { UInt16(d[at + 8 + 2 * $0]) | UInt16(d[at + 9 + 2 * $0]) << 8 }
                while units.last == 0 { units.removeLast() }
                value = String(decoding: units, as: UTF16.self)
            case 0x40:  // VT_FILETIME: 100 ns since 1601-01-01 UTC
                guard let lo = u32(at + 4), let hi = u32(at + 8) else { continue }
                value = isoDate(fileTime: UInt64(hi) << 32 | UInt64(lo))
            default:
                continue
            }
            if let v = value.map({ TextCleanup.collapseWhitespace($0) }), !v.isEmpty { out[name] = v }
        }
        return out
    }

    /// A property string in the set's code page: UTF-8 (65001), UTF-16 (1200) and
    /// Windows-1252; other code pages as 8-bit text through the legacy seam, else 1252.
    static func decode(_ bytes: [UInt8], codePage: Int) -> String {
        switch codePage {
        case 65001: return String(decoding: bytes, as: UTF8.self)
        case 1200:
            let units = stride(from: 0, to: bytes.count - 1, by: 2).map { UInt16(bytes[$0]) | UInt16(bytes[$0 + 1]) << 8 }
            return String(decoding: units, as: UTF16.self)
        default:
            if bytes.allSatisfy({ $0 < 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
            return WordText.decodeEightBit(bytes) ?? Windows1252.decode(bytes)
        }
    }

    /// "2009-03-05T08:30:00Z" for a FILETIME; nil for 0 or dates outside 1900-2200.
    static func isoDate(fileTime: UInt64) -> String? {
        let seconds = Int64(fileTime / 10_000_000) - 11_644_473_600
        guard fileTime > 0, seconds > -2_208_988_800, seconds < 7_258_118_400 else { return nil }
        // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
        let days = Int64((Double(seconds) / 86400).rounded(.down))
        let secs = seconds - days * 86400
        let z = days + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(y)-\(two(m))-\(two(d))T\(two(secs / 3600)):\(two(secs / 60 % 60)):\(two(secs % 60))Z"
    }
}
