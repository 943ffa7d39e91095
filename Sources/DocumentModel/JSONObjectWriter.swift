/// Builds one compact JSON object with keys in the order they are added (Foundation's
/// JSONEncoder does not keep key order on Linux). Strings are written as UTF-8, with the
/// escapes JSON requires; the result never contains a raw newline, so it is a valid JSON line.
public struct JSONObjectWriter: Sendable {
    public private(set) var bytes: [UInt8] = [UInt8(ascii: "{")]
    private var first = true

    public init() {}

    private mutating func key(_ k: String) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        first = false
        Self.appendString(k, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
    }

    public mutating func add(_ k: String, _ value: String) {
        key(k); Self.appendString(value, to: &bytes)
    }

    /// Adds the string, or nothing when it is nil and `omitNil` (else `null`).
    public mutating func add(_ k: String, _ value: String?, omitNil: Bool) {
        if let value { add(k, value) } else if !omitNil { key(k); bytes.append(contentsOf: Array("null".utf8)) }
    }

    public mutating func add(_ k: String, _ value: Int) {
        key(k); bytes.append(contentsOf: Array(String(value).utf8))
    }

    public mutating func add(_ k: String, _ value: Int?, omitNil: Bool) {
        if let value { add(k, value) } else if !omitNil { key(k); bytes.append(contentsOf: Array("null".utf8)) }
    }

    public mutating func add(_ k: String, _ value: Double) {
        key(k)
        let s = value.isFinite ? String(value) : "null"
        bytes.append(contentsOf: Array(s.utf8))
    }

    public mutating func add(_ k: String, _ value: Bool) {
        key(k); bytes.append(contentsOf: Array((value ? "true" : "false").utf8))
    }

    /// A string-to-string object, keys sorted.
    public mutating func add(_ k: String, _ value: [String: String]) {
        key(k)
        var o = JSONObjectWriter()
        for name in value.keys.sorted() { o.add(name, value[name]!) }
        bytes.append(contentsOf: o.finish())
    }

    /// An already encoded JSON value (object, array, number...).
    public mutating func addRaw(_ k: String, _ json: [UInt8]) {
        key(k); bytes.append(contentsOf: json)
    }

    /// A JSON array of already encoded values.
    public mutating func addArray(_ k: String, _ elements: [[UInt8]]) {
        key(k)
        bytes.append(UInt8(ascii: "["))
        for (i, e) in elements.enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(contentsOf: e)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// The finished object (without a newline).
    public func finish() -> [UInt8] { bytes + [UInt8(ascii: "}")] }

    public func finishString() -> String { String(decoding: finish(), as: UTF8.self) }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// Writes `s` as a JSON string. Besides what JSON requires, the line separators outside
    /// ASCII are escaped too: U+0085 (NEL, which mis-decoded Windows-1252 text carries) and
    /// U+2028/U+2029. Readers that split lines the Unicode way (Python's `splitlines`) would
    /// otherwise cut a JSON Lines record in two.
    public static func appendString(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { bytes in
            var i = 0
            while i < bytes.count {
                let c = bytes[i]
                switch c {
                case UInt8(ascii: "\""): out.append(UInt8(ascii: "\\")); out.append(c)
                case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\")); out.append(c)
                case 0x0A: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "n"))
                case 0x0D: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "r"))
                case 0x09: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "t"))
                case 0..<0x20, 0x7F: appendEscape(UInt16(c), to: &out)
                case 0xC2 where i + 1 < bytes.count && bytes[i + 1] == 0x85:
                    appendEscape(0x85, to: &out)
                    i += 1
                case 0xE2 where i + 2 < bytes.count && bytes[i + 1] == 0x80 && (bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9):
                    appendEscape(0x2000 | UInt16(bytes[i + 2] - 0x80), to: &out)
                    i += 2
                default: out.append(c)
                }
                i += 1
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    private static func appendEscape(_ unit: UInt16, to out: inout [UInt8]) {
        out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"),
                                hex[Int(unit >> 12)], hex[Int((unit >> 8) & 15)], hex[Int((unit >> 4) & 15)], hex[Int(unit & 15)]])
    }
}
