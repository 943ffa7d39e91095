import Foundation
import VietText

// The synonym and abbreviation list (`synonyms.txt`, a resource of this module, plus an
// archive's own file) and its lookup in a query: the entries whose left side (or, for "=",
// either side) is a run of the query's plain words, longest first. The format is described at
// the top of Reading/synonyms.txt.

struct SynonymEntry: Equatable {
    /// The side matched against the query, as folded tokens ...
    var words: [String]
    /// ... and as written (accented): a query word read with its accents must have these.
    var accented: [String]
    /// A one-word side written in capitals ("CP", "QyĐ"): the query word must be typed exactly
    /// so (NFC), else nil.
    var typedExactly: String?
    /// What it also finds, as written (accented): matched as a phrase with its accents.
    var alternative: String
}

/// A parsed list: every entry by its first folded word. Immutable; a new list is a new value.
public struct SynonymTable: Sendable {
    var entries: [String: [SynonymEntry]] = [:]
    /// Lines that could not be read, "name:line: reason" (the rest of the list applies).
    public private(set) var problems: [String] = []
    /// Entries read (both directions of an "=" count once each).
    public var count: Int { entries.values.reduce(0) { $0 + $1.count } }

    public init() {}

    /// The list shipped with VanBan (`Reading/synonyms.txt`, embedded in the program by the
    /// package manager: `PackageResources`).
    public static let bundled = SynonymTable(parsing: String(decoding: PackageResources.synonyms_txt, as: UTF8.self),
                                             name: "synonyms.txt")

    public init(parsing text: String, name: String) {
        add(text, name: name)
    }

    /// This list with the entries of `text` (named `name` in problems) added.
    public func adding(_ text: String, name: String) -> SynonymTable {
        var table = self
        table.add(text, name: name)
        return table
    }

    private mutating func add(_ text: String, name: String) {
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = Substring(raw)
            if let hash = line.firstIndex(of: "#") { line = line[..<hash] }
            let entry = line.trimmingCharacters(in: .whitespaces)
            if entry.isEmpty { continue }
            var problem: String?
            if let arrow = entry.range(of: "=>") {
                problem = add(String(entry[..<arrow.lowerBound]), String(entry[arrow.upperBound...]))
            } else if let equal = entry.firstIndex(of: "=") {
                let left = String(entry[..<equal]), right = String(entry[entry.index(after: equal)...])
                problem = add(left, right) ?? add(right, left)
            } else {
                problem = "no \"=\" or \"=>\" between the two sides"
            }
            if let problem { problems.append("\(name):\(number + 1): \(problem): \(entry)") }
        }
        for key in entries.keys { entries[key]!.sort { $0.words.count > $1.words.count } }
    }

    /// Adds `from` finding `to`; a reason when the line cannot be an entry.
    private mutating func add(_ from: String, _ to: String) -> String? {
        let source = Tokenizer.tokens(in: from)
        let target = Tokenizer.tokens(in: to)
        let words = source.map(\.folded)
        guard let first = words.first, !target.isEmpty else { return "a side has no words" }
        guard target.map(\.folded) != words else { return "both sides are the same words" }
        let written = from.trimmingCharacters(in: .whitespaces).precomposedStringWithCanonicalMapping
        let exact = source.count == 1 && written.contains(where: \.isUppercase) ? written : nil
        let entry = SynonymEntry(words: words, accented: source.map(\.accented), typedExactly: exact,
                                 alternative: target.map(\.accented).joined(separator: " "))
        if entries[first]?.contains(entry) != true { entries[first, default: []].append(entry) }
        return nil
    }

    /// The entries matching `folded` (the query's plain words, folded) from `start`: the
    /// longest left sides first; all entries of that length.
    /// `read` holds each word as read with its accents (typed or restored), nil where unknown:
    /// a word read "đón" is not the "đơn" of "đơn thư", though both fold to "don".
    /// `typed` holds each word as typed (for the entries written in capitals).
    func matches(_ folded: [String], read: [String?]? = nil, typed: [String]? = nil, at start: Int) -> [SynonymEntry] {
        guard start < folded.count, let candidates = entries[folded[start]] else { return [] }
        var found: [SynonymEntry] = []
        for entry in candidates {
            if let longest = found.first, entry.words.count < longest.words.count { break }
            let end = start + entry.words.count
            guard end <= folded.count && Array(folded[start..<end]) == entry.words else { continue }
            if let read, !(start..<end).allSatisfy({ read[$0] == nil || read[$0] == entry.accented[$0 - start] }) { continue }
            if let exact = entry.typedExactly, typed?[start].precomposedStringWithCanonicalMapping != exact { continue }
            found.append(entry)
        }
        return found
    }
}
