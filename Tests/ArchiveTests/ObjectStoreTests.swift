import Foundation
import Testing
import ZIPFoundation
@testable import Archive

@Suite struct ObjectStoreTests {
    @Test func putStoresGzipUnderTheContentHash() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let store = ObjectStore(archive: dir.url)
        try store.createDirectories()
        for seed in try Fixtures.seedFiles() {
            let bytes = try Fixtures.bytes(seed)
            let r = try store.put(bytes)
            #expect(r.isNew)
            #expect(r.hash == ContentHash.sha256Hex(bytes))
            #expect(ContentHash.isLowerHex(r.hash, count: 64))
            let path = store.path(for: r.hash)
            #expect(path == dir.path + "/objects/\(r.hash.prefix(2))/\(r.hash.dropFirst(2)).gz")
            #expect(POSIX.fileSize(path) == r.storedSize)
            #expect(try zcat(path) == bytes, "zcat of \(seed.lastPathComponent)'s object is the original")
            #expect(try store.bytes(r.hash) == bytes)
        }
    }

    @Test func sameBytesSameObjectNoRewrite() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let store = ObjectStore(archive: dir.url)
        try store.createDirectories()
        let bytes = Array("Chương trình phối hợp".utf8)
        let first = try store.put(bytes)
        let path = store.path(for: first.hash)
        let before = try FileManager.default.attributesOfItem(atPath: path)
        let second = try store.put(bytes)
        #expect(first.isNew && !second.isNew)
        #expect(first.hash == second.hash && first.storedSize == second.storedSize)
        let after = try FileManager.default.attributesOfItem(atPath: path)
        #expect(before[.systemFileNumber] as? Int == after[.systemFileNumber] as? Int, "same inode: not rewritten")
        #expect(before[.modificationDate] as? Date == after[.modificationDate] as? Date)
        let objects = try FileManager.default.subpathsOfDirectory(atPath: dir.path + "/objects").filter { $0.hasSuffix(".gz") }
        #expect(objects.count == 1)
    }

    /// The original bytes of non-text formats come back byte for byte (the store does not care
    /// what the bytes are; extraction is tested in ExtractionTests).
    @Test func binaryFormatsRoundTripByteForByte() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let store = ObjectStore(archive: dir.url)
        try store.createDirectories()
        var samples: [(String, [UInt8])] = []
        let html = "\u{FEFF}<!DOCTYPE html>\r\n<html><head><meta charset=\"utf-8\"><title>Chương trình phối hợp</title>"
            + "<style>p{color:red}</style></head>\r\n<body><p>Thanh Hóa &amp; Thanh Hoá</p><script>var x=1;</script></body></html>\r\n"
        samples.append(("page.html", Array(html.utf8)))
        samples.append(("doc.docx", try makeDOCX(paragraphs: ["CHƯƠNG TRÌNH PHỐI HỢP", "Căn cứ Nghị định số 45/2010/NĐ-CP"])))
        samples.append(("doc.pdf", makePDF(text: "Nghi dinh 45/2010/ND-CP")))
        var allBytes = [UInt8](); for b in 0...255 { allBytes.append(UInt8(b)) }
        samples.append(("bytes.bin", allBytes + allBytes.reversed()))
        for (name, bytes) in samples {
            let r = try store.put(bytes)
            #expect(try zcat(store.path(for: r.hash)) == bytes, "zcat round trip of \(name)")
            #expect(try store.bytes(r.hash) == bytes, "ObjectStore round trip of \(name)")
        }
        #expect(samples[1].1.starts(with: [0x50, 0x4B, 0x03, 0x04]), "the DOCX sample is a real zip")
    }

    @Test func bytesDetectsCorruptionAndMissingObjects() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let store = ObjectStore(archive: dir.url)
        try store.createDirectories()
        let original = Array(String(repeating: "Hiệp hội Doanh nghiệp tỉnh Thanh Hóa. ", count: 200).utf8)
        let r = try store.put(original)
        // Replace the object by a valid gzip of other bytes: only the hash check can see it.
        let path = store.path(for: r.hash)
        chmod(path, 0o644)
        try Data(Gzip.compress(Array("something else".utf8))).write(to: URL(fileURLWithPath: path))
        #expect(throws: ArchiveError.self) { try store.bytes(r.hash) }
        do { _ = try store.bytes(r.hash) } catch { #expect(error.message.contains("hash mismatch"), "\(error)") }
        try FileManager.default.removeItem(atPath: path)
        do { _ = try store.bytes(r.hash) } catch { #expect(error.message.contains("missing"), "\(error)") }
    }

    @Test(arguments: ObjectStore.Durability.allCases)
    func batchCommitRenamesIntoPlaceAndLeavesNoTemps(durability: ObjectStore.Durability) throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let store = ObjectStore(archive: dir.url)
        try store.createDirectories()
        let docs = (0..<50).map { Array("Văn bản số \($0)/2024/NĐ-CP".utf8) }
        let batch = store.batch(durability: durability)
        var hashes: [String] = []
        for d in docs {
            let h = ContentHash.sha256Hex(d)
            hashes.append(h)
            #expect(try batch.add(hash: h, compressed: Gzip.compress(d)) != nil)
            #expect(!store.contains(h), "not visible before commit")
        }
        try batch.commit()
        for (h, d) in zip(hashes, docs) { #expect(try store.bytes(h) == d) }
        let leftovers = try FileManager.default.subpathsOfDirectory(atPath: dir.path + "/objects").filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty)
        // An abandoned batch removes its temp files.
        let other = store.batch(durability: durability)
        _ = try other.add(hash: ContentHash.sha256Hex([1, 2, 3]), compressed: Gzip.compress([1, 2, 3]))
        other.abandon()
        #expect(try FileManager.default.subpathsOfDirectory(atPath: dir.path + "/objects").filter { $0.contains(".tmp-") }.isEmpty)
        #expect(!store.contains(ContentHash.sha256Hex([1, 2, 3])))
    }

    @Test func documentIDs() {
        let hash = ContentHash.sha256Hex(Array("abc".utf8))
        #expect(hash == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(ContentHash.documentID(contentHash: hash) == "ba7816bf8f01cfea")
        #expect(ContentHash.documentID(key: "x") == String(ContentHash.sha256Hex(Array("key:x".utf8)).prefix(16)))
        #expect(ContentHash.documentID(key: nil, contentHash: hash) == "ba7816bf8f01cfea")
    }
}

