import Foundation
import MultipartKit
import NIOCore

/// multipart/form-data bodies (RFC 7578), parsed by multipart-kit's `MultipartParser`; this
/// file only collects its callbacks into parts and reads each part's Content-Disposition.
struct FormPart {
    /// The `name` of the form field.
    var name: String
    /// The `filename` (or RFC 5987 `filename*`), for file fields.
    var fileName: String?
    /// The part's Content-Type, if given.
    var contentType: String?
    var body: [UInt8]
}

enum MultipartForm {
    struct Failure: Error { var message: String }

    /// The boundary parameter of a multipart Content-Type, nil when missing or too long.
    static func boundary(fromContentType contentType: String) -> String? {
        HeaderValue(contentType).parameters["boundary"].flatMap { $0.isEmpty || $0.utf8.count > 200 ? nil : $0 }
    }

    static func parse(_ body: [UInt8], boundary: String) throws(Failure) -> [FormPart] {
        let parser = MultipartParser(boundary: boundary)
        var parts: [FormPart] = []
        var headers: [(String, String)] = []
        var current: [UInt8] = []
        var open = false
        var failure: Failure?
        parser.onHeader = { name, value in
            open = true
            headers.append((name.lowercased(), value))
        }
        parser.onBody = { buffer in
            open = true
            current.append(contentsOf: buffer.readableBytesView)
        }
        parser.onPartComplete = {
            defer { headers = []; current = []; open = false }
            guard failure == nil else { return }
            guard let disposition = headers.first(where: { $0.0 == "content-disposition" })?.1 else {
                failure = Failure(message: "a multipart part has no Content-Disposition header"); return
            }
            let header = HeaderValue(disposition)
            guard header.value.lowercased() == "form-data", let name = header.parameters["name"] else {
                failure = Failure(message: "a multipart part is not a named form-data field (Content-Disposition: \(String(disposition.prefix(60))))")
                return
            }
            let fileName = header.parameters["filename*"].flatMap(decodeExtendedValue) ?? header.parameters["filename"]
            let type = headers.first(where: { $0.0 == "content-type" })?.1
            parts.append(FormPart(name: name, fileName: fileName, contentType: type, body: current))
        }
        do {
            try parser.execute(body)
        } catch {
            throw Failure(message: "the multipart body is malformed")
        }
        if let failure { throw failure }
        if open { throw Failure(message: "the multipart body is malformed (it ends inside a part)") }
        if parts.isEmpty { throw Failure(message: "the multipart body has no part (boundary '\(boundary)' not found)") }
        return parts
    }

    /// An RFC 5987 extended value: `UTF-8''percent-encoded`.
    static func decodeExtendedValue(_ value: String) -> String? {
        let pieces = value.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
        guard pieces.count == 3, pieces[0].lowercased() == "utf-8" else { return nil }
        return PercentEncoding.decode(pieces[2], plusIsSpace: false)
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
