import Foundation
import Testing
@testable import Archive

/// An archive with the seeds in it: objects plus manifest lines.
func makeArchive(_ dir: TempDir) throws -> (ObjectStore, Manifest, [ManifestRecord]) {
    let store = ObjectStore(archive: dir.url)
    try store.createDirectories()
    let manifest = Manifest(archive: dir.url)
    var puts: [(ObjectStore.PutResult, Int, String)] = []
    for seed in try Fixtures.seedFiles() {
        let b = try Fixtures.bytes(seed)
        puts.append((try store.put(b), b.count, seed.lastPathComponent))
    }
    let (_, records) = try manifest.append { tx in
        for (p, size, name) in puts {
            _ = tx.add(ManifestRecord(seq: 0, id: ContentHash.documentID(contentHash: p.hash), hash: p.hash, fileName: name,
                                      mediaType: "text/plain; charset=utf-8", size: size, storedSize: p.storedSize, importedAt: ""))
        }
    }
    return (store, manifest, records)
}

@Suite struct VerifyTests {
    @Test func cleanArchiveVerifiesClean() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let (_, _, records) = try makeArchive(dir)
        let report = ArchiveVerifier.verify(archive: dir.url)
        #expect(report.problems.isEmpty, "\(report.problems)")
        #expect(report.isClean)
        #expect(report.objects == 5 && report.records == 5)
        #expect(report.originalBytes == records.reduce(0) { $0 + $1.size })
    }

    @Test func flippedByteIsCaughtAndNamedByPath() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let (store, _, records) = try makeArchive(dir)
        let victim = records[1]
        let path = store.path(for: victim.hash)
        chmod(path, 0o644)
        var gz = try Data(contentsOf: URL(fileURLWithPath: path))
        gz[gz.count / 2] ^= 0x01 // inside the deflate data
        try gz.write(to: URL(fileURLWithPath: path))
        let report = ArchiveVerifier.verify(archive: dir.url)
        #expect(!report.isClean)
        #expect(report.errors.count == 1)
        #expect(report.errors.first?.path == victim.objectPath)
        #expect(report.errors.first.map { $0.message.contains("corrupt gzip") || $0.message.contains("hash mismatch") } == true)
    }

    @Test func substitutedContentIsAHashMismatch() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let (store, _, records) = try makeArchive(dir)
        let path = store.path(for: records[0].hash)
        chmod(path, 0o644)
        // One flipped byte in the original, recompressed: a valid gzip with the wrong content.
        var original = try store.bytes(records[0].hash)
        original[10] ^= 0x20
        try Data(Gzip.compress(original)).write(to: URL(fileURLWithPath: path))
        let report = ArchiveVerifier.verify(archive: dir.url)
        #expect(report.errors.map(\.path) == [records[0].objectPath])
        #expect(report.errors.first?.message.hasPrefix("hash mismatch") == true)
    }

    @Test func truncatedObjectIsReportedAsTruncatedGzip() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let (store, _, records) = try makeArchive(dir)
        let path = store.path(for: records[2].hash)
        chmod(path, 0o644)
        let gz = try Data(contentsOf: URL(fileURLWithPath: path))
        try gz.prefix(gz.count - 9).write(to: URL(fileURLWithPath: path))
        let report = ArchiveVerifier.verify(archive: dir.url)
        #expect(report.errors.map(\.path) == [records[2].objectPath])
        #expect(report.errors.first?.message.contains("truncated gzip") == true, "\(report.errors)")
    }

    @Test func missingObjectIsReportedWithTheManifestLine() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let (store, _, records) = try makeArchive(dir)
        try FileManager.default.removeItem(atPath: store.path(for: records[3].hash))
        let report = ArchiveVerifier.verify(archive: dir.url)
        #expect(report.errors.map(\.path) == [records[3].objectPath])
        #expect(report.errors.first?.message.contains("missing object") == true)
        #expect(report.errors.first?.message.contains("manifest.jsonl:4") == true)
    }

    @Test func tornLineBadSeqAndStrayTempsAreReported() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let (_, manifest, records) = try makeArchive(dir)
        // A stray temp file is only a warning.
        let stray = dir.path + "/objects/" + records[0].hash.prefix(2) + "/.tmp-123-abc"
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: stray))
        var report = ArchiveVerifier.verify(archive: dir.url)
        #expect(report.isClean)
        #expect(report.warnings.map(\.path) == ["objects/\(records[0].hash.prefix(2))/.tmp-123-abc"])

        // A torn last line is an error (readers ignore it; the next import repairs it).
        var data = try Data(contentsOf: manifest.url)
        let good = data
        data.append(contentsOf: Array("{\"seq\":6,\"id\":\"ab".utf8))
        try data.write(to: manifest.url)
        report = ArchiveVerifier.verify(archive: dir.url)
        #expect(report.errors.map(\.path) == ["manifest.jsonl:6"])
        #expect(report.errors.first?.message.contains("torn last line") == true)

        // A seq that does not increase.
        var dup = records[4]
        dup.seq = 5 // equal to the previous line's: not strictly increasing
        var bad = good
        bad.append(contentsOf: dup.jsonLine() + [0x0A])
        try bad.write(to: manifest.url)
        report = ArchiveVerifier.verify(archive: dir.url)
        #expect(report.errors.map(\.path) == ["manifest.jsonl:6"])
        #expect(report.errors.first?.message.contains("does not follow") == true)

        // A record whose id does not match its hash.
        var wrong = records[4]
        wrong.seq = 6
        wrong.id = "0000000000000000"
        bad = good
        bad.append(contentsOf: wrong.jsonLine() + [0x0A])
        try bad.write(to: manifest.url)
        report = ArchiveVerifier.verify(archive: dir.url)
        #expect(report.errors.map(\.path) == ["manifest.jsonl:6"])
    }

    @Test func noArchiveIsAnError() {
        let report = ArchiveVerifier.verify(archive: URL(fileURLWithPath: "/nonexistent/vanban-archive"))
        #expect(!report.isClean)
    }
}
