// The zip container of the office formats (DOCX, ODT), read in memory with ZIPFoundation.
// Every byte read counts against one limit per package (zip bombs), both as declared in the
// central directory (checked before anything is inflated) and as actually inflated; entries
// are CRC-checked. Errors name the format ("not a valid ODT: ...").

import CLibXML2
import Foundation
import ZIPFoundation

struct ZipPackage {
    /// "DOCX", "ODT": how errors name the package.
    let format: String
    private let archive: Archive
    private let encrypted: Set<String>
    private var budget: ExpansionBudget

    init(_ bytes: [UInt8], format: String, maxUncompressedBytes: Int) throws(ExtractionError) {
        self.format = format
        do {
            archive = try Archive(data: Data(bytes), accessMode: .read)
        } catch {
            throw ExtractionError(.corrupt, "not a valid \(format): not a zip archive")
        }
        // ZIPFoundation does not list encrypted entries at all, so look for them first.
        encrypted = ZipDirectory.encryptedEntryNames(bytes)
        budget = ExpansionBudget(limit: maxUncompressedBytes, format: format)
    }

    /// The file entry at `path`; nil when absent. An encrypted entry is an error.
    func entry(_ path: String) throws(ExtractionError) -> Entry? {
        if encrypted.contains(path) { throw ExtractionError(.corrupt, "not a readable \(format): entry \(path) is encrypted") }
        return archive[path]
    }

    /// Refuses the package at once when the entries it will read declare more than the limit.
    func checkDeclaredSize(_ entries: [Entry?]) throws(ExtractionError) {
        var declared: UInt64 = 0
        for case let entry? in entries { declared &+= entry.uncompressedSize }
        guard declared <= UInt64(max(0, budget.limit)) else { throw budget.exceededError }
    }

    private struct BudgetExceeded: Error {}

    /// The inflated bytes of `entry`, CRC-checked, counted against the package's limit.
    mutating func read(_ entry: Entry) throws(ExtractionError) -> Data {
        guard entry.type == .file else { throw ExtractionError(.corrupt, "not a valid \(format): \(entry.path) is not a file") }
        var data = Data()
        var used = budget.used
        let limit = budget.limit
        let checksum: CRC32
        do {
            checksum = try archive.extract(entry, bufferSize: 64 * 1024, skipCRC32: false) { chunk in
                used += chunk.count
                if used > limit { throw BudgetExceeded() }
                data.append(chunk)
            }
        } catch is BudgetExceeded {
            throw budget.exceededError
        } catch {
            throw ExtractionError(.corrupt, "not a valid \(format): entry \(entry.path) is corrupt or encrypted (\(error))")
        }
        budget.used = used
        guard checksum == entry.checksum else {
            throw ExtractionError(.corrupt, "not a valid \(format): entry \(entry.path) is corrupt (CRC-32 mismatch)")
        }
        return data
    }

    /// Counts inflated bytes across all entries read from one package.
    struct ExpansionBudget {
        var limit: Int
        var format: String
        var used = 0

        var exceededError: ExtractionError {
            ExtractionError(.tooLarge, "\(format) expands beyond the \(Self.describe(limit)) limit (zip bomb?)")
        }

        static func describe(_ bytes: Int) -> String {
            let mb = 1024 * 1024
            if bytes >= mb && bytes % mb == 0 { return "\(bytes / mb) MB" }
            if bytes >= 1024 && bytes % 1024 == 0 { return "\(bytes / 1024) KB" }
            return "\(bytes) bytes"
        }
    }
}

