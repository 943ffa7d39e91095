import DocumentModel
import Foundation
import VietText

// The query language. Everything a person types is parsed here into a `Query`; nothing a
// user typed ever reaches FTS5's MATCH except as the content of a quoted FTS5 string, which
// FTS5 hands to our tokenizer. So no input can produce an FTS5 syntax error.
//
//   thanh hoa            every word matches (folded: matches any diacritics); when that finds
//                        few or weak documents, most of the words (see QueryReader)
//   "chương trình"       a phrase; words typed with diacritics match only those diacritics
//   +word  +"a phrase"   must match, even when the search falls back to most of the words
//   -word  -"a phrase"   exclude; NOT word is the same
//   a OR b, (a b) OR c   alternatives; AND is accepted and means nothing extra
//   hoa*                 prefix (at least two letters before the star)
//   title:word title:"a phrase"   restrict to the title
//   source:x kind:x      filters on metadata (source: contains x, kind: equals x; folded)
//   from:2021-01-01 to:2021-12 year:2024 date:2024-05   date filters (YYYY[-MM[-DD]])
//
// Document numbers are recognised before anything else: "45/2010/NĐ-CP", "45/2010/nd-cp" and
// "45 / 2010 / NĐ - CP" all become the phrase 45 2010 nđ cp (or its folded form).

/// A parsed query: a boolean tree of text clauses, plus metadata filters.
public struct Query: Equatable, Sendable {
    public var root: Clause?
    public var filters: Filters

    /// The positive text of the query, in order, for phrase ranking and highlighting.
    public var positiveTerms: [Term] { root?.positiveTerms ?? [] }
}

/// A node of the boolean tree.
public indirect enum Clause: Equatable, Sendable {
    /// Text to match: one word, a document number or a quoted phrase. FTS5 tokenizes it
    /// with VanBan's tokenizer; several tokens make a phrase.
    case text(Term)
    case all([Clause])
    case any([Clause])
    case excluded(Clause)

    var positiveTerms: [Term] {
        switch self {
        case .text(let term): return [term]
        case .all(let clauses), .any(let clauses): return clauses.flatMap(\.positiveTerms)
        case .excluded: return []
        }
    }
}

public struct Term: Equatable, Sendable {
    /// The text as typed (a word, or the inside of a quoted phrase).
    public var text: String
    /// The last word is a prefix ("hoa*").
    public var isPrefix: Bool
    /// Restrict to one column ("title").
    public var column: String?
    /// The text was quoted (or is a document number): its words must be adjacent.
    public var isPhrase: Bool
    /// Typed with "+": never dropped by the soft fallback, never replaced by a synonym.
    public var isRequired: Bool = false
    /// One word typed with inner punctuation ("TT&TT", "NĐ-CP"), unquoted: matched as the
    /// phrase of its parts, and may be an abbreviation (`QueryReader.findSynonyms`).
    public var isJoinedWord: Bool = false

    /// One plain word as typed: no quotes, no column, no prefix, one token. The words
    /// `QueryReader` may restore accents on, join into phrases and expand with synonyms.
    var isPlainWord: Bool { !isPhrase && column == nil && !isPrefix && !text.contains(" ") }
}

public struct Filters: Equatable, Sendable, Hashable {
    public var sources: [String] = []
    public var kinds: [String] = []
    /// Inclusive bounds, as ISO date prefixes ("2021", "2021-06", "2021-06-15"), on the date
    /// given at import, else the issue date.
    public var from: String?
    public var to: String?
    /// Official-text filters: the type ("nghị định", "nđ"), the number (whole, or "45/2010"),
    /// the issuer and a signer (contained, folded), the validity status.
    public var types: [String] = []
    public var numbers: [String] = []
    public var issuers: [String] = []
    public var signers: [String] = []
    public var statuses: [ValidityStatus] = []
    /// Texts with an edge to a number: any edge (`cites:`), or one relation (`amends:`, `replaces:`).
    public var citing: [CitationFilter] = []

