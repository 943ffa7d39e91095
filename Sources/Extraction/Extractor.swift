// Public surface of the Extraction module: bytes of one source file in, plain text and
// metadata out. Knows nothing of the archive, the index or the network.

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

/// Turns source bytes into an `ExtractedDocument`.
public struct Extractor: Sendable {
    public init() {}

    /// Extracts text from `bytes`. `fileName` (its extension) and `mediaType` are hints; the
    /// content decides when they disagree with it.
    public func extract(_ bytes: [UInt8], fileName: String?, mediaType: String? = nil) throws(ExtractionError) -> ExtractedDocument {
        // Interim: plain UTF-8 text only. The Extraction issue work replaces this.
        guard !bytes.isEmpty else { throw ExtractionError("the file is empty") }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ExtractionError("not valid UTF-8")
        }
        return ExtractedDocument(text: text, mediaType: "text/plain; charset=utf-8")
    }
}
