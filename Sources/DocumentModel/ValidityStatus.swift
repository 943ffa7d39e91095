import Foundation
import VietText

/// Whether an official text is in force, as far as this archive knows (tình trạng hiệu lực).
/// Decided from the text's own effective date and from the texts that cite it: a text that
/// replaces it, or repeals it whole, ends it; one that repeals a part ("bãi bỏ Điều 5 của
/// ...") ends that part; one that amends it (or replaces a part) amends it. An edge counts
/// from the citing text's own effective date (else its issue date) on.
public enum ValidityStatus: String, Sendable, CaseIterable, Hashable {
    case notYetInForce = "chua-co-hieu-luc"
    case inForce = "con-hieu-luc"
    case amended = "bi-sua-doi-bo-sung"
    case partlyRepealed = "het-hieu-luc-mot-phan"
    case repealed = "het-hieu-luc"

    /// As vbpl.vn writes it.
    public var label: String {
        switch self {
        case .notYetInForce: return "Chưa có hiệu lực"
        case .inForce: return "Còn hiệu lực"
        case .amended: return "Bị sửa đổi, bổ sung"
        case .partlyRepealed: return "Hết hiệu lực một phần"
        case .repealed: return "Hết hiệu lực"
        }
    }

    /// From what a person types in `status:`: "het-hieu-luc", "hết hiệu lực", "Hết hiệu lực một phần".
    public init?(query: String) {
        let folded = VietText.fold(query).replacingOccurrences(of: ",", with: " ")
            .split(whereSeparator: { $0 == " " || $0 == "-" || $0 == "_" }).joined(separator: "-")
        guard let status = ValidityStatus(rawValue: folded) else { return nil }
        self = status
    }

    /// Today, as the dates in the index are written.
    package static func today() -> String {
        var t = time_t(Date().timeIntervalSince1970)
        var parts = tm()
        gmtime_r(&t, &parts)
        return String(format: "%04d-%02d-%02d", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday)
    }

    /// The status of `documents d` as an SQL expression (NULL for a document that is not an
    /// official text). `today` is a literal we make ("YYYY-MM-DD"), never user input.
    package static func sql(today: String) -> String {
        precondition(today.allSatisfy { $0.isNumber || $0 == "-" })
        func edge(_ condition: String) -> String {
            """
            EXISTS (SELECT 1 FROM citations c JOIN documents s ON s.rowid = c.source
                    WHERE c.number_key = d.number_key AND s.rowid != d.rowid AND \(condition)
                      AND coalesce(s.effective, s.issued, s.date, '') <= '\(today)')
            """
        }
        return """
            CASE
              WHEN d.type IS NULL AND d.number_key IS NULL THEN NULL
              WHEN d.effective > '\(today)' THEN '\(notYetInForce.rawValue)'
              WHEN d.number_key IS NULL THEN '\(inForce.rawValue)'
              WHEN \(edge("((c.relation = 'replaces' AND c.scope IS NULL) OR (c.relation = 'repeals' AND c.scope IS NULL))")) THEN '\(repealed.rawValue)'
              WHEN \(edge("c.relation = 'repeals'")) THEN '\(partlyRepealed.rawValue)'
              WHEN \(edge("c.relation IN ('amends', 'replaces')")) THEN '\(amended.rawValue)'
              ELSE '\(inForce.rawValue)'
            END
            """
    }
}
