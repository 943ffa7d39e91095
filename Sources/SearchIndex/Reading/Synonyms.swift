import Foundation
import VietText

// Looking up `SynonymList` in a query: the entries whose left side (or, for "=", either side)
// is a run of the query's plain words, longest first.

struct SynonymEntry: Equatable {
    /// The side matched against the query, as folded tokens ...
    var words: [String]
    /// ... and as written (accented): a query word read with its accents must have these.
    var accented: [String]
    /// What it also finds, as written (accented): matched as a phrase with its accents.
    var alternative: String
}

enum Synonyms {
    /// Every entry, by its first folded word.
    static let entries: [String: [SynonymEntry]] = parse(SynonymList.text)

    static func parse(_ text: String) -> [String: [SynonymEntry]] {
        var table: [String: [SynonymEntry]] = [:]
        func add(_ from: String, _ to: String) {
            let source = Tokenizer.tokens(in: from)
            let words = source.map(\.folded)
            let target = Tokenizer.tokens(in: to)
            guard let first = words.first, !target.isEmpty, target.map(\.folded) != words else { return }
            let entry = SynonymEntry(words: words, accented: source.map(\.accented),
                                     alternative: target.map(\.accented).joined(separator: " "))
            if table[first]?.contains(entry) != true { table[first, default: []].append(entry) }
        }
        for raw in text.split(separator: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if let arrow = line.range(of: "=>") {
                add(String(line[..<arrow.lowerBound]), String(line[arrow.upperBound...]))
            } else if let equal = line.firstIndex(of: "=") {
                let left = String(line[..<equal]), right = String(line[line.index(after: equal)...])
                add(left, right)
                add(right, left)
            }
        }
        for key in table.keys { table[key]!.sort { $0.words.count > $1.words.count } }
        return table
    }

    /// The entries matching `folded` (the query's plain words, folded) from `start`: the
    /// longest left sides first; all entries of that length.
    /// `read` holds each word as read with its accents (typed or restored), nil where unknown:
    /// a word read "đón" is not the "đơn" of "đơn thư", though both fold to "don".
    static func matches(_ folded: [String], read: [String?]? = nil, at start: Int) -> [SynonymEntry] {
        guard start < folded.count, let candidates = entries[folded[start]] else { return [] }
        var found: [SynonymEntry] = []
        for entry in candidates {
            if let longest = found.first, entry.words.count < longest.words.count { break }
            let end = start + entry.words.count
            guard end <= folded.count && Array(folded[start..<end]) == entry.words else { continue }
            if let read, !(start..<end).allSatisfy({ read[$0] == nil || read[$0] == entry.accented[$0 - start] }) { continue }
            found.append(entry)
        }
        return found
    }
}
