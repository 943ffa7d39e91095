import DocumentModel
import Foundation
import VietText

/// What VanBan reads out of an official text (văn bản): its attributes as the national
/// legal databases list them, its structure, and the texts it cites and how.
///
/// Derived from the extracted text alone, the same way every time, so `reindex` applies an
/// improved reader to every document. The layout is the one Decree 30/2020/NĐ-CP prescribes
/// (national motto, issuing body, "Số:", place and date, type and subject, "Căn cứ ...",
/// Chương / Điều / khoản / điểm, the signature block, "Nơi nhận:"); real texts deviate
/// (gazette page headers, two-column headers flattened into one, broken lines, NFD), and every
/// part here is optional: a news article yields no attributes, only the numbers it mentions.
public struct OfficialText: Sendable, Equatable {
    /// "Nghị định", "Thông tư liên tịch", "Chương trình phối hợp", "Công văn", ...
    public var type: String?
    public var number: DocumentNumber?
    /// Issue date, ISO "YYYY-MM-DD".
    public var issued: String?
    /// "Hà Nội", "Thanh Hóa".
    public var place: String?
    /// For a consolidated text (văn bản hợp nhất): the date it was authenticated, ISO.
    public var authenticated: String?
    /// The date the text takes effect, ISO; the issue date when it takes effect on signing.
    public var effective: String?
    /// It says it takes effect on signing ("kể từ ngày ký").
    public var effectiveOnSigning = false
    /// The issuing bodies, as the header writes them ("ỦY BAN NHÂN DÂN TỈNH THANH HÓA");
    /// several for a joint text.
    public var issuers: [String] = []
    /// The trích yếu: "Quy định chi tiết ...", "V/v ...".
    public var subject: String?
    public var signers: [Signer] = []
    /// The "Nơi nhận:" list.
    public var recipients: [String] = []
    /// Each "Căn cứ ..." line, with the number it names when it names one.
    public var bases: [Basis] = []
    /// Every other text it cites by number, with the relation and the sentence.
    public var citations: [Citation] = []
    /// Phần / Chương / Mục / Điều in order, with their places in the text.
    public var outline: [Division] = []

    public init() {}

    /// An official text has at least a type or its own number; a news article has neither.
    public var isOfficial: Bool { type != nil || number != nil }

    /// "<type> <number> <subject>", for documents the importer gave no title.
    public var derivedTitle: String? {
        guard isOfficial else { return nil }
        let parts = [type, number?.text, subject].compactMap { $0 }.filter { !$0.isEmpty }
        return parts.isEmpty ? nil : parts.joined(separator: " ")
    }

    public struct Signer: Sendable, Equatable {
        /// KT., TM., TL., TUQ., Q., PP. (nil when the head signs in person).
        public var form: String?
        /// "BỘ TRƯỞNG", "PHÓ CHỦ TỊCH".
        public var position: String?
        /// The body signed for ("CHÍNH PHỦ" in "TM. CHÍNH PHỦ"), when the block names it.
        public var body: String?
        public var name: String
    }

    public struct Basis: Sendable, Equatable {
        public var text: String
        public var number: DocumentNumber?
    }

    /// How a text refers to another (DocumentModel's vocabulary).
    public typealias Relation = CitationRelation

    public struct Citation: Sendable, Equatable {
        public var relation: Relation
        public var number: DocumentNumber
        /// The part of the cited text concerned, when the sentence names one ("khoản 2 Điều 8").
        public var scope: String?
        /// The sentence the citation was read from (line breaks made spaces).
        public var sentence: String
    }

    /// A part of the text: "Chương II", "Điều 8", with its heading and byte range in the text.
    public struct Division: Sendable, Equatable {
        public enum Level: String, Sendable { case part = "phan", chapter = "chuong", section = "muc", article = "dieu" }
        public var level: Level
        /// "II", "8", "8a".
        public var label: String
        /// "Chế độ thông tin, báo cáo".
        public var heading: String
        /// UTF-8 byte offsets in the text: the division runs from its heading line to the next
        /// division of the same or a higher level (or the signature block).
        public var start: Int
        public var end: Int

        /// "Điều 8. Chế độ thông tin, báo cáo".
        public var title: String {
            let name: String
            switch level {
            case .part: name = "Phần"
            case .chapter: name = "Chương"
            case .section: name = "Mục"
            case .article: name = "Điều"
            }
            return heading.isEmpty ? "\(name) \(label)" : "\(name) \(label). \(heading)"
        }
    }

    /// The article `label` ("8"), the first one when the text has several of that number.
    public func article(_ label: String) -> Division? {
        outline.first { $0.level == .article && $0.label.lowercased() == label.lowercased() }
    }

}

extension OfficialText {
    /// Reads `text` (as extraction produced it).
    public static func read(_ text: String) -> OfficialText {
        let lines = TextLines(text)
        var result = OfficialText()
        HeaderReader.read(lines, into: &result)
        SignatureReader.read(lines, into: &result)
        StructureReader.read(lines, into: &result)
        CitationReader.read(text, lines: lines, into: &result)
        EffectiveDateReader.read(lines, into: &result)
        // A text without a type or a number of its own (a news article) has no attributes:
        // a dateline is not an issue date. The numbers it mentions are kept (the news about a
        // text links to the text).
        if !result.isOfficial {
            let citations = result.citations
            result = OfficialText()
            result.citations = citations
        }
        return result
    }
}
