import Foundation
import Platform

// Moving loose objects into packs (format: Pack.swift). The crash protocol, in order:
//   1. the new pack and its index are written to temporary files (`objects/pack/.tmp-<pid>-...`)
//      and fsynced;                                                   [PackStep.written]
//   2. the pack is renamed into place, then its index, and `objects/pack/` is fsynced;
//                                                                     [PackStep.renamed]
//   3. only then are the loose objects it holds removed (and their directories synced), then
//      the packs it replaced (pack file, then index; `objects/pack/` fsynced).
//                                                                     [PackStep.deleting, each]
// A crash anywhere leaves every object readable: before 2 the loose objects are untouched (the
// temporary files are removed later, as those of imports are); between 2 and 3 objects are
// both loose and packed; during 3 some are only packed, the rest both. Every copy is checked
// (inflated, re-hashed) before it goes into a pack, and a loose object or a pack is removed only
// when a checked copy of each of its objects is in a durable pack. The caller holds the
// archive's writers' lock (`Manifest.withWritersLock`): one packer at a time, and never during
// a manifest append.

/// A point of `pack` where a crash test can stop the packer (VanBanKit's TestPausePoint).
package enum PackStep: String, Sendable, CaseIterable {
    /// The new pack and index are durable under temporary names; nothing is renamed yet.
    case written = "pack-written"
    /// Both are in place and their directory synced; no loose object removed yet.
    case renamed = "pack-renamed"
    /// The N-th loose object (then merged pack) has just been removed.
    case deleting = "pack-deleting"
}

/// Progress of `pack`, by objects and stored (compressed) bytes.
public struct PackProgress: Sendable {
    public var objectsDone: Int
    public var objectsTotal: Int
    public var storedBytesDone: Int
    public var storedBytesTotal: Int
}

/// How to pack.
package struct PackOptions {
    /// Merge every pack (and every loose object) into one.
    public var all = false
    /// Geometric merging: after packing the loose objects, the smallest packs are merged in
    /// while a pack holds at most `factor` times the objects gathered so far. Packs then grow
    /// geometrically, so there are only about log2(objects / threshold) of them, and each
    /// object is rewritten a logarithmic number of times over the archive's life.
    public var factor = 2
    /// Called at each `PackStep` (the Int: 1 for written and renamed, the count of removals
    /// for deleting). Crash tests stop the process there.
    public var step: ((PackStep, Int) -> Void)?
    public var progress: ((PackProgress) -> Void)?
    public init() {}
}

/// What `pack` did.
public struct PackReport: Sendable {
    /// The pack this run wrote ("objects/pack/pack-<sha>.pack"), nil when it wrote none.
    public var pack: String?
    /// Objects in that pack.
    public var objectsPacked = 0
    /// Of those, objects that were loose.
    public var fromLoose = 0
    /// Of those, objects rewritten from packs it merged.
    public var fromPacks = 0
    /// Compressed bytes of the objects packed (the sum of the members).
    public var storedBytes = 0
    /// Their original bytes.
    public var originalBytes = 0
    public var looseBefore = 0
    public var looseAfter = 0
    /// Loose files removed (packed now, or already in a pack).
    public var looseRemoved = 0
    public var packsBefore = 0
    public var packsAfter = 0
    /// Packs merged into the new one and removed.
    public var packsMerged: [String] = []
    public var packBytes = 0
    public var indexBytes = 0
    /// Space `objects/` takes on disk (allocated blocks), before and after.
    public var diskBytesBefore = 0
    public var diskBytesAfter = 0
    /// Indexes written again from their (intact) pack, because missing or damaged.
    public var indexesRebuilt: [String] = []
    /// Objects or packs that could not be packed or used, left where they are.
    public var problems: [VerifyProblem] = []
    public var seconds = 0.0
    /// Where the time went: listing and checking what is there (scan), reading, checking and
    /// writing the objects (copy), making the pack durable and renaming it (sync), removing
    /// what it replaced (remove).
    public var timings = PackTimings()
}

