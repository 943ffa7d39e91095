import Foundation
// Which format a source is: from its leading bytes, its file extension and an optional
// media-type hint (e.g. an HTTP Content-Type).
//
// Rules, in order:
// 1. An explicit media-type hint that names a known format chooses it, unless the content
//    contradicts it: a hint of a text format on a PDF/zip/OLE file, or a PDF/DOCX/ODT/DOC/RTF
//    hint on content without that signature, is an error. Unknown hints
//    (application/octet-stream) are ignored.
// 2. A ".pdf", ".docx", ".odt" or ".rtf" extension requires the matching signature (error
//    otherwise).
// 3. Otherwise the content's signature wins (%PDF- -> PDF; PK\3\4 -> ODT when its first
//    entry says so, else DOCX; D0 CF 11 E0 -> Word 97-2003, whose reader tells a .doc from
//    the other OLE files; {\rtf -> RTF), then the extension (.md/.markdown, .html/.htm/.xhtml),
//    then content that starts like an HTML document, and everything else is plain text (which
//    must then be valid UTF-8, or be in an encoding that detection recognises).

/// The source formats the extractor understands.
package enum DocumentFormat: String, Sendable, CaseIterable {
    case plainText
    case markdown
    case html
    case docx
    case pdf
    case rtf
    case odt
    case doc

    /// The media type reported for documents of this format.
    public var mediaType: String {
        switch self {
        case .plainText: return "text/plain; charset=utf-8"
        case .markdown: return "text/markdown; charset=utf-8"
        case .html: return "text/html; charset=utf-8"
        case .docx: return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        case .pdf: return "application/pdf"
        case .rtf: return "application/rtf"
        case .odt: return "application/vnd.oasis.opendocument.text"
        case .doc: return "application/msword"
        }
    }

    /// Decides the format of `bytes` (see the rules at the top of this file).
    /// The usual file name extension of the format.
    public var fileExtension: String {
        switch self {
        case .plainText: return "txt"
        case .markdown: return "md"
        case .html: return "html"
        case .docx: return "docx"
        case .pdf: return "pdf"
        case .rtf: return "rtf"
        case .odt: return "odt"
        case .doc: return "doc"
        }
    }

    /// The format whose media type is `mediaType` (parameters ignored), if any.
    public init?(mediaType: String) {
        let type = mediaType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        guard let format = DocumentFormat.allCases.first(where: { $0.mediaType.hasPrefix(type + ";") || $0.mediaType == type }),
              !type.isEmpty else { return nil }
        self = format
    }

    public static func detect(_ bytes: [UInt8], fileName: String?, mediaType: String?) throws(ExtractionError) -> DocumentFormat {
        let signature = Signature.sniff(bytes)

        if let hint = MediaTypeHint(mediaType), let hinted = hint.format {
            switch hinted {
            case .pdf:
                guard signature == .pdf else {
                    throw ExtractionError(.unsupportedFormat, "declared as application/pdf but the content is not a PDF (no %PDF- header)")
                }
            case .docx:
                if signature == .ole { throw ExtractionError(.unsupportedFormat, Signature.oleAsDocxMessage) }
                guard signature == .zip || signature == .openDocument else { throw ExtractionError(.corrupt, "not a valid DOCX: not a zip archive") }
                // An ODT declared as DOCX is an ODT: its own mimetype entry says exactly what it is.
                if signature == .openDocument { return .odt }
            case .odt:
                guard signature == .zip || signature == .openDocument else { throw ExtractionError(.corrupt, "not a valid ODT: not a zip archive") }
            case .doc:
                guard signature == .ole else {
                    throw ExtractionError(.unsupportedFormat, "declared as application/msword but the content is not a Word 97-2003 file (no OLE signature D0 CF 11 E0)")
                }
            case .rtf:
                guard signature == .rtf else { throw ExtractionError(.corrupt, "declared as \(hint.type) but the content is not RTF (no {\\rtf header)") }
            case .plainText, .markdown, .html:
                if let binary = signature.binaryDescription {
                    throw ExtractionError(.unsupportedFormat, "declared as \(hint.type) but the content is \(binary)")
                }
            }
            return hinted
        }

        let ext = fileExtension(fileName)
        switch ext {
        case "pdf":
            guard signature == .pdf else { throw ExtractionError(.corrupt, "not a valid PDF: the %PDF- header is missing") }
            return .pdf
        case "docx", "docm", "dotx":
            if signature == .ole { throw ExtractionError(.unsupportedFormat, Signature.oleAsDocxMessage) }
            guard signature == .zip || signature == .openDocument else { throw ExtractionError(.corrupt, "not a valid DOCX: not a zip archive") }
            return signature == .openDocument ? .odt : .docx
        case "odt", "ott":
            if signature == .ole { throw ExtractionError(.unsupportedFormat, "not a valid ODT: the content is a binary Office file (OLE container)") }
            guard signature == .zip || signature == .openDocument else { throw ExtractionError(.corrupt, "not a valid ODT: not a zip archive") }
            return .odt
        case "rtf":
            guard signature == .rtf else { throw ExtractionError(.corrupt, "not a valid RTF: the {\\rtf header is missing") }
            return .rtf
        default:
            break
        }
        switch signature {
        case .rtf: return .rtf
        case .pdf: return .pdf
        case .zip: return .docx
        case .openDocument: return .odt
        case .ole: return .doc
        case .html, .other:
            break
        }
        switch ext {
        case "md", "markdown", "mdown", "mkd": return .markdown
        case "html", "htm", "xhtml": return .html
        default: return signature == .html ? .html : .plainText
        }
    }

    /// The lower-cased extension of the last path component, or nil when there is none.
    static func fileExtension(_ fileName: String?) -> String? {
        guard let fileName, !fileName.isEmpty else { return nil }
        let last = fileName.split(separator: "/", omittingEmptySubsequences: true).last.map(String.init) ?? fileName
        guard let dot = last.lastIndex(of: "."), dot != last.startIndex else { return nil }
        let ext = last[last.index(after: dot)...]
        return ext.isEmpty ? nil : ext.lowercased()
    }
}