    public init(sources: [String] = [], kinds: [String] = [], from: String? = nil, to: String? = nil) {
        self.sources = sources
        self.kinds = kinds
        self.from = from
        self.to = to
    }

    public var isEmpty: Bool {
        sources.isEmpty && kinds.isEmpty && from == nil && to == nil && types.isEmpty && numbers.isEmpty
            && issuers.isEmpty && signers.isEmpty && statuses.isEmpty && citing.isEmpty
    }
}

extension Filters {
    /// The official-text filter `name` ("type", "number", "issuer", "signer", "status",
    /// "cites", "amends", "replaces") with the value a person typed, as `name:value` in a
    /// query or as a URL parameter or flag: folded, a number made its key, a status checked.
    public mutating func add(_ name: String, _ value: String) throws(QueryError) {
        let folded = VietText.fold(value).trimmingSpaces
        switch name {
        case "type":
            let words = folded.replacingOccurrences(of: "-", with: " ")
            guard !words.isEmpty else { throw QueryError("type: needs a type, e.g. type:\"nghị định\" or type:nd") }
            types.append(OfficialTypes.type(named: words)?.folded ?? words)
        case "number":
            numbers.append(try Self.numberKey(value, field: name))
        case "issuer":
            if !folded.isEmpty { issuers.append(folded) }
        case "signer":
            if !folded.isEmpty { signers.append(folded) }
        case "status":
            guard let status = ValidityStatus(query: value) else {
                throw QueryError("unknown status '\(value)' in status:\(value) (use one of: \(ValidityStatus.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            statuses.append(status)
        case "cites", "amends", "replaces":
            citing.append(CitationFilter(relation: name == "cites" ? nil : name, key: try Self.numberKey(value, field: name)))
        default:
            throw QueryError("unknown filter '\(name)'")
        }
    }

    /// A whole number ("45/2010/NĐ-CP", any spelling) as its key, or a serial with its year
    /// ("45/2010") as the prefix of keys.
    static func numberKey(_ value: String, field: String) throws(QueryError) -> String {
        if let number = DocumentNumber.parse(value) { return number.key }
        if let (serial, year) = NumberQuery.serialAndYear(VietText.fold(value).trimmingSpaces), let year { return "\(serial)/\(year)/" }
        throw QueryError("'\(value)' in \(field):\(value) is not a document number (e.g. \(field):45/2010/NĐ-CP)")
    }
}

/// `cites:45/2010/NĐ-CP` (any relation) or `amends:...`, `replaces:...`.
public struct CitationFilter: Equatable, Sendable, Hashable {
    public var relation: String?
    public var key: String
}

/// Why a query cannot be run. `message` is a sentence for the person who typed it.
public struct QueryError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Sendable { case invalid, tooBroad }
    public var message: String
    /// `.tooBroad`: the query is valid but needs more work than a search may do (`SearchBudget`).
    public var kind: Kind = .invalid
    public init(_ message: String, kind: Kind = .invalid) { self.message = message; self.kind = kind }
    public var description: String { message }
}

public enum QueryParser {
    /// Longest query accepted, in Unicode scalars, as JSON Schema's maxLength counts them (a
    /// pasted paragraph fits; a pasted book does not). openapi.yaml states the same number, and
    /// with the filter limits of the HTTP API it keeps every valid URL under NIO's 80 KB
    /// request-head bound even when each character is percent-encoded as 12 bytes.
    public static let maxQueryCharacters = 1_500
    /// Most text clauses in one query.
    public static let maxTerms = 64
    /// Fewest letters before a "*" for it to mean a prefix.
    public static let minPrefixLength = 2
    /// Most prefixes ("hoa*") in one query: each one makes FTS5 merge the lists of every word
    /// it starts, so a query of fifty short prefixes is all the index read many times over.
    public static let maxPrefixes = 8