public struct PackTimings: Sendable {
    public var scan = 0.0, copy = 0.0, sync = 0.0, remove = 0.0
}

extension ObjectStore {
    struct LooseObject: Sendable {
        let key: ObjectKey
        let hash: String
        let path: String
        let directory: String
        let size: Int
    }

    /// Every loose object, in hash order.
    func listLoose() -> [LooseObject] {
        guard let dirs = try? POSIX.listDirectory(objectsPath) else { return [] }
        var out: [LooseObject] = []
        for dir in dirs.sorted() where dir.utf8.count == 2 && ContentHash.isLowerHex(dir, count: 2) {
            let dirPath = objectsPath + "/" + dir
            guard let names = try? POSIX.listDirectory(dirPath) else { continue }
            for name in names.sorted() where name.hasSuffix(".gz") {
                let hash = dir + name.dropLast(3)
                guard hash.utf8.count == 64, let key = ObjectKey(hex: hash), ContentHash.isLowerHex(hash) else { continue }
                let p = dirPath + "/" + name
                out.append(LooseObject(key: key, hash: hash, path: p, directory: dirPath, size: POSIX.fileSize(p) ?? 0))
            }
        }
        return out
    }

    /// Bytes `objects/` takes on disk (allocated blocks of every file and directory in it).
    public func diskUsage() -> Int {
        func allocated(_ p: String) -> Int {
            var st = stat()
            return lstat(p, &st) == 0 ? Int(st.st_blocks) * 512 : 0
        }
        guard let names = try? POSIX.listDirectory(objectsPath) else { return 0 }
        var total = allocated(objectsPath)
        for name in names {
            let p = objectsPath + "/" + name
            total += allocated(p)
            for inner in (try? POSIX.listDirectory(p)) ?? [] { total += allocated(p + "/" + inner) }
        }
        return total
    }

    /// Inflates `compressed` and hashes the result without keeping it: (hex hash, size).
    static func inflateAndHash(_ compressed: [UInt8]) throws(ArchiveError) -> (hash: String, size: Int) {
        let inflater = try InflaterPool.shared.take()
        defer { InflaterPool.shared.give(inflater) }
        var hasher = StreamingSHA256()
        var size = 0
        let fed: Result<Int, ArchiveError> = compressed.withUnsafeBytes { raw in
            do throws(ArchiveError) {
                return .success(try inflater.feed(raw) { hasher.update($0); size += $0.count })
            } catch { return .failure(error) }
        }
        let used = try fed.get()
        guard inflater.finished else { throw ArchiveError("truncated gzip (the compressed stream ends early)") }
        guard used == compressed.count else { throw ArchiveError("trailing data after the gzip stream") }
        return (hasher.finalizeHex(), size)
    }

    /// The original size when `compressed` is a good copy of `key`; else the reason.
    static func check(_ compressed: [UInt8], key: ObjectKey) -> Result<Int, ArchiveError> {
        guard compressed.count >= 2, compressed[0] == 0x1F, compressed[1] == 0x8B else {
            return .failure(ArchiveError("not a gzip stream (no gzip magic)"))
        }
        do {
            let (hash, size) = try inflateAndHash(compressed)
            guard hash == key.hex else { return .failure(ArchiveError("hash mismatch (content hashes to \(hash))")) }
            return .success(size)
        } catch { return .failure(error) }
    }

    /// SHA-256 (hex) and size of a whole file, streamed.
    static func hashFile(_ path: String) throws(ArchiveError) -> (hash: String, size: Int) {
        let fd = try POSIX.open(path, O_RDONLY)
        defer { close(fd) }
        var hasher = StreamingSHA256()
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var total = 0
        while true {
            let n = buffer.withUnsafeMutableBytes { b in SystemCall.retrying { read(fd, b.baseAddress!, b.count) } }
            if n < 0 { throw POSIX.error("read", path) }
            if n == 0 { break }
            buffer.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
            total += n
        }
        return (hasher.finalizeHex(), total)
    }

