import Archive
import Foundation
import SearchIndex
import Testing
@testable import VanBanKit

@Suite struct ImportTests {
    @Test func seedsRoundTripThroughZcatAndTheStore() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let lib = try openLibrary(dir)
        let seeds = try Fixtures.seedFiles()
        let (summary, results) = try importAll(lib, [.path(Fixtures.seeds.path)])
        #expect(summary.imported == 5 && summary.unchanged == 0 && summary.failed == 0)
        #expect(results.map(\.input) == seeds.map(\.path), "directory imported in path order")
        #expect(results.map { $0.seq! } == [1, 2, 3, 4, 5])
        for (seed, r) in zip(seeds, results) {
            let original = try Fixtures.bytes(seed)
            let record = try #require(r.record)
            #expect(record.hash == ContentHash.sha256Hex(original))
            #expect(record.id == String(record.hash.prefix(16)), "keyless id is the content hash prefix")
            #expect(record.size == original.count)
            #expect(record.fileName == seed.lastPathComponent)
            let ex = try extracted(original, fileName: seed.lastPathComponent)
            #expect(record.mediaType == ex.mediaType)
            #expect(try lib.store.bytes(record.hash) == original)
            #expect(record.storedSize == lib.store.storedSize(record.hash))
            #expect(try lib.text(of: record) == ex.text, "the text re-extracted from the archive is the text of the import")
            #expect(try lib.original(idOrKey: record.id).bytes == original)
        }
        // zcat (the standard tool) prints the original of a stored object.
        let first = try #require(results.first?.record)
        #expect(try zcat(lib.store.path(for: first.hash)) == Fixtures.bytes(seeds[0]))
        #expect(lib.verify().isClean)
    }

    /// Text formats through the whole pipeline: the object is the original file, byte for byte
    /// (binary formats are covered at the object store level in ArchiveTests until the real
    /// extractor lands).
    @Test func htmlAndMarkdownOriginalsRoundTrip() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let lib = try openLibrary(dir)
        let html = Array(("\u{FEFF}<!DOCTYPE html>\r\n<html><head><meta charset=\"utf-8\"><title>Chương trình phối hợp</title></head>"
            + "<body><p>Thanh Hóa &amp; Thanh Hoá</p><script>var x = \"<p>\";</script></body></html>\r\n").utf8)
        let md = try Fixtures.bytes(try Fixtures.seedFiles()[1])
        let h = try dir.write("in/page.html", html), m = try dir.write("in/agreement.md", md)
        let (s, results) = try importAll(lib, [.path(h.path), .path(m.path)])
        #expect(s.imported == 2, "\(results.map { $0.failure?.message ?? "" })")
        for (r, original) in zip(results, [html, md]) {
            let record = try #require(r.record)
            #expect(try zcat(lib.store.path(for: record.hash)) == original)
            #expect(try lib.original(idOrKey: record.id).bytes == original)
        }
        #expect(results.map { $0.record?.fileName } == ["page.html", "agreement.md"])
    }

    @Test func reimportIsIdempotent() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let lib = try openLibrary(dir)
        try importAll(lib, [.path(Fixtures.seeds.path)])
        let lines = try manifestLineCount(lib)
        // Same library, and a fresh one (another process).
        for l in [lib, try openLibrary(dir)] {
            let (s, results) = try importAll(l, [.path(Fixtures.seeds.path)])
            #expect(s.imported == 0 && s.unchanged == 5 && s.failed == 0)
            #expect(results.allSatisfy { $0.status == .unchanged && $0.seq != nil && $0.id != nil })
            #expect(try manifestLineCount(lib) == lines)
        }
        // The same bytes under another name, keyless: the same document.
        let copy = try dir.write("copy/again.txt", try Fixtures.bytes(try Fixtures.seedFiles()[2]))
        let (s, r) = try importAll(lib, [.path(copy.path)])
        #expect(s.unchanged == 1 && r[0].seq == 3)
        #expect(try manifestLineCount(lib) == lines)
    }

    @Test func keyVersioning() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let lib = try openLibrary(dir)
        let v1 = try dir.write("v1.txt", "Quyết định số 1950/QĐ-UBND, bản đầu tiên.")
        let v2 = try dir.write("v2.txt", "Quyết định số 1950/QĐ-UBND, bản sửa đổi.")
        var options = ImportOptions()
        options.defaults.key = "qd-1950"
        options.defaults.source = "thanhhoa.gov.vn"
        let id = ContentHash.documentID(key: "qd-1950")

        let (_, r1) = try importAll(lib, [.path(v1.path)], options: options)
        #expect(r1[0].status == .imported && r1[0].id == id && r1[0].seq == 1 && r1[0].key == "qd-1950")
        let (_, again) = try importAll(lib, [.path(v1.path)], options: options)
        #expect(again[0].status == .unchanged && again[0].seq == 1)
        let (_, r2) = try importAll(lib, [.path(v2.path)], options: options)
        #expect(r2[0].status == .imported && r2[0].id == id && r2[0].seq == 2)
        #expect(r2[0].hash != r1[0].hash)
        #expect(lib.store.contains(r1[0].hash!), "the old version stays in the archive")
        let doc = try lib.document(idOrKey: "qd-1950")
        #expect(doc.record.seq == 2 && doc.text.contains("sửa đổi"))
        #expect(doc.record.metadata.source == "thanhhoa.gov.vn")
        #expect(try lib.versionCount(of: id) == 2)
        #expect(try lib.allCurrentRecords().count == 1)
        #expect(try lib.records().count == 2)
        #expect(try lib.lastSeq() == 2 && lib.records(after: 1).map(\.seq) == [2])
        // Back to the first bytes: a third version (the key's current content changes again).
        let (_, r3) = try importAll(lib, [.path(v1.path)], options: options)
        #expect(r3[0].status == .imported && r3[0].seq == 3 && r3[0].hash == r1[0].hash)
        // The same bytes without a key are another document.
        let (_, keyless) = try importAll(lib, [.path(v2.path)])
        #expect(keyless[0].status == .imported && keyless[0].id == String(r2[0].hash!.prefix(16)))
        #expect(lib.verify().isClean)
    }

    @Test func keyNeedsExactlyOneDocument() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let lib = try openLibrary(dir)
        var options = ImportOptions()
        options.defaults.key = "k"
        #expect(throws: LibraryError.self) { try importAll(lib, [.path(Fixtures.seeds.path)], options: options) }
        let a = try dir.write("a.txt", "một"), b = try dir.write("b.txt", "hai")
        #expect(throws: LibraryError.self) { try importAll(lib, paths([a, b]), options: options) }
        let j = try dir.write("x.jsonl", jsonLine(["text": "ba"]) + "\n")
        #expect(throws: LibraryError.self) { try importAll(lib, [.path(j.path)], options: options) }
        #expect(try manifestLineCount(lib) == 0)
    }

    @Test func badInputsFailWithReasonsAndTheRestGoIn() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let lib = try openLibrary(dir)
        let good = try dir.write("in/a-good.txt", "Chương trình phối hợp truyền thông năm 2021.")
        var invalid = Array("Thanh Hóa ".utf8)
        let offset = invalid.count
        invalid += [0xC3, 0x28] + Array(" tiếp".utf8)
        let bad = try dir.write("in/b-invalid.txt", invalid)
        let empty = try dir.write("in/c-empty.txt", [])
        let big = try dir.write("in/d-big.txt", String(repeating: "á", count: 600))
        let good2 = try dir.write("in/e-good.txt", "Nghị quyết số 58-NQ/TW ngày 05/8/2020.")
        let missing = dir.file("in/nope.txt")
        var options = ImportOptions()
        options.maxSize = 1000
        let (s, results) = try importAll(lib, paths([good, bad, empty, big, good2, missing]), options: options)
        #expect(s.imported == 2 && s.failed == 4 && s.unchanged == 0)
        let byInput = Dictionary(uniqueKeysWithValues: results.map { ($0.input, $0) })
        #expect(byInput[good.path]?.status == .imported)
        #expect(byInput[good2.path]?.status == .imported)
        let invalidReason = try #require(byInput[bad.path]?.failure?.message)
        #expect(invalidReason.contains("UTF-8"), "\(invalidReason)")
        _ = offset // the byte offset (\(offset)) is reported by the real Extraction module
        #expect(byInput[empty.path]?.failure?.message.contains("empty") == true)
        #expect(byInput[big.path]?.failure?.message.contains("over the size limit") == true)
        #expect(byInput[big.path]?.failure?.message.contains("1.2 kB") == true, "\(byInput[big.path]?.failure?.message ?? "")")
        #expect(byInput[missing.path]?.failure?.message.contains("no such file") == true)
        #expect(results.filter { $0.status == .failed }.allSatisfy { $0.id == nil && $0.seq == nil })
        // Nothing of the failures was stored.
        #expect(try manifestLineCount(lib) == 2)
        let objects = try FileManager.default.subpathsOfDirectory(atPath: lib.store.objectsPath).filter { $0.hasSuffix(".gz") }
        #expect(objects.count == 2)
    }

    @Test func directoriesRecurseSortedAndSkipHiddenEntries() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let lib = try openLibrary(dir)
        try dir.write("tree/b/z.txt", "bz")
        try dir.write("tree/b/a.txt", "ba")
        try dir.write("tree/a.txt", "a")
        try dir.write("tree/c/d/e.md", "# cde")
        try dir.write("tree/.hidden.txt", "hidden")
        try dir.write("tree/.git/config.txt", "hidden dir")
        try dir.write("tree/b/.DS_Store", "hidden")
        try FileManager.default.createSymbolicLink(atPath: dir.file("tree/b/vanished.txt").path, withDestinationPath: dir.file("gone.txt").path)
        let (s, results) = try importAll(lib, [.path(dir.file("tree").path)])
        let root = dir.file("tree").path
        #expect(results.map(\.input) == ["a.txt", "b/a.txt", "b/vanished.txt", "b/z.txt", "c/d/e.md"].map { root + "/" + $0 })
        #expect(s.imported == 4 && s.failed == 1)
        #expect(results[2].status == .failed && results[2].failure?.message.contains("no such file") == true)
    }

    @Test func vanishedFileBetweenListingAndReading() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let lib = try openLibrary(dir)
        // Three batches of one; the observer of the first batch deletes a later file.
        let files = try (0..<3).map { try dir.write("v/\($0).txt", "tài liệu \($0)") }
        final class Deleter: ImportObserver {
            let victim: URL
            init(_ v: URL) { victim = v }
            func archiveDidCommit(_ batch: [ImportedDocument]) throws { try? FileManager.default.removeItem(at: victim) }
        }
        var options = ImportOptions()
        options.batchDocuments = 1
        let (s, results) = try importAll(lib, [.path(dir.file("v").path)], options: options, observer: Deleter(files[2]))
        #expect(s.imported == 2 && s.failed == 1)
        #expect(results[2].input == files[2].path && results[2].failure?.message.contains("vanished") == true)
    }

    @Test func jsonLinesImportReportsBadLinesByNumber() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let lib = try openLibrary(dir)
        let lines = [
            jsonLine(["text": "Nghị định 45/2010/NĐ-CP", "title": "Nghị định 45", "key": "nd-45", "source": "congbao", "kind": "decree", "date": "2010-04-21", "url": "https://congbao.chinhphu.vn/45"]),
            "{not json",
            jsonLine(["title": "no text"]),
            "",
            #"{"text": 42}"#,
            jsonLine(["text": "ngày sai", "date": "2024-02-30"]),
            jsonLine(["text": ""]),
            "[1,2]",
            jsonLine(["text": "Tin tức không có khoá"]),
            #"{"text":"dòng cuối \u0111\u1ea1i","unknown":{"x":1},"source":null}"#,
        ]
        let file = try dir.write("batch.jsonl", lines.joined(separator: "\n")) // no final newline
        var options = ImportOptions()
        options.defaults.source = "default-source"
        options.defaults.kind = "news"
        let (s, results) = try importAll(lib, [.path(file.path)], options: options)
        #expect(s.imported == 3 && s.failed == 6)
        let failed = results.filter { $0.status == .failed }
        #expect(failed.map(\.input) == [2, 3, 5, 6, 7, 8].map { "\(file.path):\($0)" })
        #expect(failed[0].failure?.message == "not valid JSON")
        #expect(failed[1].failure?.message == "missing required field \"text\"")
        #expect(failed[2].failure?.message == "field \"text\" must be a string")
        #expect(failed[3].failure?.message.contains("2024-02-30") == true)
        #expect(failed[4].failure?.message == "field \"text\" is empty")
        #expect(failed[5].failure?.message.hasPrefix("not a JSON object (the line is ") == true)
        let first = try #require(results.first?.record)
        #expect(first.metadata.key == "nd-45" && first.id == ContentHash.documentID(key: "nd-45"))
        #expect(first.metadata.title == "Nghị định 45" && first.metadata.source == "congbao" && first.metadata.kind == "decree")
        #expect(first.metadata.date == "2010-04-21" && first.metadata.url == "https://congbao.chinhphu.vn/45")
        #expect(first.fileName == nil && first.mediaType.hasPrefix("text/plain"))
        #expect(try lib.store.bytes(first.hash) == Array("Nghị định 45/2010/NĐ-CP".utf8), "the stored bytes are the text's UTF-8")
        #expect(results.count == 9, "the blank line is skipped")
        let plain = try #require(results[7].record)
        #expect(plain.metadata.source == "default-source" && plain.metadata.kind == "news", "options fill in absent fields")
        let last = try #require(results[8].record)
        #expect(try lib.text(of: last) == "dòng cuối đại")
        #expect(last.metadata.source == "default-source", "null is absent")
    }

    @Test func jsonLinesFromStdinLikePayloadAndOverlongLines() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let lib = try openLibrary(dir)
        let long = String(repeating: "x", count: 5000)
        let body = "\u{FEFF}" + [jsonLine(["text": "một"]), jsonLine(["text": long]), jsonLine(["text": "hai"])].joined(separator: "\r\n") + "\r\n"
        var options = ImportOptions()
        options.maxSize = 100
        let (s, results) = try importAll(lib, [.payload(ImportPayload(name: "upload", bytes: Array(body.utf8), jsonLines: true))], options: options)
        #expect(s.imported == 2 && s.failed == 1)
        #expect(results.map(\.input) == ["upload:1", "upload:2", "upload:3"])
        #expect(results[1].failure?.message.contains("over the size limit") == true)
        #expect(try lib.text(of: results[2].record!) == "hai", "CRLF line endings are not part of the text")
        #expect(try lib.text(of: results[0].record!) == "một", "a leading byte order mark is skipped")
    }

    @Test func payloadImportsLikeAFile() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let lib = try openLibrary(dir)
        let bytes = try Fixtures.bytes(try Fixtures.seedFiles()[1])
        let meta = DocumentMetadata(key: "upload-1", title: "Chương trình phối hợp", source: "upload", kind: "agreement")
        let (s, r) = try importAll(lib, [.payload(ImportPayload(name: "POST /documents", bytes: bytes, fileName: "001.md", metadata: meta))])
        #expect(s.imported == 1)
        let rec = try #require(r[0].record)
        #expect(rec.metadata.key == "upload-1" && rec.metadata.title == "Chương trình phối hợp" && rec.metadata.kind == "agreement" && rec.fileName == "001.md")
        #expect(try lib.original(idOrKey: "upload-1").bytes == bytes)
    }

    @Test func observerSeesEachBatchInSeqOrderAndItsFailureIsOnlyAWarning() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let lib = try openLibrary(dir)
        final class Recorder: ImportObserver {
            var batches: [[ImportedDocument]] = []
            var fail = false
            let manifestPath: String
            init(_ p: String) { manifestPath = p }
            func archiveDidCommit(_ batch: [ImportedDocument]) throws {
                // The records are durable in the manifest before the observer hears of them.
                let onDisk = try Manifest(url: URL(fileURLWithPath: manifestPath)).records().map(\.seq)
                #expect(batch.allSatisfy { onDisk.contains($0.record.seq) })
                batches.append(batch)
                if fail { throw LibraryError(.io, "index is read-only") }
            }
        }
        let docs = try generatedDocuments(25)
        let file = try dir.write("docs.jsonl", docs.map { jsonLine(["text": $0]) }.joined(separator: "\n") + "\n")
        let recorder = Recorder(lib.manifest.path)
        var options = ImportOptions()
        options.batchDocuments = 10
        let (s, _) = try importAll(lib, [.path(file.path)], options: options, observer: recorder)
        #expect(s.imported == 25 && s.warnings.isEmpty)
        #expect(recorder.batches.map(\.count) == [10, 10, 5])
        let seqs = recorder.batches.flatMap { $0.map(\.record.seq) }
        #expect(seqs == Array(1...25))
        #expect(recorder.batches[0][3].text == (try extractedText(ofLine: docs[3])))

        recorder.fail = true
        let more = try dir.write("more.txt", "Một văn bản nữa.")
        let (s2, r2) = try importAll(lib, [.path(more.path)], observer: recorder)
        #expect(s2.imported == 1 && s2.failed == 0)
        #expect(s2.warnings.count == 1 && s2.warnings[0].contains("index is read-only"))
        #expect(r2[0].status == .imported)
        #expect(try lib.document(idOrKey: r2[0].id!).text == "Một văn bản nữa.")
    }

    @Test func lookupByIdPrefixAndKey() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let lib = try openLibrary(dir)
        let (_, results) = try importAll(lib, [.path(Fixtures.seeds.path)])
        let id = results[0].id!
        #expect(try lib.resolve(id).id == id)
        #expect(try lib.resolve(id.uppercased()).id == id)
        #expect(try lib.resolve(String(id.prefix(6))).id == id)
        #expect(throws: LibraryError.self) { try lib.resolve(String(id.prefix(5))) }
        #expect(throws: LibraryError.self) { try lib.resolve("0000000000000000") }
        do { _ = try lib.resolve("không-có") } catch let e as LibraryError {
            #expect(e.kind == .notFound && e.message == "no document with id or key 'không-có'")
        }
        let f = try dir.write("k.txt", "văn bản có khoá")
        var options = ImportOptions()
        options.defaults.key = "khoá/1"
        try importAll(lib, [.path(f.path)], options: options)
        #expect(try lib.resolve("khoá/1").metadata.key == "khoá/1")
        #expect(throws: LibraryError.self) { try Library(archive: dir.file("nothing"), index: dir.file("i")) }
    }

    @Test func statsCountDocumentsVersionsAndGroups() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let lib = try openLibrary(dir)
        var options = ImportOptions()
        options.defaults.source = "seeds"
        options.defaults.kind = "news"
        try importAll(lib, [.path(Fixtures.seeds.path)], options: options)
        let a = try dir.write("a.txt", "phiên bản 1"), b = try dir.write("b.txt", "phiên bản 2 dài hơn")
        var keyed = ImportOptions()
        keyed.defaults.key = "k"
        keyed.defaults.kind = "decree"
        try importAll(lib, [.path(a.path)], options: keyed)
        try importAll(lib, [.path(b.path)], options: keyed)
        let s = try lib.stats()
        #expect(s.documents == 6 && s.versions == 7 && s.objects == 7)
        let seedBytes = try Fixtures.seedFiles().reduce(0) { $0 + (try Fixtures.bytes($1)).count }
        #expect(s.originalBytes == seedBytes + "phiên bản 1".utf8.count + "phiên bản 2 dài hơn".utf8.count)
        #expect(s.storedBytes > 0 && s.ratio > 0.1 && s.ratio < 1)
        #expect(s.bySource["seeds"]?.documents == 5 && s.bySource[ArchiveStats.none]?.documents == 1)
        #expect(s.byKind["news"]?.documents == 5 && s.byKind["decree"]?.documents == 1)
        #expect(s.byKind["decree"]?.bytes == "phiên bản 2 dài hơn".utf8.count)
    }

    @Test(.enabled(if: Fixtures.hasSampleCorpus, "needs ../shared/corpus/sample.jsonl.gz"))
    func sampleCorpusImportsAndVerifies() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let lib = try openLibrary(dir)
        let raw = try Gzip.decompress(Fixtures.bytes(Fixtures.sampleCorpus))
        // Turn corpus records into import lines keyed by the corpus id.
        var lines: [String] = []
        var texts: [String: String] = [:]
        for line in raw.split(separator: 0x0A) {
            let o = try JSONSerialization.jsonObject(with: Data(line)) as! [String: Any]
            let id = o["id"] as! String, text = o["text"] as! String
            texts[id] = text
            var f: [String: String] = ["key": id, "text": text, "kind": o["kind"] as! String, "source": o["source"] as! String]
            if let t = o["title"] as? String { f["title"] = t }
            if let d = o["date"] as? String { f["date"] = d }
            if let u = o["url"] as? String { f["url"] = u }
            lines.append(jsonLine(f))
        }
        let file = try dir.write("sample.jsonl", lines.joined(separator: "\n") + "\n")
        let (s, results) = try importAll(lib, [.path(file.path)])
        #expect(s.imported == 200 && s.failed == 0, "\(results.filter { $0.status == .failed }.prefix(3).map { "\($0.input): \($0.failure?.message ?? "")" })")
        let report = lib.verify()
        #expect(report.isClean && report.objects == 200 && report.records == 200)
        for (key, text) in texts.prefix(40) {
            let doc = try lib.document(idOrKey: key)
            #expect(doc.text == (try extractedText(ofLine: text)))
            #expect(try lib.store.bytes(doc.record.hash) == Array(text.utf8), "the original is the line's text, byte for byte")
        }
        let again = try importAll(lib, [.path(file.path)]).summary
        #expect(again.unchanged == 200 && again.imported == 0)
    }
}

