// Public surface of the Extraction module: bytes of one source file in, plain text and
// metadata out. Knows nothing of the archive, the index or the network.
//
// One job per file: FormatDetection.swift decides the format, PlainText.swift decodes and
// checks text, Markdown.swift / HTML.swift / DOCX.swift / PDF.swift extract each format,
// LibXML.swift holds the libxml2 plumbing shared by HTML and DOCX.

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

    public init(text: String, title: String? = nil, mediaType: String, properties: [String: String] = [:]) {
        self.text = text
        self.title = title
        self.mediaType = mediaType
        self.properties = properties
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
    /// Most bytes a DOCX may expand to, summed over the zip entries actually read
    /// (word/document.xml, docProps/core.xml). Beyond it the DOCX is rejected as a zip bomb.
    public var maxDocxUncompressedBytes: Int
    /// Longest time `pdftotext` may run before it is killed and the PDF rejected.
    public var pdfTimeoutSeconds: Double
    /// Longest time the text of one Markdown, HTML or DOCX document may take (see
    /// `ExtractionClock`); beyond it the document is refused.
    public var timeBudgetSeconds: Double

    public init(maxDocxUncompressedBytes: Int = 200 * 1024 * 1024, pdfTimeoutSeconds: Double = 60,
                timeBudgetSeconds: Double = 30) {
        self.maxDocxUncompressedBytes = maxDocxUncompressedBytes
        self.pdfTimeoutSeconds = pdfTimeoutSeconds
        self.timeBudgetSeconds = timeBudgetSeconds
    }

    public static let `default` = ExtractionLimits()
}

/// Turns source bytes into an `ExtractedDocument`. Stateless and safe to use from many
/// threads at once.
package struct Extractor: Sendable {
    public var limits: ExtractionLimits

    public init() { self.limits = .default }

    public init(limits: ExtractionLimits) { self.limits = limits }

    /// Extracts text from `bytes`. `fileName` (its extension) and `mediaType` are hints; the
    /// content decides when they disagree with it (see `DocumentFormat.detect`).
    public func extract(_ bytes: [UInt8], fileName: String?, mediaType: String? = nil) throws(ExtractionError) -> ExtractedDocument {
        let format = try DocumentFormat.detect(bytes, fileName: fileName, mediaType: mediaType)
        let clock = ExtractionClock(seconds: limits.timeBudgetSeconds)
        switch format {
        case .plainText:
            let text = try PlainText.decode(bytes)
            return ExtractedDocument(text: text, mediaType: format.mediaType)
        case .markdown:
            let source = try PlainText.decode(bytes)
            let result = Markdown.extract(source, clock: clock)
            try clock.check("Markdown file")
            guard TextCleanup.hasVisibleText(result.text) else {
                throw ExtractionError(.empty, "no text: the Markdown contains only markup")
            }
            return ExtractedDocument(text: result.text, title: result.title, mediaType: format.mediaType,
                                     properties: result.metadata)
        case .html:
            return try HTMLExtractor.extract(bytes, charsetHint: MediaTypeHint(mediaType)?.charset, clock: clock)
        case .docx:
            return try DOCXExtractor.extract(bytes, maxUncompressedBytes: limits.maxDocxUncompressedBytes, clock: clock)
        case .pdf:
            return try PDFExtractor.extract(bytes, timeoutSeconds: limits.pdfTimeoutSeconds)
        }
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
