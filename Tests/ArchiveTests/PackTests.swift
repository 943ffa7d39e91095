import Foundation
import Testing
@testable import Archive

/// Real Vietnamese documents for pack tests: the five seeds, then recombinations of their
/// lines (each one distinct).
func packDocuments(_ count: Int) throws -> [[UInt8]] {
    let seeds = try Fixtures.seedFiles().map { try Fixtures.bytes($0) }
    let lines = seeds.flatMap { String(decoding: $0, as: UTF8.self).split(separator: "\n").map(String.init) }.filter { $0.count > 10 }
    var rng = SplitMix(seed: 20240612)
    var docs = Array(seeds.prefix(count))
    while docs.count < count {
        var text = "Văn bản số \(docs.count)/2024/NĐ-CP\n"
        for _ in 0..<(2 + Int(rng.next() % 20)) { text += lines[Int(rng.next() % UInt64(lines.count))] + "\n" }
        docs.append(Array(text.utf8))
    }
    return docs
}

/// A store holding `documents` as loose objects; returns their hashes in the same order.
func looseStore(_ dir: TempDir, _ documents: [[UInt8]]) throws -> (ObjectStore, [String]) {
    let store = ObjectStore(archive: dir.url)
    try store.createDirectories()
    return (store, try documents.map { try store.put($0).hash })
}

func files(under path: String, suffix: String) -> [String] {
    ((try? FileManager.default.subpathsOfDirectory(atPath: path)) ?? []).filter { $0.hasSuffix(suffix) }.sorted()
}

/// Flips one bit of the byte at `offset` in the file at `path` (made writable first).
func flipByte(_ path: String, at offset: Int) throws {
    chmod(path, 0o644)
    var data = try Data(contentsOf: URL(fileURLWithPath: path))
    data[offset] ^= 0x10
    try data.write(to: URL(fileURLWithPath: path))
}

@Suite struct PackTests {
    @Test func packingThenReadingEveryObjectGivesTheSameBytes() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let docs = try packDocuments(300)
        let (store, hashes) = try looseStore(dir, docs)
        let sizes = hashes.map { store.storedSize($0)! }
        #expect(store.looseObjectCount() == 300)

        let report = try store.pack()
        #expect(report.problems.isEmpty, "\(report.problems)")
        #expect(report.objectsPacked == 300 && report.fromLoose == 300 && report.looseRemoved == 300)
        #expect(report.looseBefore == 300 && report.looseAfter == 0 && report.packsAfter == 1)
        #expect(report.storedBytes == sizes.reduce(0, +), "members are the loose files, byte for byte")
        #expect(report.originalBytes == docs.reduce(0) { $0 + $1.count })
        #expect(report.diskBytesAfter < report.diskBytesBefore)
        #expect(files(under: store.objectsPath, suffix: ".gz").isEmpty, "no loose object left")
        #expect(files(under: store.packDirectory, suffix: ".pack").count == 1)
        #expect(files(under: store.packDirectory, suffix: ".idx").count == 1)

