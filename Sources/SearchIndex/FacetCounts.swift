import DocumentModel
import Foundation
import VietText

// Facets: how the whole result set of a query divides by kind, type, issuer, source and year
// (not just the page shown), each value with the number of matches its filter link would
// return. Counting runs in memory over the matches' rowids: every row's values are read once
// per connection and index state (`FacetRows`, one scan of the documents table) and a count is
// then one array lookup per match and field, so a query matching the whole archive costs a
// few milliseconds more than the search itself.
//
// Invariant (tested): a value's count is the total of the same search with that value's
// filter added (`kind:`, `type:`, `issuer:`, `source:`, `year:`), whenever adding the filter
// leaves the reading of the query alone (a strict search, or one the soft fallback is not
// taken for either way). `source:` and `issuer:` filters match a value contained in the
// field ("bộ tài chính" is in "Bộ Tài chính; Bộ Công Thương"), so their counts are counted the
// same way: a joint text counts for each of its issuers, and a value counts every match whose
// field contains it.

public enum FacetField: String, Sendable, CaseIterable {
    case kind, type, issuer, source, year

}

public struct FacetValue: Sendable, Equatable {
    /// As written in a document (the first spelling met).
    public var value: String
    public var count: Int
}

/// The facets of one result set.
public struct Facets: Sendable, Equatable {
    /// Per field, the values with the most matches first (ties by value), at most `limit`.
    public var fields: [FacetField: [FacetValue]] = [:]
    /// Matches without a value, per field (no date, not an official text, no source).
    public var missing: [FacetField: Int] = [:]

    public subscript(field: FacetField) -> [FacetValue] { fields[field] ?? [] }

    /// At most this many values per field: what a page can offer as links.
    public static let limit = 30
}

/// Every row's facet values, as small integers into per-field value lists. Read once per
/// connection and index state.
final class FacetRows {
    /// Per field: folded value -> (spelling shown, folded) by value id.
    private(set) var values: [FacetField: [(shown: String, folded: String)]] = [:]
    /// Per field, the value id of each rowid (-1: none), indexed by rowid.
    private(set) var ids: [FacetField: [Int32]] = [:]

    init(connection: Connection) throws {
        let maxRowid = try connection.scalarInt("SELECT coalesce(max(rowid), 0) FROM documents") ?? 0
        var lookup: [FacetField: [String: Int32]] = [:]
        for field in FacetField.allCases {
            ids[field] = Array(repeating: -1, count: maxRowid + 1)
            values[field] = []
            lookup[field] = [:]
        }
        func intern(_ field: FacetField, _ shown: String?, _ folded: String?, rowid: Int) {
            guard let shown, !shown.isEmpty else { return }
            let key = folded ?? shown
            let id: Int32
            if let known = lookup[field]![key] {
                id = known
            } else {
                id = Int32(values[field]!.count)
                values[field]!.append((shown, key))
                lookup[field]![key] = id
            }
            ids[field]![rowid] = id
        }
        let statement = try connection.prepare("""
            SELECT rowid, kind, kind_folded, type, type_folded, issuer, issuer_folded, source, source_folded,
                   substr(coalesce(date, issued), 1, 4)
            FROM documents
            """)
        while try statement.step() {
            let rowid = statement.int(0)
            guard rowid >= 0 && rowid <= maxRowid else { continue }
            intern(.kind, statement.string(1), statement.string(2), rowid: rowid)
            intern(.type, statement.string(3), statement.string(4), rowid: rowid)
            intern(.issuer, statement.string(5), statement.string(6), rowid: rowid)
            intern(.source, statement.string(7), statement.string(8), rowid: rowid)
            intern(.year, statement.string(9), nil, rowid: rowid)
        }
    }

    /// The facets of the rows `rowids` (each once).
    func facets(of rowids: [Int]) -> Facets {
        var perValue: [FacetField: [Int]] = [:]
        var missing: [FacetField: Int] = [:]
        for field in FacetField.allCases { perValue[field] = Array(repeating: 0, count: values[field]!.count) }
        for field in FacetField.allCases {
            let rowIDs = ids[field]!
            var counts = perValue[field]!
            var none = 0
            for rowid in rowids {
                let id = rowid >= 0 && rowid < rowIDs.count ? rowIDs[rowid] : -1
                if id >= 0 { counts[Int(id)] += 1 } else { none += 1 }
            }
            perValue[field] = counts
            missing[field] = none
        }
        var facets = Facets()
        facets.missing = missing
        for field in FacetField.allCases {
            let counts = perValue[field]!, known = values[field]!
            let present = counts.indices.filter { counts[$0] > 0 }
            var result: [FacetValue]
            switch field {
            case .kind, .type, .year:
                result = present.map { FacetValue(value: known[$0].shown, count: counts[$0]) }
            case .source:
                let top = present.sorted { counts[$0] > counts[$1] }.prefix(Self.candidates)
                result = Self.containing(present.map { (known[$0].shown, known[$0].folded, counts[$0]) },
                                         candidates: top.map { (known[$0].shown, known[$0].folded) })
            case .issuer:
                // Each party of a joint text ("A; B") is a value of its own, first counted as a party.
                var parties: [String: (shown: String, count: Int)] = [:]
                for i in present {
                    for party in Set(known[i].shown.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }) {
                        let folded = foldedFilterValue(party)
                        if !folded.isEmpty { parties[folded, default: (party, 0)].count += counts[i] }
                    }
                }
                let top = parties.sorted { $0.value.count > $1.value.count }.prefix(Self.candidates)
                result = Self.containing(present.map { (known[$0].shown, known[$0].folded, counts[$0]) },
                                         candidates: top.map { ($0.value.shown, $0.key) })
            }
            result.sort { $0.count != $1.count ? $0.count > $1.count : $0.value < $1.value }
            facets.fields[field] = Array(result.prefix(Facets.limit))
        }
        return facets
    }

    /// Source and issuer values counted the filters' way: the commonest values (exactly, or as
    /// a party), at most this many, so the substring checks below stay bounded (this many times
    /// the result set's distinct values) when a broad query holds thousands of issuers.
    static let candidates = 2 * Facets.limit

    /// For each candidate, the matches whose folded field contains it: what a `source:` or
    /// `issuer:` filter with that value returns.
    static func containing(_ fieldValues: [(shown: String, folded: String, count: Int)],
                           candidates: [(shown: String, folded: String)]) -> [FacetValue] {
        candidates.map { candidate in
            var count = 0
            for value in fieldValues where value.folded.contains(candidate.folded) { count += value.count }
            return FacetValue(value: candidate.shown, count: count)
        }
    }
}

extension IndexConnection {
    /// The facets of the rows `rowids`, from the connection's `FacetRows` (read first if the
    /// index changed since).
    func facets(of rowids: [Int]) throws -> Facets {
        let statistics = connection.rankStatistics
        if statistics.facetRows == nil {
            statistics.facetRows = try connection.meter.unmetered { try FacetRows(connection: connection) }
        }
        try connection.checkBudget()
        return statistics.facetRows!.facets(of: rowids)
    }
}
