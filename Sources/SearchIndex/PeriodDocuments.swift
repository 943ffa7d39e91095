import DocumentModel
import Foundation

// The documents of a period, for period reports: each current document dated within it, by
// its issue date read from the text, else the date given at import (an official text belongs
// to the period it was issued in, even when it was imported later).

public struct PeriodDocument: Sendable {
    public var id: String
    /// YYYY-MM-DD: the issue date, else the date given at import.
    public var date: String
    /// True when `date` is the issue date read from the text.
    public var dateIsIssued: Bool
    public var metadata: DocumentMetadata
}

extension IndexConnection {
    /// The documents dated from `from` to `to` (YYYY-MM-DD, both included), oldest first, then
    /// by title; only those of `rowids` when given (a query's result set).
    public func documents(datedFrom from: String, to: String, among rowids: Set<Int>? = nil) throws -> [PeriodDocument] {
        defer { connection.resetStatements() }
        // A date is stored as YYYY-MM-DD; "~" sorts after every digit, so a stored value with
        // more after the day still falls on its day.
        let statement = try connection.cached("""
            SELECT d.rowid, d.id, d.issued IS NOT NULL,
                   substr(coalesce(d.issued, d.date), 1, 10),
                   \(MetadataColumns.fields.map { "d.\($0.name)" }.joined(separator: ", "))
            FROM documents d
            WHERE coalesce(d.issued, d.date) >= ?1 AND coalesce(d.issued, d.date) <= ?2 || '~'
            ORDER BY coalesce(d.issued, d.date), d.title, d.id
            """)
        statement.bind(1, from)
        statement.bind(2, to)
        var documents: [PeriodDocument] = []
        while try statement.step() {
            if let rowids, !rowids.contains(statement.int(0)) { continue }
            documents.append(PeriodDocument(
                id: statement.string(1) ?? "", date: statement.string(3) ?? "", dateIsIssued: statement.int(2) != 0,
                metadata: MetadataColumns.read(statement, from: 4)))
        }
        return documents
    }
}