@Suite struct BundledArchiveTests {
    /// The repository's archive/ (made by scripts/dev/make-bundled-archive) is consistent and
    /// holds the five seeds, byte for byte, with metadata, and its id. Only read: nothing is
    /// written to the checkout (the index is a temporary one, and never opened here).
    @Test func bundledArchiveHoldsTheSeeds() throws {
        let archive = Fixtures.repoRoot.appendingPathComponent("archive")
        let dir = TempDir(); defer { dir.cleanup() }
        let lib = try Library(archive: archive, index: dir.file("index"))
        #expect(try ArchiveIdentity.read(archive: archive) != nil, "it ships with its id: a search never writes one into the checkout")
        let report = lib.verify()
        #expect(report.isClean && report.problems.isEmpty, "\(report.problems)")
        let records = try lib.allCurrentRecords()
        #expect(records.count == 5)
        for seed in try Fixtures.seedFiles() {
            let key = seed.deletingPathExtension().lastPathComponent
            let (record, bytes) = try lib.original(idOrKey: key)
            #expect(bytes == (try Fixtures.bytes(seed)))
            #expect(record.metadata.source != nil && record.metadata.kind != nil && !(record.metadata.title ?? "").isEmpty)
        }
        #expect(try lib.resolve("001_f06a74d7aed0fe0b").metadata.kind == "agreement")
        #expect(records.filter { $0.metadata.kind == "news" }.count == 4)
    }
}