    public static func parse(_ input: String) throws(QueryError) -> Query {
        let characters = input.unicodeScalars.count
        if characters > maxQueryCharacters {
            throw QueryError("the query is too long (\(characters) characters; the limit is \(maxQueryCharacters))")
        }
        var parser = Parser(tokens: lex(joinDocumentNumbers(input)))
        let root = try parser.parseQuery()
        if parser.termCount > maxTerms {
            throw QueryError("the query has too many terms (\(parser.termCount); the limit is \(maxTerms))")
        }
        if parser.prefixCount > maxPrefixes {
            throw QueryError("the query has too many prefixes (\(parser.prefixCount) words ending in *; the limit is \(maxPrefixes))")
        }
        let query = Query(root: root, filters: parser.filters)
        if let root, root.positiveTerms.isEmpty {
            throw QueryError("the query only excludes words: add at least one word to search for")
        }
        return query
    }

    // MARK: Lexing

    enum Lexeme: Equatable {
        case word(String)
        case quoted(String)
        case field(String)     // "title:" and friends, lower case, colon dropped
        case minus             // "-" glued to the next word or quote
        case plus              // "+" glued to the next word or quote
        case open, close
        case or, and, not
    }

    static let fieldNames: Set<String> = [
        "title", "source", "kind", "from", "to", "year", "date",
        "type", "number", "issuer", "signer", "status", "cites", "amends", "replaces",
    ]

    static func lex(_ input: String) -> [Lexeme] {
        var result: [Lexeme] = []
        let scalars = Array(input.unicodeScalars)
        var i = 0
        func isSpace(_ s: Unicode.Scalar) -> Bool {
            s.properties.isWhitespace || s.value < 0x20 || (0x7F...0x9F).contains(s.value)
        }
        while i < scalars.count {
            let s = scalars[i]
            if isSpace(s) { i += 1; continue }
            switch s {
            case "(":
                result.append(.open); i += 1
            case ")":
                result.append(.close); i += 1
            case "\"", "“", "”", "„":
                // A quoted phrase runs to the next quote or to the end (unbalanced quotes).
                var j = i + 1
                while j < scalars.count, !["\"", "“", "”", "„"].contains(scalars[j]) { j += 1 }
                result.append(.quoted(String(String.UnicodeScalarView(scalars[(i + 1)..<j]))))
                i = min(j + 1, scalars.count)
            case "-" where i + 1 < scalars.count && !isSpace(scalars[i + 1]) && scalars[i + 1] != "-":
                // A minus glued to what follows, at the start of a term, excludes it.
                result.append(.minus); i += 1
            case "+" where i + 1 < scalars.count && !isSpace(scalars[i + 1]) && scalars[i + 1] != "+":
                // A plus glued to what follows requires it.
                result.append(.plus); i += 1
            default:
                var j = i
                while j < scalars.count, !isSpace(scalars[j]), !"()\"“”„".unicodeScalars.contains(scalars[j]) { j += 1 }
                let word = String(String.UnicodeScalarView(scalars[i..<j]))
                i = j
                if let colon = word.firstIndex(of: ":") {
                    let name = word[..<colon].lowercased()
                    if fieldNames.contains(name) {
                        result.append(.field(name))
                        let rest = String(word[word.index(after: colon)...])
                        if !rest.isEmpty { result.append(.word(rest)) }
                        continue
                    }
                }
                switch word {
                case "OR", "|", "||": result.append(.or)
                case "AND", "&&": result.append(.and)
                case "NOT": result.append(.not)
                default: result.append(.word(word))
                }
            }
        }
        return result
    }

