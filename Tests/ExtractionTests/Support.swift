// Shared test helpers: the seed documents, and builders for DOCX and PDF inputs so that no
// binary fixture has to be committed.

import Foundation
import Testing
import ZIPFoundation
@testable import Extraction

enum Seeds {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/seeds")

    static let names: [String] = [
        "000_7484bf1c60568527.txt", "001_f06a74d7aed0fe0b.txt", "002_c131465e5c03bbba.txt",
        "003_4860862a9c49c086.txt", "004_78017ee27995344c.txt",
    ]

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    static func text(_ name: String) throws -> String {
        String(decoding: try bytes(name), as: UTF8.self)
    }

    /// The seed's non-empty lines, whitespace collapsed.
    static func paragraphs(_ name: String) throws -> [String] {
        try text(name).split(separator: "\n").map { TextCleanup.collapseWhitespace($0) }.filter { !$0.isEmpty }
    }
}

/// Runs an extraction that is expected to fail and returns its reason.
func extractionFailure(_ bytes: [UInt8], fileName: String?, mediaType: String? = nil,
                       extractor: Extractor = Extractor()) -> String? {
    do {
        let doc = try extractor.extract(bytes, fileName: fileName, mediaType: mediaType)
        Issue.record("expected an error, got \(doc.mediaType) text: \(doc.text.prefix(80))")
        return nil
    } catch {
        return error.reason
    }
}

func utf8(_ s: String) -> [UInt8] { Array(s.utf8) }

func escapeXML(_ s: String) -> String {
    s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
}

// MARK: - Zip / DOCX

enum Zip {
    /// An in-memory zip with the given entries (deflated).
    static func make(_ entries: [(path: String, data: [UInt8])], compress: Bool = true) throws -> [UInt8] {
        let archive = try Archive(data: Data(), accessMode: .create)
        for entry in entries {
            let data = Data(entry.data)
            try archive.addEntry(with: entry.path, type: .file, uncompressedSize: Int64(data.count),
                                 compressionMethod: compress ? .deflate : .none) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return [UInt8](archive.data ?? Data())
    }

    /// A zip whose one entry is `size` zero bytes, produced chunk by chunk.
    static func zeros(path: String, size: Int) throws -> [UInt8] {
        let archive = try Archive(data: Data(), accessMode: .create)
        try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(size), compressionMethod: .deflate,
                             bufferSize: 1 << 20) { _, chunk in Data(count: chunk) }
        return [UInt8](archive.data ?? Data())
    }

    static func u32(_ b: [UInt8], _ i: Int) -> UInt32 {
        UInt32(b[i]) | UInt32(b[i + 1]) << 8 | UInt32(b[i + 2]) << 16 | UInt32(b[i + 3]) << 24
    }

    static func put32(_ b: inout [UInt8], _ i: Int, _ v: UInt32) {
        for k in 0..<4 { b[i + k] = UInt8((v >> (8 * UInt32(k))) & 0xFF) }
    }

    /// Offsets of the local header and central directory header of entry `path`.
    static func headers(_ b: [UInt8], path: String) -> (local: Int, central: Int)? {
        let name = Array(path.utf8)
        var local: Int?
        var central: Int?
        var i = 0
        while i + 46 < b.count {
            if u32(b, i) == 0x0403_4B50 {
                let n = Int(b[i + 26]) | Int(b[i + 27]) << 8
                if i + 30 + n <= b.count, Array(b[(i + 30)..<(i + 30 + n)]) == name { local = i }
            } else if u32(b, i) == 0x0201_4B50 {
                let n = Int(b[i + 28]) | Int(b[i + 29]) << 8
                if i + 46 + n <= b.count, Array(b[(i + 46)..<(i + 46 + n)]) == name { central = i }
            }
            i += 1
        }
        guard let local, let central else { return nil }
        return (local, central)
    }
}

enum DOCX {
    static let w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

    static let contentTypes = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
        <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
        <Default Extension="xml" ContentType="application/xml"/>\
        <Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>\
        <Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>\
        </Types>
        """

    static let rels = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>\
        </Relationships>
        """

