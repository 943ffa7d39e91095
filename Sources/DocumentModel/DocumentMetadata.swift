// The one value that describes a document: what the importer supplied (key, title, source,
// kind, date, url) and, as VanBan learns to read official texts and news, what it derives from
// the text. The manifest record, the index document, the search hit and every JSON shape carry
// this value; none of them spells the fields out.
//
// Adding a field takes three edits, all in this module:
//   1. a stored property below;
//   2. its entry in `DocumentMetadata.fields` (its name, which is the JSON key, the manifest key
//      and the index column; whether the importer or the extractor supplies it; what the
//      index keeps beside it to filter on: a folded copy, a document number's key);
//   3. its Vietnamese label in the same entry (pages, `vanban show`).
// Storage (manifest line, index schema and rows), JSON and display all iterate `fields`.

/// What is known about a document besides its bytes. Every field is optional; an empty string
/// counts as absent (`cleaned`).
public struct DocumentMetadata: Sendable, Hashable {
    /// The importer's own id: the same key with new bytes is a new version of the same document.
    public var key: String?
    public var title: String?
    /// Where the document came from (a site, an office).
    public var source: String?
    /// What the importer calls it: "news", "legal", "agreement", ...
    public var kind: String?
    /// "YYYY-MM-DD".
    public var date: String?
    public var url: String?

    // Derived from the text of an official text (Extraction's `OfficialText`), never stored in
    // the manifest: recomputed at every (re)index.

    /// "Nghị định", "Thông tư liên tịch", "Chương trình phối hợp", "Công văn", ...
    public var type: String?
    /// The số ký hiệu as written: "45/2010/NĐ-CP".
    public var number: String?
    /// Issue date, YYYY-MM-DD (`date` is the importer's, and wins where both are shown).
    public var issued: String?
    /// The date it takes effect, YYYY-MM-DD.
    public var effective: String?
    /// Where it was issued: "Hà Nội".
    public var place: String?
    /// The issuing bodies, "; " between the parties of a joint text.
    public var issuer: String?
    /// The trích yếu.
    public var subject: String?
    /// The signers' names, "; " between them.
    public var signers: String?

    // Derived from extraction: how a text that was not UTF-8 was converted.

    /// The encoding the original bytes are in, when not UTF-8: "tcvn3", "vni-windows",
    /// "viscii", "vps", "windows-1258", "viqr", "utf-16le", ...
    public var encoding: String?
    /// "true" when the bytes do not say the case of some letters (TCVN3's capitals with tone).
    public var caseMayBeLost: String?

    /// Derived from a news page: what its "Nguồn: ..." line names ("Nhân dân điện tử"), the
    /// outlet a repost credits (Extraction's `ArticleCleaner`).
    public var origin: String?

    // Derived from how the text was extracted (Extraction's `ExtractedDocument.derived`).

    /// "true" when some of the text was read by OCR (a scanned PDF).
    public var ocr: String?
    /// Tesseract's mean word confidence over the OCR'd pages, 0-100 ("91.4").
    public var ocrConfidence: String?
    /// Pages read by OCR: "12", or "12/40" when a bound stopped it before the 40 that wanted it.
    public var ocrPages: String?

    public init(key: String? = nil, title: String? = nil, source: String? = nil, kind: String? = nil,
                date: String? = nil, url: String? = nil) {
        self.key = key; self.title = title; self.source = source; self.kind = kind; self.date = date; self.url = url
    }
}

/// One field of `DocumentMetadata`, described once for every place that stores, encodes or
/// shows it.
public struct MetadataField: Sendable, Hashable {
    /// Who supplies the value. Only `.imported` fields are written to the append-only manifest;
    /// `.derived` ones are recomputed from the archived text at every (re)index.
    public enum Origin: Sendable, Hashable { case imported, derived }

    /// The JSON key, the manifest key and the index column: snake_case ASCII.
    public let name: String
    /// How pages and `vanban show` label it (Vietnamese, sentence case).
    public let label: String
    public let origin: Origin
    /// How the index keeps it besides the value itself, for filters.
    public enum IndexForm: Sendable, Hashable {
        case plain
        /// A folded copy, `<name>_folded` ("Thanh Hóa" -> "thanh hoa").
        case folded
        /// A document number's matching key, `<name>_key` ("45/2010/nd-cp").
        case documentNumber
    }
    public let index: IndexForm
    // Key paths are immutable values; Swift 6.3 does not infer Sendable for stored ones.
    nonisolated(unsafe) let keyPath: WritableKeyPath<DocumentMetadata, String?>

    init(_ name: String, _ label: String, _ origin: Origin, index: IndexForm = .plain,
         _ keyPath: WritableKeyPath<DocumentMetadata, String?>) {
        self.name = name; self.label = label; self.origin = origin; self.index = index; self.keyPath = keyPath
    }

    public static func == (a: MetadataField, b: MetadataField) -> Bool { a.name == b.name }
    public func hash(into h: inout Hasher) { h.combine(name) }
}

