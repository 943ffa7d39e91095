import Archive
import DocumentModel
import Extraction
import Foundation
import SearchIndex
import VietText

// Official-text understanding in the facade: what the index stores of a document's
// `OfficialText` (derived fields, citations, article outline), and what `show`, the document
// API and the page report (attributes, structure, relations both ways, validity status).
// Everything here is derived from the archived text when a document is indexed or shown;
// nothing of it is written to the manifest.

extension DocumentMetadata {
    /// Fills the derived fields from what was read in the text. The importer's fields are
    /// never overwritten (they are other fields: `date` beside `issued`, `kind` beside `type`),
    /// and a title is derived only for a document the importer gave none.
    mutating func apply(_ official: OfficialText) {
        type = official.type
        number = official.number?.text
        issued = official.issued
        effective = official.effective
        place = official.place
        issuer = official.issuers.isEmpty ? nil : official.issuers.joined(separator: "; ")
        subject = official.subject
        signers = official.signers.isEmpty ? nil : official.signers.map(\.name).joined(separator: "; ")
        if title == nil { title = official.derivedTitle }
    }
}

extension DocumentMetadata {
    /// Fills the derived fields that say how the text was extracted (`ocr`, ...).
    mutating func apply(extraction derived: DocumentMetadata) {
        for field in DocumentMetadata.fields where field.origin == .derived {
            if let value = derived[field] { self[field] = value }
        }
    }
}

extension IndexDocument {
    /// The index's view of one archive record and its extracted text; `extraction` holds the
    /// derived fields the extractor gave (`ExtractedDocument.derived`). The body is the text
    /// without its page chrome when it is news (see `ArticleText.forIndex`), with, for news, a
    /// near-duplicate signature of that body (`RepostSignature`).
    init(_ record: ManifestRecord, text: String, extraction: DocumentMetadata = DocumentMetadata(), furnitureLines: [Int] = []) {
        let official = OfficialText.read(text)
        var metadata = record.metadata
        metadata.apply(official)
        metadata.apply(extraction: extraction)
        let article = ArticleText.forIndex(text, official: official, kind: record.metadata.kind, furnitureLines: furnitureLines)
        metadata.apply(article)
        let citations = official.citations.map {
            IndexCitation(relation: $0.relation.rawValue, number: $0.number, scope: $0.scope, sentence: $0.sentence)
        }
        // Article offsets are into the text: kept only when the body is the text.
        let articles = article.dropped.isEmpty
            ? official.outline.filter { $0.level == .article }.map { Outline.Article(start: $0.start, end: $0.end, title: $0.title) } : []
        self.init(id: record.id, seq: record.seq, hash: record.hash, body: article.body, mediaType: record.mediaType,
                  size: record.size, importedAt: record.importedAt, metadata: metadata,
                  citations: citations, outline: Outline(articles: articles),
                  // Reposts are news: two official texts with near-identical bodies (a text and its
                  // consolidation, the same rule for two kinds of school) are different documents.
                  // The writer signs the body as it indexes it (one tokenizing pass for both).
                  signsReposts: ArticleText.isNewsLike(official: official, kind: record.metadata.kind)
                      && !IndexDocument.repostsOffForBenchmark)
        // A news page's template lines are counted against the site the importer took it from.
        if ArticleText.isNewsLike(official: official, kind: record.metadata.kind), articles.isEmpty,
           let site = IndexDocument.templateSource(of: record.metadata) {
            lineSource = site
            edgeLines = article.edgeLines
        }
        // Here, where documents are made on all cores, rather than in the write transaction.
        compressText()
    }

    /// The site whose pages share a template: the importer's source, else the URL's host;
    /// folded. (Not the "Nguồn: ..." origin: reposts of one origin come from many sites.)
    static func templateSource(of metadata: DocumentMetadata) -> String? {
        if let source = metadata.source?.trimmingCharacters(in: .whitespaces), !source.isEmpty { return VietText.fold(source) }
        if let url = metadata.url, let host = URL(string: url)?.host, !host.isEmpty { return host.lowercased() }
        return nil
    }
}

/// One relation between two texts, seen from one of them.
public struct DocumentRelation: Sendable, Equatable {
    /// "bases", "amends", ... for outgoing edges; "cited_by", "amended_by", ... for incoming.
    public var relation: String
    /// The other text's number as the citing sentence writes it.
    public var number: String
    /// The part concerned ("khoản 2 Điều 8").
    public var scope: String?
    /// The sentence the relation was read from.
    public var sentence: String
    /// The archived document on the other end, when there is one: (id, title).
    public var documentID: String?
    public var documentTitle: String?
    /// The other end's effective (else issue) date, for incoming edges.
    public var date: String?
}

