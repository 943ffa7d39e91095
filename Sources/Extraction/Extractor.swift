// Public surface of the Extraction module: bytes of one source file in, plain text and
// metadata out. Knows nothing of the archive, the index or the network.
//
// One job per file: FormatDetection.swift decides the format, PlainText.swift decodes and
// checks UTF-8 text, Encodings/ the other encodings (UTF-16, TCVN3, VNI, VISCII, VPS,
// Windows-1258, VIQR) and their detection, Markdown.swift / HTML.swift / DOCX.swift /
// ODT.swift / DOC.swift / PDF.swift / RTF/ extract each format (OCR.swift reads the PDF pages
// that have no text), LibXML.swift holds the libxml2 plumbing shared by HTML, DOCX and ODT,
// ZipPackage.swift the zip reading shared by DOCX and ODT, CompoundFile.swift the OLE2
// container of .doc.

import DocumentModel
import Foundation

/// What extraction produced for one source document.
package struct ExtractedDocument: Sendable, Equatable {
    /// The document's text, as a reader would see it: markup removed, paragraphs kept as lines.
    public var text: String
    /// A title found in the source itself (HTML <title>, DOCX core title, first heading), if any.
    public var title: String?
    /// The media type the bytes were recognised as (e.g. "text/plain; charset=utf-8").
    public var mediaType: String
    /// Further properties found in the source (e.g. "author"), keyed by lower-case name.
    public var properties: [String: String]
    /// How the text was converted, when the source was not UTF-8.
    public var conversion: TextConversion?
    /// The `.derived` metadata fields that say how the text was extracted (`encoding`,
    /// `case_may_be_lost` from `conversion`; `ocr`, `ocr_confidence`, `ocr_pages`); the index
    /// stores them, the manifest never.
    public var derived: DocumentMetadata
    /// Lines of `text` (1-based) that are page furniture by the source's markup: an HTML
    /// page's <nav>, <aside>, menus, site <header>/<footer>, lists of links. The text keeps
    /// them (it is what the page shows); the news cleaner leaves them out of the article.
    public var furnitureLines: [Int] = []

    public init(text: String, title: String? = nil, mediaType: String, properties: [String: String] = [:],
                conversion: TextConversion? = nil, derived: DocumentMetadata = DocumentMetadata()) {
        self.text = text
        self.title = title
        self.mediaType = mediaType
        self.properties = properties
        self.conversion = conversion
        self.derived = derived
        if let conversion {
            self.derived.encoding = conversion.encoding.rawValue
            self.derived.caseMayBeLost = conversion.caseMayBeLost ? "true" : nil
        }
    }
}

/// Why a source could not be extracted: a kind that callers decide on (the HTTP status of an
/// upload, say) and a sentence for a person. Callers never look inside `reason`.
package struct ExtractionError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        /// Nothing to index: an empty file, only whitespace or markup, a PDF without text.
        case empty
        /// A format VanBan does not read, or content that contradicts its declared type.
        case unsupportedFormat
        /// Text that is not valid in its encoding.
        case invalidText
        /// A file of a known format that is damaged or malformed.
        case corrupt
        /// Beyond a size bound (a zip bomb, a part over 2 GB).
        case tooLarge
        /// A program extraction needs is not installed.
        case toolMissing
        /// Extraction itself failed (no temporary directory, a time bound).
        case failed
    }
    public var kind: Kind
    public var reason: String
    public init(_ kind: Kind, _ reason: String) { self.kind = kind; self.reason = reason }
    public var description: String { reason }
}

/// Bounds on the work one extraction may do.
package struct ExtractionLimits: Sendable, Equatable {
    /// Most bytes a DOCX or ODT may expand to, summed over the zip entries actually read
    /// (word/document.xml, docProps/core.xml, word/styles.xml; content.xml, meta.xml). Beyond
    /// it the document is rejected as a zip bomb.
    public var maxZipUncompressedBytes: Int
    /// Longest time `pdftotext` may run before it is killed and the PDF rejected.
    public var pdfTimeoutSeconds: Double
    /// Longest time the text of one Markdown, HTML or DOCX document may take (see
    /// `ExtractionClock`); beyond it the document is refused.
    public var timeBudgetSeconds: Double
    /// OCR of the PDF pages without text: on or off, and its bounds.
    public var ocr: OCRLimits

    public init(maxZipUncompressedBytes: Int = 200 * 1024 * 1024, pdfTimeoutSeconds: Double = 60,
                timeBudgetSeconds: Double = 30, ocr: OCRLimits = OCRLimits()) {
        self.maxZipUncompressedBytes = maxZipUncompressedBytes
        self.pdfTimeoutSeconds = pdfTimeoutSeconds
        self.timeBudgetSeconds = timeBudgetSeconds
        self.ocr = ocr
    }

    public static let `default` = ExtractionLimits()
}