    /// `body` is the content of <w:body>.
    static func documentXML(_ body: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <w:document xmlns:w="\(w)" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" \
        xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" \
        xmlns:v="urn:schemas-microsoft-com:vml"><w:body>\(body)<w:sectPr/></w:body></w:document>
        """
    }

    static func paragraph(_ text: String) -> String {
        "<w:p><w:pPr><w:pStyle w:val=\"Normal\"/><w:tabs><w:tab w:val=\"left\" w:pos=\"720\"/></w:tabs></w:pPr>"
            + "<w:r><w:rPr><w:b/></w:rPr><w:t xml:space=\"preserve\">\(escapeXML(text))</w:t></w:r></w:p>"
    }

    /// A paragraph in the style `style` (a style id).
    static func paragraph(_ text: String, style: String) -> String {
        "<w:p><w:pPr><w:pStyle w:val=\"\(style)\"/></w:pPr><w:r><w:t>\(escapeXML(text))</w:t></w:r></w:p>"
    }

    /// word/styles.xml with paragraph styles given as (id, name, outline level).
    static func stylesXML(_ styles: [(id: String, name: String, outline: Int?)]) -> String {
        let body = styles.map { s in
            "<w:style w:type=\"paragraph\" w:styleId=\"\(s.id)\"><w:name w:val=\"\(s.name)\"/>"
                + (s.outline.map { "<w:pPr><w:outlineLvl w:val=\"\($0)\"/></w:pPr>" } ?? "") + "</w:style>"
        }.joined()
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:styles xmlns:w=\"\(w)\">\(body)</w:styles>"
    }

    static func coreXML(title: String?, creator: String?, created: String?) -> String {
        var props = ""
        if let title { props += "<dc:title>\(escapeXML(title))</dc:title>" }
        if let creator { props += "<dc:creator>\(escapeXML(creator))</dc:creator>" }
        if let created { props += "<dcterms:created xsi:type=\"dcterms:W3CDTF\">\(created)</dcterms:created>" }
        return """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" \
            xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" \
            xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\(props)</cp:coreProperties>
            """
    }

    static func make(body: String, core: String? = nil, styles: String? = nil) throws -> [UInt8] {
        var entries: [(path: String, data: [UInt8])] = [
            ("[Content_Types].xml", utf8(contentTypes)),
            ("_rels/.rels", utf8(rels)),
            ("word/document.xml", utf8(documentXML(body))),
        ]
        if let core { entries.append(("docProps/core.xml", utf8(core))) }
        if let styles { entries.append(("word/styles.xml", utf8(styles))) }
        return try Zip.make(entries)
    }
}

// MARK: - PDF

enum PDF {
    static var pdftotextAvailable: Bool { Executables.find("pdftotext") != nil }

    /// A one-page PDF. Each line is drawn with a simple font whose ToUnicode CMap maps the
    /// byte codes we choose back to the Vietnamese characters, so `pdftotext` can read them.
    /// With no lines, the page only strokes a rectangle: a PDF without a text layer.
    static func make(lines: [String], title: String? = nil) -> [UInt8] {
        make(pages: [lines], title: title, blankWhenEmpty: false)
    }

    /// A PDF of several pages, each with its lines; a page without lines is white (no ink at
    /// all), as a scanner's empty page after its cleaning.
    static func make(pages: [[String]], title: String? = nil, blankWhenEmpty: Bool = true) -> [UInt8] {
        var codes: [Unicode.Scalar: UInt8] = [:]
        var next: UInt8 = 0x80
        var contents: [String] = []
        for lines in pages {
        var content = ""
        if lines.isEmpty {
            content = blankWhenEmpty ? "" : "0.5 w 72 72 m 300 72 l 300 300 l 72 300 l h S\n"
        } else {
            content = "BT /F1 12 Tf 72 720 Td 16 TL\n"
            for line in lines {
                var hex = ""
                for s in line.unicodeScalars {
                    let code: UInt8
                    if s.isASCII, s.value >= 0x20 {
                        code = UInt8(s.value)
                    } else if let c = codes[s] {
                        code = c
                    } else {
                        code = next
                        codes[s] = next
                        next += 1
                    }
                    hex += String(format: "%02X", code)
                }
                content += "<\(hex)> Tj T*\n"
            }
            content += "ET\n"
        }
        contents.append(content)
        }
        var cmap = """
            /CIDInit /ProcSet findresource begin 12 dict begin begincmap
            /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
            /CMapName /Adobe-Identity-UCS def /CMapType 2 def
            1 begincodespacerange <00> <FF> endcodespacerange
            1 beginbfrange <20> <7E> <0020> endbfrange

            """
        let mapped = codes.sorted { $0.value < $1.value }
        if !mapped.isEmpty {
            cmap += "\(mapped.count) beginbfchar\n"
            for (scalar, code) in mapped {
                cmap += String(format: "<%02X> <%04X>\n", code, scalar.value)
            }
            cmap += "endbfchar\n"
        }
        cmap += "endcmap CMapName currentdict /CMap defineresource pop end end\n"

        // Objects: 1 catalog, 2 pages, 3 font, 4 its CMap, then a page and its content per page.
        let kids = contents.indices.map { "\(5 + 2 * $0) 0 R" }.joined(separator: " ")
        var objects: [String] = [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [\(kids)] /Count \(contents.count) >>",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 4 0 R >>",
            "<< /Length \(cmap.utf8.count) >>\nstream\n\(cmap)endstream",
        ]
        for (k, content) in contents.enumerated() {
            objects.append("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents \(6 + 2 * k) 0 R /Resources << /Font << /F1 3 0 R >> >> >>")
            objects.append("<< /Length \(content.utf8.count) >>\nstream\n\(content)endstream")
        }
        if let title {
            let utf16 = title.utf16.map { String(format: "%04X", $0) }.joined()
            objects.append("<< /Title <FEFF\(utf16)> /Producer (VanBan tests) >>")
        }
        var out = "%PDF-1.4\n%\u{E2}\u{E3}\u{CF}\u{D3}\n"
        var bytes = Array(out.utf8)
        var offsets: [Int] = []
        for (i, body) in objects.enumerated() {
            offsets.append(bytes.count)
            bytes += Array("\(i + 1) 0 obj\n\(body)\nendobj\n".utf8)
        }
        let xref = bytes.count
        out = "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for offset in offsets { out += String(format: "%010d 00000 n \n", offset) }
        out += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R\(title != nil ? " /Info \(objects.count) 0 R" : "") >>\n"
        out += "startxref\n\(xref)\n%%EOF\n"
        bytes += Array(out.utf8)
        return bytes
    }
}

// MARK: - OLE2 compound files

enum CFB {
    /// A version-3 compound file (512-byte sectors) holding `streams` under its root, all in
    /// regular sectors (the mini-stream cutoff is 0); enough for the reader's container logic.
    static func make(_ streams: [(name: String, data: [UInt8])]) -> [UInt8] {
        let sector = 512
        let dirSectors = (128 * (streams.count + 1) + sector - 1) / sector
        var dataSectors: [[Int]] = []
        var next = 1 + dirSectors
        for s in streams {
            let n = max(1, (s.data.count + sector - 1) / sector)
            dataSectors.append(Array(next..<(next + n)))
            next += n
        }
        precondition(next <= 128, "test compound files fit one FAT sector")
        func put32(_ b: inout [UInt8], _ i: Int, _ v: UInt32) { for k in 0..<4 { b[i + k] = UInt8((v >> (8 * UInt32(k))) & 0xFF) } }
        func put16(_ b: inout [UInt8], _ i: Int, _ v: UInt16) { b[i] = UInt8(v & 0xFF); b[i + 1] = UInt8(v >> 8) }
        var header = [UInt8](repeating: 0, count: sector)
        header.replaceSubrange(0..<8, with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
        put16(&header, 0x18, 0x3E); put16(&header, 0x1A, 3); put16(&header, 0x1C, 0xFFFE)
        put16(&header, 0x1E, 9); put16(&header, 0x20, 6)
        put32(&header, 0x2C, 1)            // one FAT sector
        put32(&header, 0x30, 1)            // directory starts at sector 1
        put32(&header, 0x38, 0)            // mini-stream cutoff: none
        put32(&header, 0x3C, 0xFFFF_FFFE); put32(&header, 0x44, 0xFFFF_FFFE)
        for k in 0..<109 { put32(&header, 0x4C + 4 * k, k == 0 ? 0 : 0xFFFF_FFFF) }
        var fat = [UInt8](repeating: 0xFF, count: sector)
        put32(&fat, 0, 0xFFFF_FFFD)
        for k in 0..<dirSectors { put32(&fat, 4 * (1 + k), k == dirSectors - 1 ? 0xFFFF_FFFE : UInt32(2 + k)) }
        for chain in dataSectors {
            for (k, s) in chain.enumerated() { put32(&fat, 4 * s, k == chain.count - 1 ? 0xFFFF_FFFE : UInt32(chain[k + 1])) }
        }
        var directory = [UInt8](repeating: 0, count: dirSectors * sector)
        func entry(_ k: Int, name: String, type: UInt8, child: UInt32, right: UInt32, start: UInt32, size: Int) {
            let base = 128 * k
            let units = Array(name.utf16)
            for (i, u) in units.enumerated() { put16(&directory, base + 2 * i, u) }
            put16(&directory, base + 0x40, UInt16(2 * units.count + 2))
            directory[base + 0x42] = type
            directory[base + 0x43] = 1
            put32(&directory, base + 0x44, 0xFFFF_FFFF)
            put32(&directory, base + 0x48, right)
            put32(&directory, base + 0x4C, child)
            put32(&directory, base + 0x74, start)
            put32(&directory, base + 0x78, UInt32(size))
        }
        entry(0, name: "Root Entry", type: 5, child: streams.isEmpty ? 0xFFFF_FFFF : 1, right: 0xFFFF_FFFF, start: 0xFFFF_FFFE, size: 0)
        for (k, s) in streams.enumerated() {
            entry(k + 1, name: s.name, type: 2, child: 0xFFFF_FFFF, right: k + 1 < streams.count ? UInt32(k + 2) : 0xFFFF_FFFF,
                  start: UInt32(dataSectors[k][0]), size: s.data.count)
        }
        var out = header + fat + directory
        for s in streams {
            var data = s.data
            let padded = max(1, (data.count + sector - 1) / sector) * sector
            data += [UInt8](repeating: 0, count: padded - data.count)
            out += data
        }
        return out
    }
}

enum FormatFixtures {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/formats")

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
    }
}
