// How a query was read, for the person who typed it: the search JSON, the page and
// `vanban analyze --query` show it, so nobody has to guess why a document was found.

public struct QueryReading: Sendable, Equatable {
    /// The query with accents restored on the words typed without them ("cat giam thu tuc" ->
    /// "cắt giảm thủ tục"); nil when nothing was restored.
    public var restored: String?
    /// The runs of words read as one word or term, matched as phrases for ranking
    /// ("cắt giảm", "thủ tục hành chính").
    public var phrases: [String] = []
    /// Synonyms and abbreviations used, "bhxh → bảo hiểm xã hội".
    public var synonyms: [String] = []
    /// The search fell back to documents matching most, not all, of the words.
    public var softMatch = false
    /// The words a document could lack in that fallback (each word of several syllables whole).
    public var optionalWords: [String] = []
    /// The question words ending the query ("bao nhiêu"), matched when present, not required.
    public var questionWords: String?
    /// The function words standing alone ("của", "từng", "ở"), as read: matched when present,
    /// not required.
    public var functionWords: [String] = []
    /// The words framing the subject ("phòng chống", "quy định"; see `FrameWords`), as read:
    /// matched when present, not required.
    public var frameWords: [String] = []
    /// The reading was asked to be strict (`--strict`): every word must match.
    public var strict = false

    public init() {}
}