    /// The members of a pack file found by inflating it from the start: each member's hash
    /// (of its inflated bytes), offset and length, in file order. Throws when the file is not
    /// a sequence of complete gzip members.
    static func scanMembers(_ path: String) throws(ArchiveError) -> [PackEntry] {
        let fd = try POSIX.open(path, O_RDONLY)
        defer { close(fd) }
        let size = POSIX.fileSizeOf(fd)
        var entries: [PackEntry] = []
        var offset = 0
        let chunkSize = 256 * 1024
        var buffer = [UInt8](repeating: 0, count: chunkSize)
        while offset < size {
            let inflater = try InflaterPool.shared.take()
            defer { InflaterPool.shared.give(inflater) }
            var hasher = StreamingSHA256()
            var consumed = 0
            while !inflater.finished {
                let want = min(chunkSize, size - offset - consumed)
                guard want > 0 else { throw ArchiveError("truncated gzip member at offset \(offset)") }
                let n = buffer.withUnsafeMutableBytes { b in SystemCall.retrying { pread(fd, b.baseAddress!, want, off_t(offset + consumed)) } }
                if n < 0 { throw POSIX.error("read", path) }
                if n == 0 { throw ArchiveError("truncated gzip member at offset \(offset)") }
                let used: Result<Int, ArchiveError> = buffer.withUnsafeBytes { raw in
                    do throws(ArchiveError) {
                        return .success(try inflater.feed(UnsafeRawBufferPointer(rebasing: raw[0..<n])) { hasher.update($0) })
                    } catch { return .failure(error) }
                }
                do { consumed += try used.get() } catch { throw ArchiveError("member at offset \(offset): \(error.message)") }
            }
            entries.append(PackEntry(key: ObjectKey(hex: hasher.finalizeHex())!, offset: offset, length: consumed))
            offset += consumed
        }
        return entries
    }

    /// Writes `bytes` to a new temporary file in `objects/pack/` and fsyncs it; returns its path.
    private func writeTemporary(_ bytes: [UInt8], suffix: String) throws(ArchiveError) -> String {
        let temp = packDirectory + "/" + Self.packTemporaryName(suffix)
        let fd = try POSIX.open(temp, O_WRONLY | O_CREAT | O_EXCL, 0o444)
        do {
            try POSIX.writeAll(fd, bytes, path: temp)
            try POSIX.fsync(fd, path: temp)
        } catch {
            close(fd); unlink(temp)
            throw error
        }
        close(fd)
        return temp
    }

    /// `.tmp-<pid>-<random>-<suffix>`: the pid lets the next writer remove it once we are dead.
    static func packTemporaryName(_ suffix: String) -> String {
        ".tmp-\(getpid())-\(String(UInt64.random(in: 0...UInt64.max) & 0xffff_ffff, radix: 36))-\(suffix)"
    }