/// Turns source bytes into an `ExtractedDocument`. Stateless and safe to use from many
/// threads at once.
package struct Extractor: Sendable {
    public var limits: ExtractionLimits
    /// The encoding of text documents (plain text, Markdown, HTML, RTF's \'xx bytes), as the
    /// user forced it (`--encoding`); it wins over a charset parameter and over detection.
    public var encoding: TextEncoding?

    public init() { self.limits = .default }

    public init(limits: ExtractionLimits) { self.limits = limits }

    public init(encoding: TextEncoding?) { self.limits = .default; self.encoding = encoding }

    /// Extracts text from `bytes`. `fileName` (its extension) and `mediaType` are hints; the
    /// content decides when they disagree with it (see `DocumentFormat.detect`). A charset
    /// parameter of `mediaType` is the text's declared encoding; the media type reported for
    /// a converted text carries the encoding used, so extracting again from the archived
    /// bytes and the recorded media type gives the same text. A media type with "ocr=off"
    /// keeps OCR off for this source. `cache` keeps the OCR of these bytes.
    public func extract(_ bytes: [UInt8], fileName: String?, mediaType: String? = nil,
                        cache: DerivedTextCache? = nil) throws(ExtractionError) -> ExtractedDocument {
        let format = try DocumentFormat.detect(bytes, fileName: fileName, mediaType: mediaType)
        let clock = ExtractionClock(seconds: limits.timeBudgetSeconds)
        let charset = MediaTypeHint(mediaType)?.charset
        let declared = encoding ?? TextDecoding.encoding(forCharset: charset)
        func converted(_ base: String, _ conversion: TextConversion?) -> String {
            guard let conversion else { return base }
            return (base.split(separator: ";").first.map(String.init) ?? base) + "; charset=\(conversion.encoding.rawValue)"
        }
        switch format {
        case .plainText:
            let decoded = try TextDecoding.decode(bytes, declared: declared)
            return ExtractedDocument(text: decoded.text, mediaType: converted(format.mediaType, decoded.conversion),
                                     properties: Self.conversionProperties(decoded.conversion), conversion: decoded.conversion)
        case .markdown:
            let decoded = try TextDecoding.decode(bytes, declared: declared)
            let result = Markdown.extract(decoded.text, clock: clock)
            try clock.check("Markdown file")
            guard TextCleanup.hasVisibleText(result.text) else {
                throw ExtractionError(.empty, "no text: the Markdown contains only markup")
            }
            var properties = result.metadata
            properties.merge(Self.conversionProperties(decoded.conversion)) { a, _ in a }
            return ExtractedDocument(text: result.text, title: result.title, mediaType: converted(format.mediaType, decoded.conversion),
                                     properties: properties, conversion: decoded.conversion)
        case .html:
            return try HTMLExtractor.extract(bytes, charsetHint: encoding?.rawValue ?? charset, clock: clock)
        case .rtf:
            return try RTFExtractor.extract(bytes, forced: encoding ?? TextDecoding.encoding(forCharset: charset), clock: clock)
        case .docx:
            return try DOCXExtractor.extract(bytes, maxUncompressedBytes: limits.maxZipUncompressedBytes, clock: clock)
        case .odt:
            return try ODTExtractor.extract(bytes, maxUncompressedBytes: limits.maxZipUncompressedBytes, clock: clock)
        case .doc:
            return try DOCExtractor.extract(bytes, clock: clock)
        case .pdf:
            return try PDFExtractor.extract(bytes, timeoutSeconds: limits.pdfTimeoutSeconds, ocr: limits.ocr,
                                            ocrAllowed: MediaTypeHint(mediaType)?.ocr != false, cache: cache)
        }
    }

    /// What the manifest keeps of a detected conversion: the detector's confidence (the
    /// encoding itself is in the media type, and derived metadata says it).
    static func conversionProperties(_ conversion: TextConversion?) -> [String: String] {
        guard let conversion, let confidence = conversion.confidence else { return [:] }
        return ["encoding_confidence": String(format: "%.2f", confidence)]
    }

    /// The format `extract` would use for these inputs, or the error it would report when the
    /// content contradicts the hints.
    public static func detectFormat(_ bytes: [UInt8], fileName: String?, mediaType: String? = nil) throws(ExtractionError) -> DocumentFormat {
        try DocumentFormat.detect(bytes, fileName: fileName, mediaType: mediaType)
    }

    /// The media type `extract` would report for these inputs (e.g. "application/pdf").
    public static func detectMediaType(_ bytes: [UInt8], fileName: String?, mediaType: String? = nil) throws(ExtractionError) -> String {
        try DocumentFormat.detect(bytes, fileName: fileName, mediaType: mediaType).mediaType
    }
}