/// A minimal but real DOCX (a zip with the WordprocessingML parts).
func makeDOCX(paragraphs: [String]) throws -> [UInt8] {
    let archive = try ZIPFoundation.Archive(data: Data(), accessMode: .create)
    func add(_ path: String, _ text: String) throws {
        let data = Data(text.utf8)
        try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { pos, size in
            data.subdata(in: Int(pos)..<Int(pos) + size)
        }
    }
    try add("[Content_Types].xml", """
        <?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
        <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
        <Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>
        """)
    try add("_rels/.rels", """
        <?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>
        """)
    let body = paragraphs.map { "<w:p><w:r><w:t>\($0)</w:t></w:r></w:p>" }.joined()
    try add("word/document.xml", """
        <?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>\(body)</w:body></w:document>
        """)
    return Array(archive.data!)
}

/// A minimal one-page PDF with a text layer (binary marker line included).
func makePDF(text: String) -> [UInt8] {
    var out: [UInt8] = Array("%PDF-1.4\n%".utf8) + [0xE2, 0xE3, 0xCF, 0xD3, 0x0A]
    var offsets: [Int] = []
    let stream = "BT /F1 12 Tf 72 720 Td (\(text)) Tj ET"
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        "<< /Length \(stream.utf8.count) >>\nstream\n\(stream)\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for (i, o) in objects.enumerated() {
        offsets.append(out.count)
        out += Array("\(i + 1) 0 obj\n\(o)\nendobj\n".utf8)
    }
    let xref = out.count
    var x = "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
    for o in offsets { x += String(format: "%010d 00000 n \n", o) }
    x += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
    return out + Array(x.utf8)
}