/// What the first bytes of a file say about it.
enum Signature: Equatable {
    case pdf, zip, ole, rtf, html, other
    /// A zip whose first entry is OpenDocument's uncompressed "mimetype".
    case openDocument

    static let oleAsDocxMessage =
        "not a valid DOCX: an OLE container (a password-protected Office file or a Word 97-2003 .doc)"

    /// For binary signatures, how to name them in an error.
    var binaryDescription: String? {
        switch self {
        case .pdf: return "a PDF document"
        case .zip, .openDocument: return "a zip archive"
        case .ole: return "a binary Office file (OLE container)"
        case .rtf, .html, .other: return nil
        }
    }

    static func sniff(_ bytes: [UInt8]) -> Signature {
        var start = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        if bytes[start...].starts(with: Array("%PDF-".utf8)) { return .pdf }
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            return ZipDirectory.openDocumentMediaType(bytes) != nil ? .openDocument : .zip
        }
        // An empty zip archive (end-of-central-directory record only).
        if bytes.starts(with: [0x50, 0x4B, 0x05, 0x06]) { return .zip }
        if bytes.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) { return .ole }
        if bytes[start...].starts(with: Array("{\\rtf".utf8)) { return .rtf }
        if looksLikeHTML(bytes, from: start) { return .html }
        return .other
    }

    /// True when, after an optional BOM and whitespace, the content starts with
    /// `<!doctype html` or `<html` (ASCII case-insensitive).
    static func looksLikeHTML(_ bytes: [UInt8], from start: Int) -> Bool {
        var i = start
        let end = min(bytes.count, start + 4096)
        while i < end, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x0C {
            i += 1
        }
        func hasPrefix(_ word: String) -> Bool {
            let w = Array(word.utf8)
            guard bytes.count - i >= w.count else { return false }
            for k in 0..<w.count where asciiLower(bytes[i + k]) != w[k] { return false }
            return true
        }
        func boundary(after length: Int) -> Bool {
            let j = i + length
            guard j < bytes.count else { return true }
            let b = bytes[j]
            return b == 0x3E || b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x0C || b == 0x2F
        }
        if hasPrefix("<!doctype html") { return boundary(after: 14) }
        if hasPrefix("<html") { return boundary(after: 5) }
        return false
    }
}

@inline(__always) func asciiLower(_ b: UInt8) -> UInt8 {
    (b >= 0x41 && b <= 0x5A) ? b | 0x20 : b
}

/// A parsed media-type hint such as "text/html; charset=windows-1252".
struct MediaTypeHint {
    var type: String
    var charset: String?
    /// "ocr=off" (or no, false, 0): the source is not to be read by OCR; nil when not said.
    var ocr: Bool?

    init?(_ raw: String?) {
        guard let raw else { return nil }
        let parts = raw.split(separator: ";", omittingEmptySubsequences: false)
        let type = parts.first.map { $0.trimmingASCIIWhitespace().lowercased() } ?? ""
        guard !type.isEmpty else { return nil }
        self.type = type
        for param in parts.dropFirst() {
            let kv = param.split(separator: "=", maxSplits: 1)
            guard kv.count == 2 else { continue }
            let name = kv[0].trimmingASCIIWhitespace().lowercased()
            var value = kv[1].trimmingASCIIWhitespace()
            if value.count >= 2, value.first == "\"", value.last == "\"" {
                value = String(value.dropFirst().dropLast())
            }
            switch name {
            case "charset": if !value.isEmpty { charset = value.lowercased() }
            case "ocr": ocr = !["off", "no", "false", "0"].contains(value.lowercased())
            default: break
            }
        }
    }

    /// The format the hint names, or nil for types we do not know (e.g. octet-stream).
    var format: DocumentFormat? {
        switch type {
        case "text/plain": return .plainText
        case "text/markdown", "text/x-markdown": return .markdown
        case "text/html", "application/xhtml+xml": return .html
        case "application/pdf", "application/x-pdf": return .pdf
        case "application/vnd.openxmlformats-officedocument.wordprocessingml.document": return .docx
        case "application/rtf", "text/rtf", "application/x-rtf": return .rtf
        case "application/vnd.oasis.opendocument.text": return .odt
        case "application/msword": return .doc
        default: return nil
        }
    }
}

extension StringProtocol {
    func trimmingASCIIWhitespace() -> String {
        let scalars = unicodeScalars
        var start = scalars.startIndex
        var end = scalars.endIndex
        func isSpace(_ s: Unicode.Scalar) -> Bool { s == " " || s == "\t" || s == "\n" || s == "\r" || s == "\u{0C}" }
        while start < end, isSpace(scalars[start]) { start = scalars.index(after: start) }
        while end > start, isSpace(scalars[scalars.index(before: end)]) { end = scalars.index(before: end) }
        return String(String.UnicodeScalarView(scalars[start..<end]))
    }
}
