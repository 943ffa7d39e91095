import DocumentModel
import Foundation
import VietText

/// A query that names an official text by its number, in any of the forms people type:
/// "45/2010/NĐ-CP", "45/2010/nd-cp", "45/2010", "nđ 45/2010", "nghị định 45/2010",
/// "nghi dinh 45/2010", "NĐ-CP 45/2010", "nghi dinh so 45", "quyết định 1950/QĐ-UBND".
/// The text whose own number it is ranks first, ahead of the many texts that cite it.
struct NumberQuery: Equatable {
    /// The full number, when the query has one.
    var key: String?
    var serial: Int
    var year: Int?
    /// A type named in the query ("nghị định", "nđ", "NĐ-CP"), as its folded name.
    var typeName: String?
    /// A type abbreviation or symbol typed without the serial ("nđ-cp" in "NĐ-CP 45/2010").
    var symbolPrefix: String?

    /// Words that may stand around a number without changing what it names.
    private static let fillers: Set<String> = ["so", "số"]

    init?(_ query: String) {
        let words = QueryParser.joinDocumentNumbers(query).split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard !words.isEmpty, words.count <= 8 else { return nil }
        var serial: Int?
        var year: Int?
        var key: String?
        var typeName: String?
        var symbol: String?
        var rest: [String] = []
        for word in words {
            let folded = VietText.fold(word).trimmingCharacters(in: CharacterSet(charactersIn: ".,;:()"))
            if key == nil, let number = DocumentNumber.parse(word) {
                key = number.key; serial = number.serial; year = number.year
                continue
            }
            if serial == nil, let (s, y) = Self.serialAndYear(folded) {
                serial = s; year = y
                continue
            }
            rest.append(folded)
        }
        guard let serial else { return nil }
        // What is left must be a type ("nghi dinh", "nd", "nd-cp") and fillers ("so"), nothing else:
        // "45 nguoi" is not a number query.
        var remaining = rest.filter { !Self.fillers.contains($0) && !$0.isEmpty }
        if !remaining.isEmpty {
            let joined = remaining.joined(separator: " ")
            if let entry = OfficialTypes.type(named: joined) {
                typeName = entry.folded
                remaining = []
            } else if remaining.count == 1, let first = remaining.first, first.contains("-"),
                      first.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) {
                symbol = first
                let code = String(first.prefix { $0 != "-" }).filter { !$0.isNumber }
                typeName = OfficialTypes.type(named: code)?.folded
                remaining = []
            }
        }
        guard remaining.isEmpty else { return nil }
        // A bare serial ("45") is not enough; it needs a year, a type or the whole number. A
        // serial that reads as a year ("luật 2024") is a year, not a number.
        guard key != nil || year != nil || typeName != nil || symbol != nil else { return nil }
        if key == nil, year == nil, (1945...2200).contains(serial) { return nil }
        self.key = key; self.serial = serial; self.year = year; self.typeName = typeName; self.symbolPrefix = symbol
    }

    /// "45/2010" -> (45, 2010); "45" -> (45, nil).
    static func serialAndYear(_ folded: String) -> (Int, Int?)? {
        let parts = folded.split(separator: "/", omittingEmptySubsequences: false)
        guard let first = parts.first, !first.isEmpty, first.count <= 6, first.allSatisfy(\.isASCIIDigit), let s = Int(first) else { return nil }
        if parts.count == 1 { return (s, nil) }
        guard parts.count == 2, parts[1].count == 4, let y = Int(parts[1]), (1945...2200).contains(y) else { return nil }
        return (s, y)
    }

    /// SQL over `documents d` selecting the texts this query names; `parameter` binds a
    /// value and returns its placeholder.
    func condition(_ parameter: (String) -> String) -> String {
        if let key { return "d.number_key = \(parameter(key))" }
        let head = year.map { "\(serial)/\($0)/" } ?? "\(serial)/"
        if let symbolPrefix {
            return "d.number_key GLOB \(parameter(IndexConnection.globPrefix(head + VietText.fold(symbolPrefix))))"
        }
        // GLOB: answered from the number index as a range (see IndexConnection.globPrefix).
        var sql = "d.number_key GLOB \(parameter(IndexConnection.globPrefix(head)))"
        if let typeName { sql += " AND d.type_folded = \(parameter(typeName))" }
        return sql
    }
}