    /// Joins the pieces of a document number typed with spaces: "45 / 2010 / NĐ - CP" ->
    /// "45/2010/NĐ-CP". A run of whitespace-separated pieces is joined when the pieces meet
    /// at "/" or "-" and the run contains a "/" and a digit (every official number does;
    /// "Hà Nội - Huế" does not, and stays three words).
    static func joinDocumentNumbers(_ input: String) -> String {
        guard input.contains("/") else { return input }
        let pieces = input.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        let connectors: Set<Character> = ["/", "-", "–"]
        func isNumberPiece(_ piece: String) -> Bool {
            piece.allSatisfy { $0.isLetter || $0.isNumber || connectors.contains($0) || $0 == "." }
        }
        var output: [String] = []
        var i = 0
        while i < pieces.count {
            var j = i
            var joined = pieces[i]
            while j + 1 < pieces.count, isNumberPiece(pieces[j]), isNumberPiece(pieces[j + 1]),
                  let last = pieces[j].last, let first = pieces[j + 1].first,
                  connectors.contains(last) || connectors.contains(first) {
                joined += pieces[j + 1]
                j += 1
            }
            if j > i, joined.contains("/"), joined.contains(where: \.isNumber) {
                output.append(joined)
                i = j + 1
            } else {
                output.append(pieces[i])
                i += 1
            }
        }
        return output.joined(separator: " ")
    }

    // MARK: Parsing

    struct Parser {
        var tokens: [Lexeme]
        var position = 0
        var filters = Filters()
        var termCount = 0
        var prefixCount = 0
        var depth = 0

        init(tokens: [Lexeme]) { self.tokens = tokens }

        var current: Lexeme? { position < tokens.count ? tokens[position] : nil }

        mutating func parseQuery() throws(QueryError) -> Clause? {
            let clause = try parseOr()
            // Stray closing parentheses: skip them and go on, so nothing typed is lost.
            while position < tokens.count {
                position += 1
                if let more = try parseOr() {
                    return simplify(.all([clause, more].compactMap { $0 }))
                }
            }
            return clause
        }

        /// or := and ("OR" and)*
        mutating func parseOr() throws(QueryError) -> Clause? {
            var alternatives: [Clause] = []
            if let first = try parseAnd() { alternatives.append(first) }
            while current == .or {
                position += 1
                if let next = try parseAnd() { alternatives.append(next) }
            }
            switch alternatives.count {
            case 0: return nil
            case 1: return alternatives[0]
            default: return .any(alternatives)
            }
        }

        /// and := unary+ (stops at OR, ")" or the end)
        mutating func parseAnd() throws(QueryError) -> Clause? {
            var clauses: [Clause] = []
            while let token = current, token != .or, token != .close {
                if let clause = try parseUnary() { clauses.append(clause) }
            }
            guard !clauses.isEmpty else { return nil }
            // Exclusions need something to exclude from; a group of only exclusions is kept
            // here and rejected by `parse` if the whole query has nothing positive.
            return simplify(.all(clauses))
        }

        mutating func parseUnary() throws(QueryError) -> Clause? {
            guard let token = current else { return nil }
            switch token {
            case .minus, .not:
                position += 1
                // "NOT" or "-" with nothing after it is ignored.
                guard let next = current, next != .or, next != .close else { return nil }
                return try parsePrimary().map { .excluded($0) }
            case .and:
                position += 1
                return nil
            case .plus:
                position += 1
                guard let next = current, next != .or, next != .close else { return nil }
                guard let clause = try parsePrimary() else { return nil }
                if case .text(var term) = clause {
                    term.isRequired = true
                    return .text(term)
                }
                return clause
            default:
                return try parsePrimary()
            }
        }

        mutating func parsePrimary() throws(QueryError) -> Clause? {
            guard let token = current else { return nil }
            position += 1
            switch token {
            case .open:
                depth += 1
                defer { depth -= 1 }
                if depth > 32 { throw QueryError("the query nests parentheses too deeply") }
                let inner = try parseOr()
                if current == .close { position += 1 }  // an unclosed group ends the query
                return inner
            case .close, .or, .and, .minus, .plus, .not:
                return nil
            case .quoted(let text):
                return makeText(text, isPhrase: true, column: nil)
            case .word(let word):
                return makeWord(word, column: nil)
            case .field(let name):
                return try parseField(name)
            }
        }

