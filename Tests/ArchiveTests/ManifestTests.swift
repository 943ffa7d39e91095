import DocumentModel
import Foundation
import Testing
@testable import Archive

func record(_ n: Int, key: String? = nil, text: String? = nil) -> ManifestRecord {
    let bytes = Array((text ?? "document \(n)").utf8)
    let hash = ContentHash.sha256Hex(bytes)
    return ManifestRecord(seq: 0, id: ContentHash.documentID(key: key, contentHash: hash), hash: hash,
                          fileName: "doc\(n).txt", mediaType: "text/plain; charset=utf-8", size: bytes.count,
                          storedSize: 40, importedAt: "",
                          metadata: DocumentMetadata(key: key, title: "Tài liệu \(n)", source: "test", kind: "news",
                                                     date: "2024-01-0\(n % 9 + 1)"),
                          properties: ["n": "\(n)"])
}

func lines(_ path: String) throws -> [String] {
    try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
}

@Suite struct ManifestTests {
    @Test func appendAssignsIncreasingSeqsAndReadsBack() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let m = Manifest(archive: dir.url)
        let (_, first) = try m.append { tx in for i in 1...3 { _ = tx.add(record(i)) } }
        #expect(first.map(\.seq) == [1, 2, 3])
        #expect(first.allSatisfy { !$0.importedAt.isEmpty && $0.importedAt.hasSuffix("Z") })
        let (_, second) = try m.append { tx in _ = tx.add(record(4)) }
        #expect(second.map(\.seq) == [4])
        let all = try m.records()
        #expect(all.map(\.seq) == [1, 2, 3, 4])
        #expect(all[0] == first[0])
        #expect(try m.records(after: 2).map(\.seq) == [3, 4])
        #expect(try m.records(after: 4).isEmpty)
        // Another instance (another process) sees the same and continues the numbering.
        let other = Manifest(archive: dir.url)
        #expect(other.snapshot.lastSeq == 0)
        let (_, third) = try other.append { tx in _ = tx.add(record(5)) }
        #expect(third.map(\.seq) == [5])
        // The first instance catches up under the lock before deciding.
        let (_, fourth) = try m.append { tx -> Void in
            #expect(tx.state.lastSeq == 5)
            _ = tx.add(record(6))
        }
        #expect(fourth.map(\.seq) == [6])
        #expect(try m.refresh().recordCount == 6)
    }

    @Test func lineFormatIsSnakeCaseJSONAndToleratesUnknownKeys() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let m = Manifest(archive: dir.url)
        var r = record(1, key: "k-1", text: "Nội dung \"trích dẫn\"\nxuống dòng\t\\")
        r.metadata.url = "https://example.vn/a?b=1&c=2"
        let (_, written) = try m.append { tx in _ = tx.add(r) }
        let text = try lines(m.path)
        #expect(text.count == 2 && text[1].isEmpty, "one line ending in a newline")
        let object = try JSONSerialization.jsonObject(with: Data(text[0].utf8)) as! [String: Any]
        for k in ["seq", "id", "hash", "file_name", "media_type", "size", "stored_size", "imported_at", "key", "source", "kind", "date", "url", "title", "metadata"] {
            #expect(object[k] != nil, "key \(k) present")
        }
        #expect(object["id"] as? String == ContentHash.documentID(key: "k-1"))
        // Later versions add fields: still readable.
        var extended = text[0]
        extended.removeLast()
        extended += ",\"language\":\"vi\",\"pages\":[1,2],\"nested\":{\"a\":null}}"
        let decoded = try ManifestRecord.parse(Array(extended.utf8))
        #expect(decoded == written[0])
    }

    @Test func tornLastLineIsIgnoredOnReadAndRepairedByTheNextWriter() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let m = Manifest(archive: dir.url)
        _ = try m.append { tx in for i in 1...3 { _ = tx.add(record(i)) } }
        let good = try Data(contentsOf: m.url)
        // A crash in the middle of an append: half a line, no newline.
        let fourth = record(4).jsonLine()
        var torn = good
        torn.append(contentsOf: fourth.prefix(fourth.count / 2))
        // ...possibly followed by junk (a crash can leave zeroed blocks): longer than what the
        // next writer appends, so only truncation removes it.
        torn.append(contentsOf: [UInt8](repeating: 0, count: 4096))
        try torn.write(to: m.url)

        let reader = Manifest(archive: dir.url)
        #expect(try reader.records().map(\.seq) == [1, 2, 3])
        let scan = try Manifest.scan(path: m.path) { _, _ in }
        #expect(scan.tornTail?.line == 4)
        #expect(scan.tornTail?.isTornTail == true)
        #expect(scan.goodEnd == Int64(good.count))
        #expect(scan.badLines.isEmpty)

        // The next writer truncates the torn tail, then appends.
        let (_, added) = try reader.append { tx in _ = tx.add(record(5)) }
        #expect(added.map(\.seq) == [4])
        let after = try lines(m.path)
        #expect(after.count == 5 && after[4].isEmpty)
        #expect(try Data(contentsOf: m.url).count == good.count + added[0].jsonLine().count + 1)
        #expect(try Manifest.scan(path: m.path) { _, _ in }.tornTail == nil)
        #expect(try reader.records().map(\.seq) == [1, 2, 3, 4])
    }

    @Test func unparsableLastLineCountsAsTornButMiddleLinesAreCorruption() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let m = Manifest(archive: dir.url)
        _ = try m.append { tx in for i in 1...2 { _ = tx.add(record(i)) } }
        var data = try Data(contentsOf: m.url)
        data.append(contentsOf: Array("{\"seq\": 3, garbage\n".utf8))
        try data.write(to: m.url)
        var scan = try Manifest.scan(path: m.path) { _, _ in }
        #expect(scan.tornTail?.line == 3)
        #expect(scan.badLines.isEmpty)

        // Garbage followed by good lines is not a torn tail: it is reported and kept.
        data.append(contentsOf: record(9).jsonLine() + [0x0A])
        try data.write(to: m.url)
        var seen: [Int] = []
        scan = try Manifest.scan(path: m.path) { r, line in seen.append(line) }
        #expect(seen == [1, 2, 4])
        #expect(scan.tornTail == nil)
        #expect(scan.badLines.map(\.line) == [3])
        // Writers never cut a bad middle line.
        let w = Manifest(archive: dir.url)
        _ = try w.append { tx in _ = tx.add(record(10)) }
        #expect(try lines(m.path).count == 6)
    }

    @Test func concurrentWritersNeverDuplicateOrLoseASeq() async throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let writers = 4, perWriter = 40
        await withTaskGroup(of: Void.self) { group in
            for w in 0..<writers {
                group.addTask {
                    let m = Manifest(archive: dir.url) // each like a separate process
                    for i in 0..<perWriter {
                        _ = try? m.append { tx in _ = tx.add(record(w * 1000 + i)) }
                    }
                }
            }
        }
        let all = try Manifest(archive: dir.url).records()
        #expect(all.count == writers * perWriter)
        #expect(all.map(\.seq) == Array(1...(writers * perWriter)))
        #expect(Set(all.map(\.id)).count == writers * perWriter)
    }

    @Test func refreshFollowsAppendsByOthersAndReplacement() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let reader = Manifest(archive: dir.url)
        #expect(try reader.refresh().recordCount == 0, "no manifest yet is an empty archive")
        let writer = Manifest(archive: dir.url)
        _ = try writer.append { tx in _ = tx.add(record(1, key: "a")); _ = tx.add(record(2, key: "b")) }
        var state = try reader.refresh()
        #expect(state.recordCount == 2)
        _ = try writer.append { tx in _ = tx.add(record(3, key: "a", text: "new text of a")) }
        state = try reader.refresh()
        #expect(state.current[ContentHash.documentID(key: "a")]?.seq == 3)
        #expect(state.versions[ContentHash.documentID(key: "a")] == 2)
        #expect(state.currentRecords.map(\.seq) == [2, 3])
        // Replaced by a shorter file: read again from the start.
        let firstLine = try lines(writer.path)[0]
        try Data((firstLine + "\n").utf8).write(to: writer.url)
        state = try reader.refresh()
        #expect(state.recordCount == 1)
    }

    @Test func recordsAfterSkipsByPrefixButStillReadsOtherLayouts() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let m = Manifest(archive: dir.url)
        _ = try m.append { tx in for i in 1...3 { _ = tx.add(record(i)) } }
        // A line another tool wrote with other spacing and key order: no fast path, still read.
        var r4 = record(4); r4.seq = 4; r4.importedAt = "2025-01-01T00:00:00Z"
        let obj = try JSONSerialization.jsonObject(with: Data(r4.jsonLine())) as! [String: Any]
        let pretty = try JSONSerialization.data(withJSONObject: obj, options: [.sortedKeys])
        var data = try Data(contentsOf: m.url)
        data.append(pretty)
        data.append(0x0A)
        try data.write(to: m.url)
        #expect(String(decoding: pretty, as: UTF8.self).hasPrefix("{\"date\""))
        #expect(try m.records(after: 2).map(\.seq) == [3, 4])
        #expect(try m.records(after: 3) == [r4])
        #expect(try m.records(after: 4).isEmpty)
        #expect(ManifestRecord.fastSeq(ArraySlice(record(1).jsonLine())) == 0)
        #expect(ManifestRecord.fastSeq(ArraySlice(Array("{\"seq\":12,\"id\":1}".utf8))) == 12)
        #expect(ManifestRecord.fastSeq(ArraySlice(Array("{\"seq\":12}".utf8))) == nil)
    }

    /// Every manifest write lies within one page, so a killed writer never leaves half a line
    /// (Linux splits a write only between pages for a fatal signal).
    @Test func linesNeverCrossAPageBoundaryUnlessLongerThanAPage() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let m = Manifest(archive: dir.url)
        var rng = SystemRandomNumberGenerator()
        var expected = 0
        for batch in 0..<30 {
            _ = try m.append { tx in
                for i in 0..<Int.random(in: 1...12, using: &rng) {
                    var r = record(batch * 100 + i)
                    r.metadata.title = String(repeating: "Tiêu đề dài ", count: Int.random(in: 0...(i == 0 && batch % 7 == 0 ? 600 : 60), using: &rng))
                    _ = tx.add(r)
                    expected += 1
                }
            }
        }
        let data = Array(try Data(contentsOf: m.url))
        let page = Int(Manifest.pageSize)
        var start = 0, long = 0, padded = 0
        for (i, b) in data.enumerated() where b == 0x0A {
            let content = data[start..<i]
            let firstNonSpace = content.firstIndex { $0 != 0x20 } ?? i
            if firstNonSpace > start { padded += 1; #expect(firstNonSpace % page == 0, "padding ends at a page boundary") }
            if i + 1 - firstNonSpace > page { long += 1 } else {
                #expect(firstNonSpace / page == i / page, "line at \(firstNonSpace)...\(i) stays in one page")
            }
            start = i + 1
        }
        #expect(start == data.count)
        #expect(padded > 0 && long > 0, "the test exercised padding (\(padded)) and long lines (\(long))")
        #expect(try m.records().map(\.seq) == Array(1...expected))
        #expect(ArchiveVerifier.verify(archive: dir.url).problems.filter { $0.path.hasPrefix("manifest") }.isEmpty)

        // Killed right after writing padding: nothing torn, and the next append removes it.
        var withPad = try Data(contentsOf: m.url)
        withPad.append(contentsOf: [UInt8](repeating: 0x20, count: 100))
        try withPad.write(to: m.url)
        #expect(try Manifest.scan(path: m.path) { _, _ in }.tornTail == nil)
        #expect(ArchiveVerifier.verify(archive: dir.url).problems.filter { $0.path.hasPrefix("manifest") }.isEmpty)
        let (_, more) = try Manifest(archive: dir.url).append { tx in _ = tx.add(record(9999)) }
        #expect(more.map(\.seq) == [expected + 1])
        #expect(try m.records().count == expected + 1)
    }
}
