// Public surface of the Extraction module: bytes of one source file in, plain text and
// metadata out. Knows nothing of the archive, the index or the network.
//
// One job per file: FormatDetection.swift decides the format, PlainText.swift decodes and
// checks text, Markdown.swift / HTML.swift / DOCX.swift / PDF.swift extract each format,
// LibXML.swift holds the libxml2 plumbing shared by HTML and DOCX.

/// What extraction produced for one source document.
public struct ExtractedDocument: Sendable, Equatable {
    /// The document's text, as a reader would see it: markup removed, paragraphs kept as lines.
    public var text: String
    /// A title found in the source itself (HTML <title>, DOCX core title, first heading), if any.
    public var title: String?
    /// The media type the bytes were recognised as (e.g. "text/plain; charset=utf-8").
    public var mediaType: String
    /// Further metadata found in the source (e.g. "author"), keyed by lower-case name.
    public var metadata: [String: String]

    public init(text: String, title: String? = nil, mediaType: String, metadata: [String: String] = [:]) {
        self.text = text
        self.title = title
        self.mediaType = mediaType
        self.metadata = metadata
    }
}

/// Why a source could not be extracted. `description` is a sentence for a person.
public struct ExtractionError: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}

/// Bounds on the work one extraction may do.
public struct ExtractionLimits: Sendable, Equatable {
    /// Most bytes a DOCX may expand to, summed over the zip entries actually read
    /// (word/document.xml, docProps/core.xml). Beyond it the DOCX is rejected as a zip bomb.
    public var maxDocxUncompressedBytes: Int
    /// Longest time `pdftotext` may run before it is killed and the PDF rejected.
    public var pdfTimeoutSeconds: Double

    public init(maxDocxUncompressedBytes: Int = 200 * 1024 * 1024, pdfTimeoutSeconds: Double = 60) {
        self.maxDocxUncompressedBytes = maxDocxUncompressedBytes
        self.pdfTimeoutSeconds = pdfTimeoutSeconds
    }

    public static let `default` = ExtractionLimits()
}

/// Turns source bytes into an `ExtractedDocument`. Stateless and safe to use from many
/// threads at once.
public struct Extractor: Sendable {
    public var limits: ExtractionLimits

    public init() { self.limits = .default }

    public init(limits: ExtractionLimits) { self.limits = limits }

    /// Extracts text from `bytes`. `fileName` (its extension) and `mediaType` are hints; the
    /// content decides when they disagree with it (see `DocumentFormat.detect`).
    public func extract(_ bytes: [UInt8], fileName: String?, mediaType: String? = nil) throws(ExtractionError) -> ExtractedDocument {
        let format = try DocumentFormat.detect(bytes, fileName: fileName, mediaType: mediaType)
        switch format {
        case .plainText:
            let text = try PlainText.decode(bytes)
            return ExtractedDocument(text: text, mediaType: format.mediaType)
        case .markdown:
            let source = try PlainText.decode(bytes)
            let result = Markdown.extract(source)
            guard TextCleanup.hasVisibleText(result.text) else {
                throw ExtractionError("no text: the Markdown contains only markup")
            }
            return ExtractedDocument(text: result.text, title: result.title, mediaType: format.mediaType,
                                     metadata: result.metadata)
        case .html:
            return try HTMLExtractor.extract(bytes, charsetHint: MediaTypeHint(mediaType)?.charset)
        case .docx:
            return try DOCXExtractor.extract(bytes, maxUncompressedBytes: limits.maxDocxUncompressedBytes)
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