        mutating func parseField(_ name: String) throws(QueryError) -> Clause? {
            // The value is the next word or quoted string; "title:" with nothing is ignored.
            let value: String
            let quoted: Bool
            switch current {
            case .word(let word): value = word; quoted = false
            case .quoted(let text): value = text; quoted = true
            default: return nil
            }
            position += 1
            switch name {
            case "title":
                return quoted ? makeText(value, isPhrase: true, column: "title") : makeWord(value, column: "title")
            case "source":
                let folded = VietText.fold(value).trimmingSpaces
                if !folded.isEmpty { filters.sources.append(folded) }
            case "kind":
                let folded = VietText.fold(value).trimmingSpaces
                if !folded.isEmpty { filters.kinds.append(folded) }
            case "type", "number", "issuer", "signer", "status", "cites", "amends", "replaces":
                try filters.add(name, value)
            case "from":
                filters.from = try DateBound.parse(value, field: name)
            case "to":
                filters.to = try DateBound.parse(value, field: name)
            case "year":
                guard value.count == 4, value.allSatisfy(\.isASCIIDigit) else {
                    throw QueryError("invalid year '\(value)' in year:\(value) (use four digits, e.g. year:2024)")
                }
                filters.from = value
                filters.to = value
            default:  // date: a day, month or year
                let bound = try DateBound.parse(value, field: name)
                filters.from = bound
                filters.to = bound
            }
            return nil
        }

        mutating func makeWord(_ word: String, column: String?) -> Clause? {
            var text = Substring(word)
            var isPrefix = false
            if text.hasSuffix("*") {
                text = text.drop(while: { $0 == "*" })
                while text.hasSuffix("*") { text = text.dropLast() }
                // A prefix needs a few letters: "a*" would expand to half the vocabulary.
                isPrefix = VietText.fold(String(text)).filter { $0.isLetter || $0.isNumber }.count >= minPrefixLength
                    && Tokenizer.tokens(in: String(text)).last?.end == String(text).utf8.count
            }
            // A word with inner punctuation ("NĐ-CP", "45/2010") is a phrase of its parts.
            guard let clause = makeText(String(text), isPhrase: false, column: column) else { return nil }
            guard case .text(var term) = clause else { return clause }
            term.isPrefix = isPrefix
            term.isJoinedWord = term.isPhrase
            if isPrefix { prefixCount += 1 }
            return .text(term)
        }

        mutating func makeText(_ text: String, isPhrase: Bool, column: String?) -> Clause? {
            let tokens = Tokenizer.tokens(in: text)
            guard !tokens.isEmpty else { return nil }  // punctuation only: nothing to match
            termCount += 1
            // Keep only the tokens' text: what FTS5 sees is then exactly what we tokenized.
            let bytes = Array(text.utf8)
            let cleaned = tokens.map { String(decoding: bytes[$0.start..<$0.end], as: UTF8.self) }
                .joined(separator: " ")
            return .text(Term(text: cleaned, isPrefix: false, column: column,
                              isPhrase: isPhrase || tokens.count > 1))
        }

        func simplify(_ clause: Clause) -> Clause {
            if case .all(let clauses) = clause, clauses.count == 1 { return clauses[0] }
            return clause
        }
    }
}

/// Date bounds in filters: ISO prefixes compared as strings against "YYYY-MM-DD" dates.
enum DateBound {
    static func parse(_ value: String, field: String) throws(QueryError) -> String {
        let parts = value.split(separator: "-", omittingEmptySubsequences: false)
        let valid = (1...3).contains(parts.count)
            && parts[0].count == 4
            && parts.dropFirst().allSatisfy { $0.count == 2 }
            && parts.allSatisfy { $0.allSatisfy(\.isASCIIDigit) }
            && (parts.count < 2 || (1...12).contains(Int(parts[1]) ?? 0))
            && (parts.count < 3 || (1...31).contains(Int(parts[2]) ?? 0))
        guard valid else {
            throw QueryError("invalid date '\(value)' in \(field):\(value) (use YYYY, YYYY-MM or YYYY-MM-DD)")
        }
        return value
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

extension String {
    var trimmingSpaces: String {
        String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}