extension DocumentMetadata {
    /// Every field, in the order JSON shapes and displays list them.
    public static let fields: [MetadataField] = [
        MetadataField("key", "Khóa", .imported, \.key),
        MetadataField("title", "Tiêu đề", .imported, \.title),
        MetadataField("source", "Nguồn", .imported, index: .folded, \.source),
        MetadataField("kind", "Loại", .imported, index: .folded, \.kind),
        MetadataField("date", "Ngày", .imported, \.date),
        MetadataField("url", "Địa chỉ gốc", .imported, \.url),
        MetadataField("type", "Loại văn bản", .derived, index: .folded, \.type),
        MetadataField("number", "Số ký hiệu", .derived, index: .documentNumber, \.number),
        MetadataField("issued", "Ngày ban hành", .derived, \.issued),
        MetadataField("effective", "Ngày có hiệu lực", .derived, \.effective),
        MetadataField("place", "Nơi ban hành", .derived, \.place),
        MetadataField("issuer", "Cơ quan ban hành", .derived, index: .folded, \.issuer),
        MetadataField("subject", "Trích yếu", .derived, \.subject),
        MetadataField("signers", "Người ký", .derived, index: .folded, \.signers),
        MetadataField("encoding", "Bảng mã gốc", .derived, \.encoding),
        MetadataField("case_may_be_lost", "Có thể mất chữ hoa", .derived, \.caseMayBeLost),

        MetadataField("origin", "Nguồn tin", .derived, index: .folded, \.origin),
        MetadataField("ocr", "Nhận dạng ký tự (OCR)", .derived, \.ocr),
        MetadataField("ocr_confidence", "Độ tin cậy OCR", .derived, \.ocrConfidence),
        MetadataField("ocr_pages", "Số trang đọc bằng OCR", .derived, \.ocrPages),
    ]

    /// The fields the importer supplies (what the manifest keeps).
    public static let importedFields = fields.filter { $0.origin == .imported }

    private static let byName: [String: MetadataField] = Dictionary(uniqueKeysWithValues: fields.map { ($0.name, $0) })

    /// The field called `name` (its JSON key), if there is one.
    public static func field(named name: String) -> MetadataField? { byName[name] }

    /// The names of the fields the importer may give (JSON Lines, uploads), sorted.
    public static var importedFieldNames: [String] { importedFields.map(\.name) }

    public subscript(field: MetadataField) -> String? {
        get { self[keyPath: field.keyPath] }
        set { self[keyPath: field.keyPath] = newValue }
    }

    /// The values present, field by field, in `fields` order.
    public var presentFields: [(field: MetadataField, value: String)] {
        Self.fields.compactMap { f in self[f].map { (f, $0) } }
    }

    public var isEmpty: Bool { Self.fields.allSatisfy { self[$0] == nil } }

    /// Fields of `self`, falling back to `defaults` where absent.
    public func merged(over defaults: DocumentMetadata) -> DocumentMetadata {
        var out = self
        for f in Self.fields where out[f] == nil { out[f] = defaults[f] }
        return out
    }

    /// Empty strings become absent.
    public var cleaned: DocumentMetadata {
        var out = self
        for f in Self.fields where out[f]?.isEmpty == true { out[f] = nil }
        return out
    }

    /// Checks the values' formats; returns a reason when something is wrong.
    public func validationProblem() -> String? {
        if let date, !Self.isValidDate(date) { return "date '\(date)' is not a valid YYYY-MM-DD date" }
        if let key, Self.looksLikeDocumentID(key) {
            return "key '\(key)' has the form of a document id (16 hex digits), so `show \(key)` could name another document; choose a key that is not 16 hex digits (e.g. 'doc-\(key)')"
        }
        return nil
    }

    /// True for 16 hex digits in either case: what a document id looks like. Such a key is
    /// refused, so that an id and a key can never be taken for each other.
    public static func looksLikeDocumentID(_ s: String) -> Bool {
        s.utf8.count == 16 && s.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x41...0x46).contains($0) || (0x61...0x66).contains($0) }
    }

    /// The importer's fields (but the key and the title) that `newer` lacks, taken from
    /// `older`: a new version of a key keeps the source, kind, date and url it was imported
    /// with unless they are given anew. The title is not inherited: when none is given it is
    /// read from the new text.
    public func inheriting(from older: DocumentMetadata) -> DocumentMetadata {
        var out = self
        for f in Self.fields where f.origin == .imported && f.name != "key" && f.name != "title" && out[f] == nil {
            out[f] = older[f]
        }
        return out
    }

    /// True for a real calendar date written YYYY-MM-DD.
    public static func isValidDate(_ s: String) -> Bool {
        let u = Array(s.utf8)
        guard u.count == 10, u[4] == 0x2D, u[7] == 0x2D else { return false }
        func num(_ r: Range<Int>) -> Int? {
            var v = 0
            for i in r { guard u[i] >= 0x30 && u[i] <= 0x39 else { return nil }; v = v * 10 + Int(u[i] - 0x30) }
            return v
        }
        guard let y = num(0..<4), let m = num(5..<7), let d = num(8..<10), (1...12).contains(m), d >= 1 else { return false }
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
        return d <= days
    }
}

extension JSONObjectWriter {
    /// Adds every field of `metadata` in `fields` order (of `only` that origin, when given):
    /// absent ones as null, or left out with `omitAbsent` (the manifest's compact lines).
    public mutating func add(_ metadata: DocumentMetadata, only origin: MetadataField.Origin? = nil, omitAbsent: Bool = false) {
        for f in DocumentMetadata.fields where origin == nil || f.origin == origin {
            add(f.name, metadata[f], omitNil: omitAbsent)
        }
    }
}
