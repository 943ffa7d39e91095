import Foundation

/// A minimal multipart/form-data parser (RFC 7578) for uploads: the whole body is in memory.
struct MultipartPart {
    /// The `name` of the form field.
    var name: String
    /// The `filename`, for file fields.
    var fileName: String?
    /// The part's Content-Type, if given.
    var contentType: String?
    var body: ArraySlice<UInt8>
}

enum Multipart {
    struct Failure: Error { var message: String }

    /// The boundary parameter of a multipart Content-Type, nil when missing.
    static func boundary(fromContentType contentType: String) -> String? {
        HeaderValue(contentType).parameters["boundary"].flatMap { $0.isEmpty || $0.utf8.count > 200 ? nil : $0 }
    }

    static func parse(_ body: [UInt8], boundary: String) throws(Failure) -> [MultipartPart] {
        let delimiter = Array(("--" + boundary).utf8)
        guard var position = find(delimiter, in: body, from: 0) else {
            throw Failure(message: "the multipart body has no part (boundary '\(boundary)' not found)")
        }
        var parts: [MultipartPart] = []
        while true {
            position += delimiter.count
            // "--" after a delimiter closes the body.
            if body.count >= position + 2 && body[position] == 0x2D && body[position + 1] == 0x2D { return parts }
            // Skip transport padding and the line break after the delimiter.
            while position < body.count && (body[position] == 0x20 || body[position] == 0x09) { position += 1 }
            guard position + 1 < body.count, body[position] == 0x0D, body[position + 1] == 0x0A else {
                throw Failure(message: "the multipart body is malformed (no line break after a boundary)")
            }
            position += 2
            // Headers up to an empty line.
            guard let headerEnd = find([0x0D, 0x0A, 0x0D, 0x0A], in: body, from: position - 2) else {
                throw Failure(message: "the multipart body is malformed (a part has no end of headers)")
            }
            let headerBytes = headerEnd >= position ? Array(body[position..<headerEnd]) : []
            guard let headerText = String(validating: headerBytes, as: UTF8.self) else {
                throw Failure(message: "a multipart part has headers that are not UTF-8")
            }
            var name: String?
            var fileName: String?
            var contentType: String?
            for line in headerText.split(separator: "\r\n", omittingEmptySubsequences: true) {
                guard let colon = line.firstIndex(of: ":") else { continue }
                let field = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
                let value = String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
                if field == "content-disposition" {
                    let header = HeaderValue(value)
                    guard header.value.lowercased() == "form-data" else {
                        throw Failure(message: "a multipart part is not form-data (Content-Disposition: \(String(value.prefix(60))))")
                    }
                    name = header.parameters["name"]
                    fileName = header.parameters["filename*"].flatMap(decodeExtendedValue) ?? header.parameters["filename"]
                } else if field == "content-type" {
                    contentType = value
                }
            }
            guard let name else { throw Failure(message: "a multipart part has no Content-Disposition name") }
            let bodyStart = headerEnd + 4
            let closing = Array("\r\n".utf8) + delimiter
            // A delimiter counts only when "--" or (optional blanks and) a line break follows.
            var searchFrom = bodyStart
            var found: Int?
            while let candidate = find(closing, in: body, from: searchFrom) {
                var k = candidate + closing.count
                if k + 1 < body.count && body[k] == 0x2D && body[k + 1] == 0x2D { found = candidate; break }
                while k < body.count && (body[k] == 0x20 || body[k] == 0x09) { k += 1 }
                if k + 1 < body.count && body[k] == 0x0D && body[k + 1] == 0x0A { found = candidate; break }
                searchFrom = candidate + 1
            }
            guard let next = found else {
                throw Failure(message: "the multipart body is truncated (the part '\(name)' has no closing boundary)")
            }
            parts.append(MultipartPart(name: name, fileName: fileName, contentType: contentType, body: body[bodyStart..<next]))
            position = next + 2
        }
    }

    /// RFC 5987 `UTF-8''%E1%BA%A1...`.
    static func decodeExtendedValue(_ value: String) -> String? {
        let pieces = value.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
        guard pieces.count == 3, pieces[0].lowercased() == "utf-8" else { return nil }
        return PathDecoding.decode(pieces[2])
    }

    /// First index of `needle` in `haystack` at or after `start`.
    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
        let first = needle[0]
        var i = max(0, start)
        let last = haystack.count - needle.count
        return haystack.withUnsafeBufferPointer { h in
            needle.withUnsafeBufferPointer { n in
                while i <= last {
                    if h[i] == first {
                        var k = 1
                        while k < n.count && h[i + k] == n[k] { k += 1 }
                        if k == n.count { return i }
                    }
                    i += 1
                }
                return nil
            }
        }
    }
}

/// A header value with parameters: `form-data; name="file"; filename="a.txt"`.
struct HeaderValue {
    var value: String
    var parameters: [String: String] = [:]

    init(_ header: String) {
        var fields: [String] = []
        var current = ""
        var quoted = false
        var escaped = false
        for c in header {
            if escaped { current.append(c); escaped = false; continue }
            if quoted && c == "\\" { escaped = true; current.append(c); continue }
            if c == "\"" { quoted.toggle() }
            if c == ";" && !quoted { fields.append(current); current = ""; continue }
            current.append(c)
        }
        fields.append(current)
        value = fields[0].trimmingCharacters(in: .whitespaces)
        for field in fields.dropFirst() {
            guard let eq = field.firstIndex(of: "=") else { continue }
            let key = field[..<eq].trimmingCharacters(in: .whitespaces).lowercased()
            var v = field[field.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            if v.count >= 2 && v.hasPrefix("\"") && v.hasSuffix("\"") {
                v = String(v.dropFirst().dropLast())
                var unescaped = ""
                var escape = false
                for c in v {
                    if escape { unescaped.append(c); escape = false } else if c == "\\" { escape = true } else { unescaped.append(c) }
                }
                v = unescaped
            }
            parameters[key] = v
        }
    }

    /// The media type without parameters, lower case ("text/html").
    var mediaType: String { value.lowercased() }
}

/// Percent-decoding of path segments (no `+` for space, unlike form data).
enum PathDecoding {
    static func decode(_ s: Substring) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(s.utf8.count)
        var it = s.utf8.makeIterator()
        while let c = it.next() {
            if c == UInt8(ascii: "%") {
                guard let h = it.next().flatMap(hex), let l = it.next().flatMap(hex) else { return nil }
                bytes.append(h << 4 | l)
            } else {
                bytes.append(c)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hex(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