/// Parsing one XML part of a package (libxml2, no network, no entity expansion).
enum PackageXML {
    static let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue
        | XML_PARSE_NOWARNING.rawValue | XML_PARSE_COMPACT.rawValue)

    /// Parses one XML part and hands its root element to `body`; the document is freed after.
    /// `format` names the package in errors.
    static func withParsed<T>(_ data: Data, part: String, format: String,
                              _ body: (xmlNodePtr) -> T) throws(ExtractionError) -> T {
        LibXML.ensureInitialised()
        guard data.count <= Int(Int32.max) else { throw ExtractionError(.tooLarge, "not a valid \(format): \(part) is larger than 2 GB") }
        guard let ctxt = xmlNewParserCtxt() else { throw ExtractionError(.failed, "out of memory parsing \(part)") }
        defer { xmlFreeParserCtxt(ctxt) }
        let doc: xmlDocPtr? = data.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return nil }
            return xmlCtxtReadMemory(ctxt, base.assumingMemoryBound(to: CChar.self), Int32(raw.count),
                                     part, nil, options)
        }
        guard let doc, let root = xmlDocGetRootElement(doc) else {
            let error = ctxt.pointee.lastError
            var detail = error.message.map { String(cString: $0).trimmingASCIIWhitespace() } ?? "empty or unreadable"
            if error.line > 0 { detail = "line \(error.line): " + detail }
            if let doc { xmlFreeDoc(doc) }
            throw ExtractionError(.corrupt, "not a valid \(format): \(part) is not well-formed XML (\(detail))")
        }
        defer { xmlFreeDoc(doc) }
        return body(root)
    }
}

/// Just enough of the zip central directory to see which entries are encrypted (general
/// purpose flag bit 0), which ZIPFoundation does not expose.
enum ZipDirectory {
    static func encryptedEntryNames(_ bytes: [UInt8]) -> Set<String> {
        let n = bytes.count
        func u16(_ i: Int) -> Int { Int(bytes[i]) | Int(bytes[i + 1]) << 8 }
        func u32(_ i: Int) -> Int { u16(i) | u16(i + 2) << 16 }
        guard n >= 22 else { return [] }
        // End of central directory record: signature PK\5\6, searched backwards past a comment.
        var eocd = -1
        var i = n - 22
        let lowest = max(0, n - 22 - 65535)
        while i >= lowest {
            if bytes[i] == 0x50, bytes[i + 1] == 0x4B, bytes[i + 2] == 0x05, bytes[i + 3] == 0x06 {
                eocd = i
                break
            }
            i -= 1
        }
        guard eocd >= 0 else { return [] }
        let count = u16(eocd + 10)
        var offset = u32(eocd + 16)
        guard offset != 0xFFFF_FFFF, offset < n else { return [] }
        var names: Set<String> = []
        for _ in 0..<count {
            guard offset + 46 <= n, u32(offset) == 0x0201_4B50 else { break }
            let flags = u16(offset + 8)
            let nameLength = u16(offset + 28)
            let extraLength = u16(offset + 30)
            let commentLength = u16(offset + 32)
            guard offset + 46 + nameLength <= n else { break }
            if flags & 1 != 0 {
                names.insert(String(decoding: bytes[(offset + 46)..<(offset + 46 + nameLength)], as: UTF8.self))
            }
            offset += 46 + nameLength + extraLength + commentLength
        }
        return names
    }

    /// The media type an OpenDocument package declares in its first entry, "mimetype" stored
    /// uncompressed (ODF 1.2 part 3, 3.3), read from the local header; nil when the zip does
    /// not start that way.
    static func openDocumentMediaType(_ bytes: [UInt8]) -> String? {
        func u16(_ i: Int) -> Int { Int(bytes[i]) | Int(bytes[i + 1]) << 8 }
        guard bytes.count >= 30, bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) else { return nil }
        let method = u16(8), nameLength = u16(26), extraLength = u16(28)
        let nameStart = 30
        guard method == 0, nameLength == 8, bytes.count >= nameStart + nameLength,
              Array(bytes[nameStart..<(nameStart + 8)]) == Array("mimetype".utf8) else { return nil }
        let size = Int(bytes[18]) | Int(bytes[19]) << 8 | Int(bytes[20]) << 16 | Int(bytes[21]) << 24
        let start = nameStart + nameLength + extraLength
        guard size > 0, size <= 200, bytes.count >= start + size else { return nil }
        return String(decoding: bytes[start..<(start + size)], as: UTF8.self)
    }
}
