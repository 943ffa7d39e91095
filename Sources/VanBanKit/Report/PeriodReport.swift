import DocumentModel
import Foundation
import SearchIndex
import VietText

/// One row of a report's grouping: a value (nil: documents without one) and its documents.
public struct ReportCount: Sendable, Equatable {
    public var name: String?
    public var count: Int
}

/// What happened in a period: the documents dated in it (issue date, else the date given at
/// import), optionally only those a query finds, counted by month, issuer and type.
///
/// Invariants: `total` is the number of `documents`; the months add up to it (every month of
/// the period is listed, zero or not), and so do the types. A joint text counts once under
/// each of its issuers, so the issuers may add up to more.
public struct PeriodReport: Sendable {
    public var period: ReportPeriod
    /// The query whose results were counted; nil: every document of the period.
    public var query: String?
    /// Oldest first.
    public var documents: [PeriodDocument]
    public var byMonth: [ReportCount]
    /// Most documents first; documents without a value last.
    public var byIssuer: [ReportCount]
    public var byType: [ReportCount]

    public var total: Int { documents.count }

    init(period: ReportPeriod, query: String?, documents: [PeriodDocument]) {
        self.period = period
        self.query = query
        self.documents = documents
        var months: [String: Int] = [:]
        var issuers: [String: (name: String, count: Int)] = [:], noIssuer = 0
        var types: [String: (name: String, count: Int)] = [:], noType = 0
        for document in documents {
            months[String(document.date.prefix(7)), default: 0] += 1
            let parties = (document.metadata.issuer ?? "").split(separator: ";")
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            if parties.isEmpty { noIssuer += 1 }
            // One count per distinct issuer of the text (folded: "Bộ Tài chính" = "BỘ TÀI CHÍNH").
            for party in Set(parties.map { VietText.fold($0) }) {
                let shown = parties.first { VietText.fold($0) == party }!
                issuers[party, default: (shown, 0)].count += 1
            }
            if let type = document.metadata.type, !type.isEmpty {
                types[VietText.fold(type), default: (type, 0)].count += 1
            } else {
                noType += 1
            }
        }
        byMonth = period.months.map { ReportCount(name: $0, count: months[$0] ?? 0) }
        func ordered(_ counts: [String: (name: String, count: Int)], none: Int) -> [ReportCount] {
            counts.values.sorted { $0.count != $1.count ? $0.count > $1.count : $0.name < $1.name }
                .map { ReportCount(name: $0.name, count: $0.count) } + (none > 0 ? [ReportCount(name: nil, count: none)] : [])
        }
        byIssuer = ordered(issuers, none: noIssuer)
        byType = ordered(types, none: noType)
    }
}

extension Library {
    /// The report of `period`: every current document dated in it, or only those `query`
    /// finds (its whole result set, read as a search reads it, within the search budget).
    /// Throws `QueryError` for a query that cannot run (the period was checked when made).
    public func report(_ period: ReportPeriod, query: String? = nil) throws -> PeriodReport {
        let text = query?.trimmingCharacters(in: .whitespacesAndNewlines)
        let query = text?.isEmpty == false ? text : nil
        let synonyms = synonyms.table().table
        let documents = try readers.withReader { index in
            let rows = try query.map { query in
                Set(try index.resultRows(SearchRequest(query: query, limit: 1), budget: searchBudget, synonyms: synonyms))
            }
            return try index.documents(datedFrom: period.from, to: period.to, among: rows)
        }
        return PeriodReport(period: period, query: query, documents: documents)
    }
}
