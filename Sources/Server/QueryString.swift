import Foundation

/// The parameters of a URL query (`a=1&b=x+y`), decoded as an HTML form sends them: `+` is a
/// space, `%XX` are UTF-8 bytes. Keeps repeated names in order.
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

    /// Decodes one component; nil when an escape is malformed or the bytes are not UTF-8.
    static func decode(_ s: Substring) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(s.utf8.count)
        var it = s.utf8.makeIterator()
        while let c = it.next() {
            switch c {
            case UInt8(ascii: "+"): bytes.append(0x20)
            case UInt8(ascii: "%"):
                guard let h = it.next().flatMap(hexValue), let l = it.next().flatMap(hexValue) else { return nil }
                bytes.append(h << 4 | l)
            default: bytes.append(c)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// The last value of `name` (nil when absent).
    subscript(_ name: String) -> String? { pairs.last { $0.name == name }?.value }

    /// Every value of `name`, in order.
    func all(_ name: String) -> [String] { pairs.filter { $0.name == name }.map(\.value) }

    var names: Set<String> { Set(pairs.map(\.name)) }

    /// An integer parameter within `range`; `fallback` when absent or empty.
    func int(_ name: String, default fallback: Int, in range: ClosedRange<Int>) throws -> Int {
        guard let raw = self[name], !raw.isEmpty else { return fallback }
        guard let value = Int(raw.trimmingCharacters(in: .whitespaces)) else {
            throw APIError.badParameter("\(name) must be a whole number (got '\(String(raw.prefix(40)))')")
        }
        guard range.contains(value) else {
            throw APIError.badParameter("\(name) must be between \(range.lowerBound) and \(range.upperBound) (got \(value))")
        }
        return value
    }
}

/// Percent-encoding for building URLs in pages and headers.
enum URLEncoding {
    /// Unreserved characters (RFC 3986) stay; everything else is %XX (UTF-8).
    static func component(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                 UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(b))
            default:
                out += "%" + String(b, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }

    /// A form-encoded query string (`a=b&c=d`), spaces as `+`.
    static func query(_ pairs: [(String, String)]) -> String {
        pairs.map { component($0.0) + "=" + component($0.1).replacingOccurrences(of: "%20", with: "+") }
            .joined(separator: "&")
    }
}

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