    /// Gives every pack without a usable index one, read from the pack itself, when the pack is
    /// intact (it hashes to its name): what a crash between the two renames, or a damaged index,
    /// leaves. A damaged pack is reported and left alone. An index whose pack is gone is removed.
    func rebuildIndexes(_ report: inout PackReport) throws(ArchiveError) {
        let names = (try? POSIX.listDirectory(packDirectory)) ?? []
        let present = Set(names)
        var changed = false
        for fileName in names.sorted() {
            if let name = PackFormat.packName(fileName: fileName, suffix: ".idx"), !present.contains(name + ".pack") {
                if unlink(packDirectory + "/" + fileName) == 0 { changed = true }
                continue
            }
            guard let name = PackFormat.packName(fileName: fileName, suffix: ".pack") else { continue }
            let rel = PackFormat.relativeDirectory + "/" + fileName
            if present.contains(name + ".idx"), (try? Pack(directory: packDirectory, name: name)) != nil { continue }
            let (sha, size) = try Self.hashFile(packDirectory + "/" + fileName)
            guard "pack-" + sha == name else {
                report.problems.append(VerifyProblem(.error, rel, "damaged: its content hashes to \(sha), not to its name; not used and kept as it is (its objects are read from other copies, if any)"))
                continue
            }
            var entries: [PackEntry]
            do { entries = try Self.scanMembers(packDirectory + "/" + fileName) } catch {
                report.problems.append(VerifyProblem(.error, rel, "not a sequence of gzip members (\(error.message)); not used"))
                continue
            }
            entries.sort { $0.key < $1.key }
            var unique: [PackEntry] = []
            for e in entries where unique.last?.key != e.key { unique.append(e) }
            let temp = try writeTemporary(PackFormat.indexBytes(entries: unique, packSize: size, packChecksum: sha), suffix: "idx")
            do { try POSIX.rename(temp, packDirectory + "/" + name + ".idx") } catch { unlink(temp); throw error }
            report.indexesRebuilt.append(PackFormat.relativeDirectory + "/" + name + ".idx")
            changed = true
        }
        if changed { try POSIX.syncDirectory(packDirectory) }
    }

