/// How one text refers to another, the vocabulary of the relationship diagram (lược đồ):
/// read from the citing sentence (Extraction), stored per edge (the index), named in JSON by
/// `rawValue` for the citing side and by `reverseName` for the cited side, shown by `label`.
public enum CitationRelation: String, Sendable, CaseIterable, Hashable {
    /// "Căn cứ ..."
    case bases
    /// "sửa đổi, bổ sung ... của ..."
    case amends
    /// "... thay thế ..."
    case replaces
    /// "bãi bỏ ...", "... hết hiệu lực"
    case repeals
    /// "hướng dẫn ...", "quy định chi tiết ..."
    case guides
    /// Any other mention of a number.
    case mentions

    /// The relation seen from the cited text: "amended_by" for "amends".
    public var reverseName: String {
        switch self {
        case .bases: return "cited_by"
        case .amends: return "amended_by"
        case .replaces: return "replaced_by"
        case .repeals: return "repealed_by"
        case .guides: return "guided_by"
        case .mentions: return "mentioned_by"
        }
    }

    /// The relation a name stands for, either side: "amends" or "amended_by" -> (.amends, reversed).
    public static func named(_ name: String) -> (relation: CitationRelation, reversed: Bool)? {
        if let r = CitationRelation(rawValue: name) { return (r, false) }
        return allCases.first { $0.reverseName == name }.map { ($0, true) }
    }

    /// As the national database names it, citing side or cited side.
    public func label(reversed: Bool = false) -> String {
        switch (self, reversed) {
        case (.bases, false): return "căn cứ"
        case (.amends, false): return "sửa đổi, bổ sung"
        case (.replaces, false): return "thay thế"
        case (.repeals, false): return "bãi bỏ"
        case (.guides, false): return "hướng dẫn"
        case (.mentions, false): return "dẫn chiếu"
        case (.bases, true): return "được căn cứ bởi"
        case (.amends, true): return "bị sửa đổi, bổ sung bởi"
        case (.replaces, true): return "bị thay thế bởi"
        case (.repeals, true): return "bị bãi bỏ bởi"
        case (.guides, true): return "được hướng dẫn bởi"
        case (.mentions, true): return "được dẫn chiếu bởi"
        }
    }

    /// The relations that decide a validity status, seen from the cited text.
    public static let changing: Set<CitationRelation> = [.amends, .replaces, .repeals]
}