/// Everything `show` and the document API say about one document.
public struct DocumentView: Sendable {
    public var record: ManifestRecord
    public var text: String
    public var versions: Int
    /// The importer's metadata with the derived fields filled in.
    public var metadata: DocumentMetadata
    public var official: OfficialText
    /// What the index leaves out of the text as page chrome (nothing for an official text).
    public var chrome: ChromeSummary
    /// Edges from this text (what it cites) and to it (what cites it), resolved against the
    /// archive's documents; empty when the index cannot be read.
    public var outgoing: [DocumentRelation] = []
    public var incoming: [DocumentRelation] = []
    /// Tình trạng hiệu lực, for an official text, with the incoming edges that decide it.
    public var status: ValidityStatus?
    public var statusEvidence: [DocumentRelation] = []
    /// Whether the name asked for matched the id, a key or an id prefix.
    public var matched: DocumentMatch?
}

public typealias ValidityStatus = DocumentModel.ValidityStatus
public typealias OfficialText = Extraction.OfficialText

extension Library {
    /// The document `idOrKey` with its attributes, structure and relations.
    public func documentView(idOrKey: String) throws -> DocumentView {
        let (record, matched) = try resolveMatch(idOrKey)
        let extracted = try extraction(of: record)
        let text = extracted.text
        let official = OfficialText.read(text)
        var metadata = record.metadata
        metadata.apply(official)
        metadata.apply(extraction: extracted.derived)
        var article = ArticleText.forIndex(text, official: official, kind: record.metadata.kind,
                                           furnitureLines: extracted.furnitureLines)
        metadata.apply(article)
        // The lines its source repeats on many pages, as the index counts them (none when the
        // index cannot be read).
        if ArticleText.isNewsLike(official: official, kind: record.metadata.kind), !article.edgeLines.isEmpty,
           let site = IndexDocument.templateSource(of: record.metadata),
           let repeated = try? readers.withReader({ try $0.sourceRepeatedLines(source: site, among: article.edgeLines) }) {
            article.leaveOut(sourceRepeated: repeated, text: text)
        }
        var view = DocumentView(record: record, text: text, versions: try versionCount(of: record.id),
                                metadata: metadata, official: official,
                                chrome: ChromeSummary(article, cleaned: ArticleText.isNewsLike(official: official, kind: record.metadata.kind)))
        view.matched = matched
        // Relations and status live in the index; a document whose index is not readable is
        // still shown, without them.
        if let graph = try? readers.withReader({ try $0.graph(documentID: record.id) }) {
            view.outgoing = graph.outgoing.map(DocumentRelation.init)
            view.incoming = graph.incoming.map(DocumentRelation.init)
            view.status = graph.status
            view.statusEvidence = view.incoming.filter { e in
                CitationRelation.named(e.relation).map { $0.reversed && CitationRelation.changing.contains($0.relation) } ?? false
            }
        }
        return view
    }
}

extension DocumentRelation {
    init(_ edge: IndexEdge) {
        self.init(relation: edge.relation, number: edge.number, scope: edge.scope, sentence: edge.sentence,
                  documentID: edge.documentID, documentTitle: edge.documentTitle, date: edge.date)
    }
}

extension DocumentView {
    /// Article `label` ("8") exactly as in the text, with its khoản and điểm: (title, text).
    public func article(_ label: String) -> (title: String, text: String)? {
        guard let division = official.article(label) else { return nil }
        let bytes = Array(text.utf8)
        guard division.start < division.end, division.end <= bytes.count else { return nil }
        var slice = String(decoding: bytes[division.start..<division.end], as: UTF8.self)
        while slice.hasSuffix("\n") || slice.hasSuffix(" ") { slice.removeLast() }
        return (division.title, slice)
    }

    /// Article `label`, or a not-found error naming the articles the text has (the CLI and
    /// the server say the same).
    public func requireArticle(_ label: String) throws(LibraryError) -> (title: String, text: String) {
        if let found = article(label) { return found }
        let known = official.outline.filter { $0.level == .article }.map(\.label)
        let what = known.isEmpty ? "no articles were found in it" : "it has Điều \(known.first!)-\(known.last!)"
        throw LibraryError(.notFound, "document \(record.id) has no Điều \(String(label.prefix(20))) (\(what))")
    }
}

extension Library {
    /// For each document of `ids`, the archived texts it cites by number (a news article's
    /// "văn bản gốc"): (id, title, number as cited). Empty when the index cannot be read.
    public func citedDocuments(of ids: [String]) -> [String: [(id: String, title: String?, number: String)]] {
        (try? readers.withReader { try $0.citedDocuments(of: ids) }) ?? [:]
    }
}

extension IndexDocument {
    /// Benchmarks only (`scripts/bench/bench-repost-cost --end-to-end`): with
    /// VANBAN_BENCH_NO_REPOSTS=1 an import or reindex signs no body, to measure what repost
    /// detection costs a whole import. Such an index has no repost groups until a reindex.
    static let repostsOffForBenchmark = ProcessInfo.processInfo.environment["VANBAN_BENCH_NO_REPOSTS"] == "1"
}