    /// Moves loose objects into a new pack and merges small packs into it (see the protocol
    /// above and `PackOptions.factor`). Call with the writers' lock held.
    public func pack(_ options: PackOptions = PackOptions()) throws(ArchiveError) -> PackReport {
        let started = Date()
        var mark = started
        func lap(_ slot: WritableKeyPath<PackTimings, Double>, _ report: inout PackReport) {
            let now = Date()
            report.timings[keyPath: slot] += now.timeIntervalSince(mark)
            mark = now
        }
        var report = PackReport()
        guard POSIX.exists(objectsPath) else { return report }
        if try POSIX.mkdir(packDirectory) { try POSIX.syncDirectory(objectsPath) }
        removeStaleTemporaryFiles()
        report.diskBytesBefore = diskUsage()
        try rebuildIndexes(&report)
        let all = packs.snapshot(rescan: true).packs
        report.packsBefore = all.count
        // A pack whose every object has a good copy in the other packs is redundant (what a
        // crash after a merge's rename leaves): it is removed with the merged packs.
        let redundant = redundantPacks(all)
        let existing = all.filter { p in !redundant.contains { $0 === p } }
        let loose = listLoose()
        report.looseBefore = loose.count

        // 1. Loose objects a pack already holds a good copy of are only removed; a pack found
        //    holding a damaged copy is replaced (merged) so that the good copy takes its place.
        var alreadyPacked: [Int] = []
        var toPack: [Int] = []
        var damagedPacks = Set<String>()
        for (i, l) in loose.enumerated() {
            var good = false
            for (pack, entry) in packs.locations(l.key).found {
                if let compressed = try? pack.read(entry), case .success = Self.check(compressed, key: l.key) { good = true; break }
                damagedPacks.insert(pack.name)
            }
            if good { alreadyPacked.append(i) } else { toPack.append(i) }
        }

        // 2. Which packs to merge.
        var merge: [Pack]
        if options.all {
            merge = existing
        } else {
            merge = existing.filter { damagedPacks.contains($0.name) }
            var total = toPack.count + merge.reduce(0) { $0 + $1.index.count }
            for p in existing.filter({ !damagedPacks.contains($0.name) }).sorted(by: { $0.index.count < $1.index.count }) {
                guard total > 0, p.index.count <= options.factor * total else { break }
                merge.append(p)
                total += p.index.count
            }
        }
        if toPack.isEmpty && merge.count < 2 { merge = [] }
        lap(\.scan, &report)

        // 3. Every object to write, with its copies: loose first, then the merged packs'.
        var newPackName: String?
        var looseWritten: [Int] = []
        var incomplete = Set<Int>() // merged packs some of whose objects found no good copy
        if !toPack.isEmpty || merge.contains(where: { $0.index.count > 0 }) {
            var items: [(key: ObjectKey, rank: Int, source: Source)] = toPack.map { (loose[$0].key, 0, .loose($0)) }
            for (m, p) in merge.enumerated() {
                try p.index.forEachEntry { e in items.append((e.key, m + 1, .packed(m, e))) }
            }
            items.sort { $0.key != $1.key ? $0.key < $1.key : $0.rank < $1.rank }
            var groups: [Range<Int>] = []
            var start = 0
            for i in 1...items.count where i == items.count || items[i].key != items[start].key {
                groups.append(start..<i)
                start = i
            }
            let sources = items.map(\.source)
            let kept = existing.filter { p in !merge.contains { $0 === p } }
            newPackName = try writePack(groups: groups, keys: items.map(\.key), sources: sources, loose: loose, merge: merge,
                                        kept: kept, options: options, report: &report, looseWritten: &looseWritten, incomplete: &incomplete)
        }
        lap(\.copy, &report)
        report.timings.copy -= report.timings.sync

        // 4. Removals, only now that the new pack (and any pack relied on) is durable.
        try POSIX.syncDirectory(packDirectory)
        var removed = 0
        let doomed = (looseWritten + alreadyPacked).sorted()
        var directories = Set(doomed.map { loose[$0].directory })
        if let step = options.step {
            // One at a time, so that a crash test stops after exactly the K-th removal.
            for i in doomed where unlink(loose[i].path) == 0 {
                removed += 1
                step(.deleting, removed)
            }
        } else {
            // Removing a file is work in the kernel (ext4 frees its inode and blocks): spread
            // over threads, directory by directory, it takes half the time.
            var byDirectory: [[String]] = []
            for i in doomed {
                if byDirectory.isEmpty || (byDirectory[byDirectory.count - 1].first.map { ($0 as NSString).deletingLastPathComponent } != loose[i].directory) {
                    byDirectory.append([])
                }
                byDirectory[byDirectory.count - 1].append(loose[i].path)
            }
            let count = SharedCounter()
            let groups = byDirectory
            parallelForEach(count: groups.count, workers: 2 * ProcessInfo.processInfo.activeProcessorCount) { g in
                for p in groups[g] where unlink(p) == 0 { _ = count.next() }
            }
            removed = count.next()
        }
        report.looseRemoved = removed
        // A directory left empty goes too (a full one takes blocks it never gives back; an
        // importer makes it again when it needs it, see `ObjectBatch.add`).
        var removedDirectories = false
        for d in directories.sorted() where rmdir(d) == 0 {
            forgetDirectory(Substring(d.suffix(2)))
            directories.remove(d)
            removedDirectories = true
        }
        // Removing is not what keeps anything safe (a removal a crash undoes leaves a duplicate),
        // but make it durable too: one file-system sync beats a fsync per directory.
        if directories.count > 16 { try POSIX.syncFileSystem(objectsPath) } else {
            for d in directories.sorted() { try POSIX.syncDirectory(d) }
            if removedDirectories { try POSIX.syncDirectory(objectsPath) }
        }
        var mergedAway = false
        let replaced = merge.enumerated().filter { !incomplete.contains($0.offset) }.map(\.element) + redundant
        for p in replaced where p.name != newPackName {
            // The pack first: an index without its pack is never used (and is removed later).
            if unlink(p.packPath) == 0 {
                unlink(packDirectory + "/" + p.name + ".idx")
                report.packsMerged.append(p.relativePath)
                mergedAway = true
                removed += 1
                options.step?(.deleting, removed)
            }
        }
        if mergedAway { try POSIX.syncDirectory(packDirectory) }
        lap(\.remove, &report)
        report.packsAfter = packs.snapshot(rescan: true).packs.count
        report.looseAfter = looseObjectCount()
        report.diskBytesAfter = diskUsage()
        report.seconds = Date().timeIntervalSince(started)
        return report
    }

