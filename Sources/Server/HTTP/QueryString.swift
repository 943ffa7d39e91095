import Foundation

/// The parameters of a URL query (`a=1&b=x+y`), decoded as an HTML form sends them: `+` is a
/// space, `%XX` are UTF-8 bytes. Keeps repeated names in order.
///
/// Why not Hummingbird's `uri.queryParameters` (2.28): it leaves `+` as it is (the search form
/// sends "thanh+hoa"), does not decode names, and turns a malformed escape or invalid UTF-8
/// into a silently different value; here both are a 400 that names the parameter.
struct QueryString: Sendable {
    private(set) var pairs: [(name: String, value: String)] = []

    /// Parses `query` (without the `?`). Throws `APIError` for bytes that are not UTF-8 after
    /// decoding, or a malformed escape.
    init(_ query: String?) throws {
        guard let query, !query.isEmpty else { return }
        for part in query.split(separator: "&", omittingEmptySubsequences: true) {
            let (rawName, rawValue): (Substring, Substring)
            if let eq = part.firstIndex(of: "=") {
                rawName = part[..<eq]
                rawValue = part[part.index(after: eq)...]
            } else {
                rawName = part
                rawValue = ""
            }
            guard let name = Self.decode(rawName), let value = Self.decode(rawValue) else {
                throw APIError.badParameter("the query string is not valid: '\(String(part.prefix(80)))' has a malformed %-escape or is not UTF-8")
            }
            pairs.append((name, value))
        }
    }

    static func decode(_ s: Substring) -> String? { PercentEncoding.decode(s, plusIsSpace: true) }

    /// The last value of `name` (nil when absent).
    subscript(_ name: String) -> String? { pairs.last { $0.name == name }?.value }

    /// The value of a parameter that takes one value (nil when absent). Given twice with
    /// different values (`limit=5&limit=`) it is a 400 naming it: which one the user meant is
    /// not ours to guess, and openapi.yaml declares these parameters single-valued.
    func single(_ name: String) throws -> String? {
        let values = all(name)
        guard let first = values.first else { return nil }
        guard values.allSatisfy({ $0 == first }) else {
            throw APIError.badParameter("\(name) is given \(values.count) times with different values; give it once")
        }
        return first
    }

    /// Every value of `name`, in order.
    func all(_ name: String) -> [String] { pairs.filter { $0.name == name }.map(\.value) }

    var names: Set<String> { Set(pairs.map(\.name)) }

    /// An integer parameter within `range`; `fallback` when absent. Empty is refused, as
    /// openapi.yaml's `type: integer` refuses it (a flag's empty value is its default; a
    /// number's is not a number).
    func int(_ name: String, default fallback: Int, in range: ClosedRange<Int>) throws -> Int {
        guard let raw = try single(name) else { return fallback }
        guard let value = Int(raw.trimmingCharacters(in: .whitespaces)) else {
            throw APIError.badParameter("\(name) must be a whole number (got '\(String(raw.prefix(40)))')")
        }
        guard range.contains(value) else {
            throw APIError.badParameter("\(name) must be between \(range.lowerBound) and \(range.upperBound) (got \(value))")
        }
        return value
    }

    /// A flag: "1", "true", "yes", "on" or "0", "false", "no", "off" (any case); absent or empty
    /// is `fallback`.
    func bool(_ name: String, default fallback: Bool) throws -> Bool {
        // Exactly the values openapi.yaml's enum lists (lower case, untrimmed), so the server and
        // the spec agree on every request; empty means the default.
        guard let raw = try single(name), !raw.isEmpty else { return fallback }
        switch raw {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default: throw APIError.badParameter("\(name) must be true or false (got '\(String(raw.prefix(40)))')")
        }
    }
}