        // This store and a fresh one (another process) read every object back.
        let fresh = ObjectStore(archive: dir.url)
        for (h, d) in zip(hashes, docs) {
            #expect(try store.bytes(h) == d)
            #expect(try fresh.bytes(h) == d)
            #expect(fresh.contains(h) && fresh.isPacked(h) && fresh.holds(h, bytes: d))
            #expect(fresh.storedSize(h) == sizes[hashes.firstIndex(of: h)!])
        }
        #expect(!fresh.contains(ContentHash.sha256Hex(Array("không có".utf8))))
        #expect(throws: ArchiveError.self) { try fresh.bytes(ContentHash.sha256Hex(Array("không có".utf8))) }
        // The pack's name is its checksum.
        let pack = try #require(report.pack)
        let (sha, _) = try ObjectStore.hashFile(dir.path + "/" + pack)
        #expect(pack == "objects/pack/pack-\(sha).pack")
        #expect(ArchiveVerifier.verify(archive: dir.url).problems.isEmpty)
    }

    @Test func aMemberIsAGzipStreamOfTheOriginal() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let docs = try packDocuments(40)
        let (store, hashes) = try looseStore(dir, docs)
        let report = try store.pack()
        let packPath = dir.path + "/" + (try #require(report.pack))
        let packBytes = try Fixtures.bytes(URL(fileURLWithPath: packPath))
        let index = try PackIndex(path: String(packPath.dropLast(5)) + ".idx")
        #expect(index.count == 40 && index.packSize == packBytes.count)
        var byHash: [String: [UInt8]] = [:]
        for (h, d) in zip(hashes, docs) { byHash[h] = d }
        var covered = 0
        for e in try index.entries(0, count: index.count) {
            let member = Array(packBytes[e.offset..<(e.offset + e.length)])
            #expect(member.starts(with: [0x1F, 0x8B]), "gzip magic at the start of \(e.key.hex)")
            #expect(try Gzip.decompress(member) == byHash[e.key.hex], "the member's range inflates to its original")
            covered += e.length
        }
        #expect(covered == packBytes.count, "members fill the pack, nothing else in it")
        // One member cut out of the pack and given to the system's zcat prints the original.
        let e = try index.entry(7)
        let cut = try TempDir().write("member.gz", Array(packBytes[e.offset..<(e.offset + e.length)]))
        defer { try? FileManager.default.removeItem(at: cut.deletingLastPathComponent()) }
        #expect(try zcat(cut.path) == byHash[e.key.hex])
        // zcat of the whole pack prints every original, in hash order.
        let inOrder = hashes.sorted().flatMap { byHash[$0]! }
        #expect(try zcat(packPath) == inOrder)
    }

    @Test func verifyNamesTheDamagedMemberAndItsPack() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let (_, _, records) = try makeArchive(dir)
        let store = ObjectStore(archive: dir.url)
        let report = try store.pack()
        let rel = try #require(report.pack)
        let index = try PackIndex(path: dir.path + "/" + String(rel.dropLast(5)) + ".idx")
        let victim = try index.entry(2)
        try flipByte(dir.path + "/" + rel, at: victim.offset + victim.length / 2)

        let v = ArchiveVerifier.verify(archive: dir.url)
        #expect(!v.isClean)
        let member = v.errors.filter { $0.path == rel && $0.message.contains(victim.key.hex) }
        #expect(member.count == 1, "\(v.problems)")
        #expect(member.first?.message.contains("offset \(victim.offset)") == true)
        #expect(v.errors.contains { $0.path == rel && $0.message.contains("checksum mismatch") }, "the pack fails its checksum")
        #expect(v.errors.count == 2, "only that member and the pack: \(v.problems)")
        #expect(v.objects == 5 && v.packedObjects == 5 && v.packs == 1 && v.records == records.count)
        // A reader never returns the damaged bytes: it names the pack and the object.
        do {
            _ = try ObjectStore(archive: dir.url).bytes(victim.key.hex)
            Issue.record("damaged member was read")
        } catch {
            #expect(error.message.contains(rel) && error.message.contains(victim.key.hex), "\(error)")
        }
        // The other members are still good.
        for r in records where r.hash != victim.key.hex { #expect(try store.bytes(r.hash).count == r.size) }
    }

    @Test func aDamagedIndexIsNeverTrustedAndIsWrittenAgainFromItsPack() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let (_, _, records) = try makeArchive(dir)
        let report = try ObjectStore(archive: dir.url).pack()
        let idx = dir.path + "/" + String(try #require(report.pack).dropLast(5)) + ".idx"
        // A byte inside the entries (an offset): the checksum catches it.
        try flipByte(idx, at: PackFormat.entriesStart + PackFormat.entrySize + 36)
        #expect(throws: ArchiveError.self) { try PackIndex(path: idx) }

        let v = ArchiveVerifier.verify(archive: dir.url)
        let idxRel = String(idx.dropFirst(dir.path.count + 1))
        #expect(v.errors.contains { $0.path == idxRel && $0.message.contains("checksum mismatch") }, "\(v.problems)")
        #expect(v.errors.filter { $0.message.contains("missing object") }.count == records.count, "nothing is read through it")
        let reader = ObjectStore(archive: dir.url)
        do {
            _ = try reader.bytes(records[0].hash)
            Issue.record("read through a damaged index")
        } catch {
            #expect(error.message.contains("missing") && error.message.contains("checksum mismatch"), "\(error)")
        }

        // The pack is intact (it hashes to its name): the next pack run writes the index again.
        let again = try ObjectStore(archive: dir.url).pack()
        #expect(again.indexesRebuilt == [idxRel])
        #expect(again.problems.isEmpty)
        #expect(ArchiveVerifier.verify(archive: dir.url).problems.isEmpty)
        for r in records { #expect(try reader.bytes(r.hash).count == r.size) }

        // A truncated index, too.
        chmod(idx, 0o644)
        #expect(truncate(idx, 100) == 0)
        #expect(ArchiveVerifier.verify(archive: dir.url).errors.contains { $0.path == idxRel && $0.message.contains("truncated") })
        #expect(try ObjectStore(archive: dir.url).pack().indexesRebuilt == [idxRel])
        #expect(ArchiveVerifier.verify(archive: dir.url).problems.isEmpty)
    }

    @Test func anObjectBothLooseAndPacked() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let (store, _, records) = try makeArchive(dir)
        _ = try store.pack()
        // Written loose again (as a re-import that found it damaged would).
        let original = try Fixtures.bytes(Fixtures.seedFiles()[1])
        let hash = ContentHash.sha256Hex(original)
        let batch = store.batch()
        #expect(try batch.add(hash: hash, compressed: Gzip.compress(original)) != nil)
        try batch.commit()
        #expect(FileManager.default.fileExists(atPath: store.path(for: hash)) && store.isPacked(hash))
        #expect(try store.bytes(hash) == original)
        let v = ArchiveVerifier.verify(archive: dir.url)
        #expect(v.problems.isEmpty && v.objects == 6 && v.packedObjects == 5)

        // The next pack run removes the loose copy and writes nothing (the pack has a good one).
        let r = try store.pack()
        #expect(r.pack == nil && r.looseRemoved == 1 && r.looseAfter == 0 && r.packsAfter == 1)
        #expect(!FileManager.default.fileExists(atPath: store.path(for: hash)))
        #expect(try store.bytes(hash) == original)
        #expect(ArchiveVerifier.verify(archive: dir.url).problems.isEmpty)
        #expect(records.count == 5)
    }

    @Test func aDamagedLooseObjectIsLeftWhereItIsAndReported() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let (store, hashes) = try looseStore(dir, try packDocuments(12))
        let bad = hashes[3]
        try flipByte(store.path(for: bad), at: 30)
        let r = try store.pack()
        #expect(r.objectsPacked == 11 && r.looseAfter == 1)
        #expect(r.problems.count == 1 && r.problems[0].path == ObjectStore.relativePath(for: bad), "\(r.problems)")
        #expect(FileManager.default.fileExists(atPath: store.path(for: bad)), "the only copy is never removed")
    }

    @Test func emptyArchive() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        // No objects directory at all.
        let none = try ObjectStore(archive: dir.file("none")).pack()
        #expect(none.pack == nil && none.problems.isEmpty && none.objectsPacked == 0)
        // An archive with nothing in it yet.
        let store = ObjectStore(archive: dir.url)
        try store.createDirectories()
        let r = try store.pack()
        #expect(r.pack == nil && r.problems.isEmpty && r.looseBefore == 0 && r.packsAfter == 0)
        #expect(files(under: store.packDirectory, suffix: ".pack").isEmpty)
        #expect(ArchiveVerifier.verify(archive: dir.url).problems.isEmpty)
        #expect(store.looseObjectCount() == 0)
    }

    /// Packs merge geometrically: many small pack runs leave few packs, and `all` leaves one.
    @Test func smallPacksAreMerged() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let store = ObjectStore(archive: dir.url)
        try store.createDirectories()
        let docs = try packDocuments(400)
        var counts: [Int] = []
        for run in 0..<20 {
            for d in docs[(run * 20)..<(run * 20 + 20)] { try store.put(d) }
            let r = try store.pack()
            #expect(r.problems.isEmpty)
            counts.append(r.packsAfter)
        }
        #expect(counts.max()! <= 5, "packs stay few: \(counts)")
        let sizes = try store.packs.snapshot(rescan: true).packs.map(\.index.count).sorted()
        for (small, big) in zip(sizes, sizes.dropFirst()) { #expect(big > 2 * small, "geometric: \(sizes)") }
        #expect(sizes.reduce(0, +) == 400)
        let all: PackReport = try {
            var o = PackOptions(); o.all = true
            return try store.pack(o)
        }()
        #expect(all.packsAfter == 1 && all.objectsPacked == 400 && all.fromPacks == 400)
        for d in docs { #expect(try store.bytes(ContentHash.sha256Hex(d)) == d) }
        #expect(ArchiveVerifier.verify(archive: dir.url).problems.isEmpty)
        #expect(files(under: store.packDirectory, suffix: ".pack").count == 1)
    }

    /// A crash at each step of the protocol, simulated by copying the archive at that instant
    /// (what a crash leaves, once every fsync done so far is on disk; the copy's temporary
    /// files are given the pid of a dead process): every object is readable from the copy,
    /// verify finds no error, and a pack run there finishes the work.
    @Test func aCrashAtEveryStepLosesNothing() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let docs = try packDocuments(60)
        let (store, hashes) = try looseStore(dir, Array(docs[0..<30]))
        _ = try store.pack() // an older pack, merged by the run below
        let more = try Array(docs[30..<60]).map { try store.put($0).hash }
        let all = hashes + more
        var snapshots: [(String, URL)] = []
        var options = PackOptions()
        options.step = { step, n in
            let copy = dir.url.deletingLastPathComponent().appendingPathComponent("crash-\(UUID().uuidString)")
            try! FileManager.default.copyItem(at: dir.url, to: copy)
            let packDir = copy.path + "/objects/pack"
            for name in (try? FileManager.default.contentsOfDirectory(atPath: packDir)) ?? [] where name.hasPrefix(".tmp-\(getpid())-") {
                try! FileManager.default.moveItem(atPath: packDir + "/" + name,
                                                  toPath: packDir + "/" + name.replacingOccurrences(of: "-\(getpid())-", with: "-999999999-"))
            }
            snapshots.append(("\(step.rawValue):\(n)", copy))
        }
        let r = try store.pack(options)
        defer { for (_, u) in snapshots { try? FileManager.default.removeItem(at: u) } }
        #expect(r.packsMerged.count == 1 && r.objectsPacked == 60 && r.looseRemoved == 30)
        #expect(snapshots.map(\.0).prefix(2) == ["pack-written:1", "pack-renamed:1"])
        #expect(snapshots.count == 2 + 30 + 1, "each removal: 30 loose objects, then the merged pack")
        for (step, copy) in snapshots {
            let crashed = ObjectStore(archive: copy)
            for (h, d) in zip(all, docs) { #expect(try crashed.bytes(h) == d, "after a crash at \(step)") }
            let v = ArchiveVerifier.verify(archive: copy)
            #expect(v.isClean, "after a crash at \(step): \(v.errors)")
            if step == "pack-written:1" { #expect(v.warnings.count == 2, "the two temporary files: \(v.warnings)") }
            // The next pack run finishes the work: no temporary file, no loose object, no
            // duplicate pack; each object once.
            let after = try ObjectStore(archive: copy).pack()
            #expect(after.problems.isEmpty, "\(step): \(after.problems)")
            let clean = ArchiveVerifier.verify(archive: copy)
            #expect(clean.problems.isEmpty && clean.objects == 60 && clean.packedObjects == 60, "finished after \(step): \(clean.problems), \(clean.objects) objects")
            for (h, d) in zip(all, docs) { #expect(try ObjectStore(archive: copy).bytes(h) == d) }
        }
    }

    /// Readers in other `ObjectStore`s (as other processes) read every object while a packer
    /// moves them, and merges and removes packs: none ever fails.
    @Test func readersNeverMissAnObjectWhileItIsPacked() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let docs = try packDocuments(240)
        let store = ObjectStore(archive: dir.url)
        try store.createDirectories()
        let hashes = docs.map { ContentHash.sha256Hex($0) }
        let failures = Failures()
        let available = SharedCount()
        let stop = SharedFlag()
        let group = DispatchGroup()
        let box = TestBox((hashes, docs))
        for t in 0..<2 {
            DispatchQueue.global().async(group: group) {
                let reader = ObjectStore(archive: dir.url)
                var i = t
                while !stop.value {
                    let (hashes, docs) = box.value
                    let n = available.value
                    if n == 0 { continue }
                    let k = i % n
                    do { if try reader.bytes(hashes[k]) != docs[k] { failures.record("wrong bytes for \(hashes[k])") } }
                    catch { failures.record("\(error)") }
                    i += 7
                }
            }
        }
        for round in 0..<8 {
            for d in docs[(round * 30)..<(round * 30 + 30)] { try store.put(d) }
            available.value = round * 30 + 30
            var o = PackOptions(); o.all = round == 5
            _ = try store.pack(o)
        }
        stop.value = true
        group.wait()
        #expect(failures.first == nil, "\(failures.first ?? "")")
        #expect(ArchiveVerifier.verify(archive: dir.url).problems.isEmpty)
    }
}

struct TestBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var f: String?
    func record(_ s: String) { lock.withLock { if f == nil { f = s } } }
    var first: String? { lock.withLock { f } }
}

final class SharedCount: @unchecked Sendable {
    private let lock = NSLock()
    private var v = 0
    var value: Int { get { lock.withLock { v } } set { lock.withLock { v = newValue } } }
}

final class SharedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var v = false
    var value: Bool { get { lock.withLock { v } } set { lock.withLock { v = newValue } } }
}