    /// The packs all of whose objects have a checked copy in another pack (not itself
    /// redundant). Packs are normally disjoint, so this costs one lookup per pack: a pack whose
    /// first object no other pack holds is not looked at further.
    func redundantPacks(_ all: [Pack]) -> [Pack] {
        var redundant: [Pack] = []
        for p in all.sorted(by: { $0.index.count < $1.index.count }) where p.index.count > 0 {
            let others = all.filter { o in o !== p && !redundant.contains { $0 === o } }
            func goodCopyElsewhere(_ key: ObjectKey) -> Bool {
                for o in others {
                    guard let e = try? o.index.find(key), let b = try? o.read(e) else { continue }
                    if case .success = Self.check(b, key: key) { return true }
                }
                return false
            }
            guard let first = try? p.index.entry(0), goodCopyElsewhere(first.key) else { continue }
            var covered = true
            do {
                try p.index.forEachEntry { (e: PackEntry) throws(ArchiveError) in
                    if !goodCopyElsewhere(e.key) { covered = false; throw ArchiveError("not covered") }
                }
            } catch { covered = false }
            if covered { redundant.append(p) }
        }
        return redundant
    }

    enum Source: Sendable {
        case loose(Int)
        case packed(Int, PackEntry)
    }

    /// Writes the new pack and its index (temporary files, fsync, rename, fsync of the
    /// directory) from the first good copy of every group; returns the pack's name, nil when
    /// no object had a good copy.
    private func writePack(groups: [Range<Int>], keys: [ObjectKey], sources: [Source], loose: [LooseObject], merge: [Pack],
                           kept: [Pack], options: PackOptions, report: inout PackReport,
                           looseWritten: inout [Int], incomplete: inout Set<Int>) throws(ArchiveError) -> String? {
        func size(_ s: Source) -> Int {
            switch s { case .loose(let i): return loose[i].size; case .packed(_, let e): return e.length }
        }
        func place(_ s: Source, _ key: ObjectKey) -> String {
            switch s {
            case .loose(let i): return Self.relativePath(for: loose[i].hash)
            case .packed(let m, _): return "\(merge[m].relativePath) (object \(key.hex))"
            }
        }
        let totalBytes = groups.reduce(0) { $0 + size(sources[$1.lowerBound]) }
        let temp = packDirectory + "/" + Self.packTemporaryName("pack")
        let fd = try POSIX.open(temp, O_WRONLY | O_CREAT | O_EXCL, 0o444)
        var keepTemp = false
        defer { close(fd); if !keepTemp { unlink(temp) } }
        var hasher = StreamingSHA256()
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 21)
        var offset = 0
        var flushedTo = 0
        func flush() throws(ArchiveError) {
            guard !buffer.isEmpty else { return }
            try POSIX.writeAll(fd, buffer, offset: Int64(flushedTo), path: temp)
            flushedTo += buffer.count
            buffer.removeAll(keepingCapacity: true)
        }
        var entries: [PackEntry] = []
        entries.reserveCapacity(groups.count)
        var done = 0, bytesDone = 0
        // Read and check a chunk of objects on every core, then append them in order.
        let chunk = 256
        // `covered`: an object of a merged pack that a kept pack also holds (checked): not
        // written again (only a crash leaves such duplicates).
        struct Checked { var bytes: [UInt8]? = nil; var covered = false; var source = 0; var originalSize = 0; var reasons: [String] = [] }
        for chunkStart in stride(from: 0, to: groups.count, by: chunk) {
            let slice = Array(groups[chunkStart..<min(groups.count, chunkStart + chunk)])
            let results = UnsafeMutableBufferPointer<Checked>.allocate(capacity: slice.count)
            results.initialize(repeating: Checked())
            defer { results.deinitialize(); results.deallocate() }
            let box = UnsafeSendable(results)
            let ctx = UnsafeSendable((slice, keys, sources, loose, merge, kept))
            parallelForEach(count: slice.count) { k in
                let (slice, keys, sources, loose, merge, kept) = ctx.value
                var out = Checked()
                let key = keys[slice[k].lowerBound]
                if !kept.isEmpty, !slice[k].contains(where: { if case .loose = sources[$0] { return true }; return false }) {
                    for o in kept {
                        guard let e = try? o.index.find(key), let b = try? o.read(e) else { continue }
                        if case .success = Self.check(b, key: key) { out.covered = true; break }
                    }
                    if out.covered { box.value[k] = out; return }
                }
                for s in slice[k] {
                    let compressed: [UInt8]
                    do throws(ArchiveError) {
                        switch sources[s] {
                        case .loose(let i):
                            guard let b = try POSIX.readFileIfPresent(loose[i].path) else { out.reasons.append("missing"); continue }
                            compressed = b
                        case .packed(let m, let e): compressed = try merge[m].read(e)
                        }
                    } catch { out.reasons.append(error.message); continue }
                    switch Self.check(compressed, key: keys[s]) {
                    case .success(let n): out.bytes = compressed; out.source = s; out.originalSize = n
                    case .failure(let e): out.reasons.append(e.message); continue
                    }
                    break
                }
                box.value[k] = out
            }
            for (k, group) in slice.enumerated() {
                let r = results[k]
                let key = keys[group.lowerBound]
                if r.covered {
                    // Nothing to write; the merged pack may still go.
                } else if let bytes = r.bytes {
                    entries.append(PackEntry(key: key, offset: offset, length: bytes.count))
                    bytes.withUnsafeBytes { hasher.update($0) }
                    buffer += bytes
                    offset += bytes.count
                    if buffer.count >= 1 << 20 { try flush() }
                    report.storedBytes += bytes.count
                    report.originalBytes += r.originalSize
                    var hadLoose = false
                    for s in group { if case .loose(let i) = sources[s] { looseWritten.append(i); hadLoose = true } }
                    if hadLoose { report.fromLoose += 1 } else { report.fromPacks += 1 }
                } else {
                    for s in group { if case .packed(let m, _) = sources[s] { incomplete.insert(m) } }
                    let copies = group.map { place(sources[$0], key) }
                    report.problems.append(VerifyProblem(.error, copies[0],
                        "not packed: no good copy (\(zip(copies, r.reasons).map { "\($0): \($1)" }.joined(separator: "; "))); left where it is (import its document's file again to write a good copy)"))
                }
                done += 1
                bytesDone += size(sources[group.lowerBound])
                options.progress?(PackProgress(objectsDone: done, objectsTotal: groups.count, storedBytesDone: bytesDone, storedBytesTotal: totalBytes))
            }
        }
        guard !entries.isEmpty else { return nil }
        let syncStarted = Date()
        defer { report.timings.sync += Date().timeIntervalSince(syncStarted) }
        try flush()
        try POSIX.fsync(fd, path: temp)
        let sha = hasher.finalizeHex()
        let name = "pack-" + sha
        let index = PackFormat.indexBytes(entries: entries, packSize: offset, packChecksum: sha)
        let tempIndex = try writeTemporary(index, suffix: "idx")
        options.step?(.written, 1)
        do {
            try POSIX.rename(temp, packDirectory + "/" + name + ".pack")
            keepTemp = true
            try POSIX.rename(tempIndex, packDirectory + "/" + name + ".idx")
        } catch {
            unlink(tempIndex)
            throw error
        }
        try POSIX.syncDirectory(packDirectory)
        options.step?(.renamed, 1)
        report.pack = PackFormat.relativeDirectory + "/" + name + ".pack"
        report.objectsPacked = entries.count
        report.packBytes = offset
        report.indexBytes = index.count
        _ = packs.snapshot(rescan: true)
        return name
    }
}
