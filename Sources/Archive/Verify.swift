import Foundation
import Platform

/// One thing `verify` found wrong, named by its path inside the archive.
public struct VerifyProblem: Sendable, Equatable, CustomStringConvertible {
    public enum Severity: String, Sendable { case error, warning }
    public let severity: Severity
    /// Path relative to the archive directory, e.g. "objects/ab/cd...gz" or "manifest.jsonl:12".
    public let path: String
    public let message: String

    public init(_ severity: Severity, _ path: String, _ message: String) {
        self.severity = severity; self.path = path; self.message = message
    }

    public var description: String { "\(path): \(severity == .warning ? "warning: " : "")\(message)" }
}

/// Progress of a verification, by objects and stored (compressed) bytes.
public struct VerifyProgress: Sendable {
    public var objectsDone: Int
    public var objectsTotal: Int
    public var storedBytesDone: Int
    public var storedBytesTotal: Int
}

/// What `verify` found.
public struct VerifyReport: Sendable {
    /// Object copies checked: loose files and packed members.
    public var objects = 0
    /// Packs whose index was usable.
    public var packs = 0
    /// Of `objects`, the members of packs.
    public var packedObjects = 0
    /// Original bytes re-hashed.
    public var originalBytes = 0
    /// Compressed bytes read.
    public var storedBytes = 0
    public var records = 0
    /// Objects no manifest line refers to (left by interrupted or failed imports; harmless).
    public var unreferencedObjects = 0
    public var problems: [VerifyProblem] = []
    public var seconds = 0.0

    public var errors: [VerifyProblem] { problems.filter { $0.severity == .error } }
    public var warnings: [VerifyProblem] { problems.filter { $0.severity == .warning } }
    /// True when nothing is wrong (warnings allowed).
    public var isClean: Bool { errors.isEmpty }
}

/// Checks an archive like `git fsck`: re-hashes every object, loose or packed (streaming
/// inflate, on all cores), checks every pack (its checksum, which is its name) and its index
/// (checksum, order, ranges), every manifest line, and that every record's object exists and
/// matches.
package enum ArchiveVerifier {
    /// One copy of an object: a loose file, or a member of a pack.
    struct ObjectFile {
        let hash: String
        let rel: String
        let size: Int
        var pack: Pack? = nil
        var entry: PackEntry? = nil
        /// Where a problem with this copy is reported.
        var problemPath: String { pack?.relativePath ?? rel }
        func describe(_ message: String) -> String {
            guard let entry else { return message }
            return "object \(hash) (offset \(entry.offset), \(entry.length) bytes): \(message)"
        }
    }

    public static func verify(archive: URL, progress: ((VerifyProgress) -> Void)? = nil) -> VerifyReport {
        let started = Date()
        var report = VerifyReport()
        let root = archive.standardizedFileURL.path
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDir), isDir.boolValue else {
            report.problems.append(VerifyProblem(.error, root, "no archive here"))
            return report
        }

        // 1. Objects on disk.
        var files: [ObjectFile] = []
        let objectsPath = root + "/objects"
        if POSIX.exists(objectsPath) {
            do {
                for dir in try POSIX.listDirectory(objectsPath).sorted() {
                    if dir == "pack" { continue }
                    let dirPath = objectsPath + "/" + dir
                    var st = stat()
                    guard stat(dirPath, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else {
                        report.problems.append(VerifyProblem(.warning, "objects/\(dir)", "unexpected file in objects/"))
                        continue
                    }
                    guard ContentHash.isLowerHex(dir, count: 2) else {
                        report.problems.append(VerifyProblem(.warning, "objects/\(dir)", "unexpected directory in objects/"))
                        continue
                    }
                    let names: [String]
                    do { names = try POSIX.listDirectory(dirPath).sorted() } catch {
                        report.problems.append(VerifyProblem(.error, "objects/\(dir)", "cannot read directory: \(error)"))
                        continue
                    }
                    for name in names {
                        let rel = "objects/\(dir)/\(name)"
                        if name.hasPrefix(".tmp-") {
                            report.problems.append(VerifyProblem(.warning, rel, "stray temporary file (left by an interrupted import; the next import or `vanban verify --repair` removes it)"))
                            continue
                        }
                        guard name.hasSuffix(".gz"), ContentHash.isLowerHex(String(name.dropLast(3)), count: 62) else {
                            report.problems.append(VerifyProblem(.warning, rel, "unexpected file in objects/"))
                            continue
                        }
                        files.append(ObjectFile(hash: dir + name.dropLast(3), rel: rel, size: POSIX.fileSize(root + "/" + rel) ?? 0))
                    }
                }
            } catch {
                report.problems.append(VerifyProblem(.error, "objects", "cannot read directory: \(error)"))
            }
        }

        // 1b. Packs and their indexes.
        let packFiles = checkPacks(root: root, report: &report)
        report.packedObjects = packFiles.count
        files += packFiles

        // 2. Manifest lines.
        let manifest = Manifest(archive: archive)
        var referenced: [String: (line: Int, size: Int, id: String)] = [:]
        var lastSeq = 0
        let manifestName = "manifest.jsonl"
        do {
            let scan = try Manifest.scan(path: manifest.path) { r, line in
                report.records += 1
                let here = "\(manifestName):\(line)"
                if r.seq <= lastSeq {
                    report.problems.append(VerifyProblem(.error, here, "seq \(r.seq) does not follow seq \(lastSeq)"))
                }
                lastSeq = max(lastSeq, r.seq)
                if !ContentHash.isLowerHex(r.hash, count: 64) {
                    report.problems.append(VerifyProblem(.error, here, "hash '\(r.hash)' is not 64 lowercase hex digits"))
                    return
                }
                let expectedID = ContentHash.documentID(key: r.metadata.key, contentHash: r.hash)
                if r.id != expectedID {
                    report.problems.append(VerifyProblem(.error, here, "id \(r.id) does not match its \(r.metadata.key == nil ? "content hash" : "key") (expected \(expectedID))"))
                }
                if r.size < 0 { report.problems.append(VerifyProblem(.error, here, "negative size")) }
                if let old = referenced[r.hash], old.size != r.size {
                    report.problems.append(VerifyProblem(.error, here, "size \(r.size) disagrees with line \(old.line) (\(old.size)) for the same object"))
                }
                if referenced[r.hash] == nil { referenced[r.hash] = (line, r.size, r.id) }
            }
            for bad in scan.badLines {
                report.problems.append(VerifyProblem(.error, "\(manifestName):\(bad.line)", bad.reason))
            }
            for line in scan.blankLines {
                report.problems.append(VerifyProblem(.warning, "\(manifestName):\(line)", "blank line"))
            }
            if let torn = scan.tornTail {
                if manifest.isWriterActive() {
                    report.problems.append(VerifyProblem(.warning, "\(manifestName):\(torn.line)", "incomplete last line: an import is writing it"))
                } else {
                    report.problems.append(VerifyProblem(.error, "\(manifestName):\(torn.line)", "\(torn.reason); readers ignore it; `vanban verify --repair` moves it aside"))
                }
            }
        } catch {
            report.problems.append(VerifyProblem(.error, manifestName, "cannot read: \(error)"))
        }

        // 3. Re-hash every object, largest first, on all cores.
        let onDisk = Set(files.map(\.hash))
        let order = files.sorted { $0.size > $1.size }
        let results = checkObjects(order, root: root, referenced: referenced, progress: progress)
        var good: [String: String] = [:] // hash -> a copy that checked out
        for (f, r) in zip(order, results) where r.problem == nil && good[f.hash] == nil { good[f.hash] = f.pack == nil ? f.rel : f.pack!.relativePath }
        for (f, r) in zip(order, results) {
            report.objects += 1
            report.storedBytes += f.size
            report.originalBytes += r.originalSize
            if var p = r.problem {
                if let other = good[f.hash] {
                    p = VerifyProblem(p.severity, p.path, p.message + " (a good copy is in \(other), so nothing is lost; "
                                      + (f.pack == nil ? "the next `vanban pack` removes this file)" : "the next `vanban pack` replaces this pack)"))
                }
                report.problems.append(p)
            }
        }
        report.problems.sort { a, b in
            a.path == b.path ? a.message < b.message : a.path.localizedStandardCompare(b.path) == .orderedAscending
        }
        // 4. Records whose object is missing.
        var missing: [VerifyProblem] = []
        for (hash, ref) in referenced where !onDisk.contains(hash) {
            missing.append(VerifyProblem(.error, ObjectStore.relativePath(for: hash),
                                         "missing object (referenced by \(manifestName):\(ref.line), document \(ref.id))"))
        }
        missing.sort { $0.path < $1.path }
        report.problems.append(contentsOf: missing)
        report.unreferencedObjects = onDisk.filter { referenced[$0] == nil }.count
        report.seconds = Date().timeIntervalSince(started)
        return report
    }

    struct ObjectResult: Sendable { var originalSize = 0; var problem: VerifyProblem? }

    /// Checks `objects/pack/`: each pack against its name (the SHA-256 of its content), each
    /// index (see `PackIndex`: checksum, header, fanout, order, ranges, the pack it names).
    /// Returns the members of the packs whose index is usable, to be checked one by one.
    static func checkPacks(root: String, report: inout VerifyReport) -> [ObjectFile] {
        let dir = root + "/" + PackFormat.relativeDirectory
        guard POSIX.exists(dir) else { return [] }
        let names: [String]
        do { names = try POSIX.listDirectory(dir).sorted() } catch {
            report.problems.append(VerifyProblem(.error, PackFormat.relativeDirectory, "cannot read directory: \(error)"))
            return []
        }
        let present = Set(names)
        var members: [ObjectFile] = []
        for fileName in names {
            let rel = PackFormat.relativeDirectory + "/" + fileName
            if fileName.hasPrefix(".tmp-") {
                report.problems.append(VerifyProblem(.warning, rel, "stray temporary file (left by an interrupted pack; the next import, `vanban pack` or `vanban verify --repair` removes it)"))
                continue
            }
            if let name = PackFormat.packName(fileName: fileName, suffix: ".idx") {
                if !present.contains(name + ".pack") {
                    report.problems.append(VerifyProblem(.warning, rel, "index without its pack (left by an interrupted pack; not used; the next `vanban pack` removes it)"))
                }
                continue
            }
            guard let name = PackFormat.packName(fileName: fileName, suffix: ".pack") else {
                report.problems.append(VerifyProblem(.warning, rel, "unexpected file in objects/pack/"))
                continue
            }
            var intact = false
            do {
                let (sha, _) = try ObjectStore.hashFile(dir + "/" + fileName)
                intact = "pack-" + sha == name
                if !intact {
                    report.problems.append(VerifyProblem(.error, rel, "checksum mismatch: the pack's content hashes to \(sha), not to its name (damaged; each object read from it is checked, and a damaged one is never used)"))
                }
            } catch {
                // Merged into a newer pack and removed while we looked: not a problem.
                if !POSIX.exists(dir + "/" + fileName) { continue }
                report.problems.append(VerifyProblem(.error, rel, "cannot read: \(error.message)"))
            }
            let idxRel = PackFormat.relativeDirectory + "/" + name + ".idx"
            guard present.contains(name + ".idx") else {
                report.problems.append(intact
                    ? VerifyProblem(.warning, rel, "has no index (left by an interrupted pack; its objects are not read from it until the next `vanban pack` writes the index again from the pack)")
                    : VerifyProblem(.error, rel, "has no index, and the pack is damaged: its objects are not read from it"))
                continue
            }
            let pack: Pack
            do { pack = try Pack(directory: dir, name: name) } catch {
                report.problems.append(VerifyProblem(.error, idxRel, "\(error.message); not used, so the objects of \(name).pack are not read from it"
                    + (intact ? " (the pack is intact: the next `vanban pack` writes its index again)" : "")))
                continue
            }
            report.packs += 1
            do {
                try pack.index.forEachEntry { e in
                    members.append(ObjectFile(hash: e.key.hex, rel: rel, size: e.length, pack: pack, entry: e))
                }
            } catch {
                report.problems.append(VerifyProblem(.error, idxRel, "cannot read: \(error.message)"))
            }
        }
        return members
    }

    static func checkObjects(_ files: [ObjectFile], root: String,
                             referenced: [String: (line: Int, size: Int, id: String)],
                             progress: ((VerifyProgress) -> Void)?) -> [ObjectResult] {
        let results = UnsafeMutableBufferPointer<ObjectResult>.allocate(capacity: files.count)
        results.initialize(repeating: ObjectResult())
        defer { results.deallocate() }
        let completed = CompletionCounter()
        let totalBytes = files.reduce(0) { $0 + $1.size }
        let box = UnsafeSendable(results)
        let progressBox = UnsafeSendable(progress)
        let sizes = referenced.mapValues(\.size)
        parallelForEach(count: files.count) { i in
                let f = files[i]
                var result = ObjectResult()
                var hasher = StreamingSHA256()
                var size = 0
                do throws(ArchiveError) {
                    let actual: String
                    if let pack = f.pack, let entry = f.entry {
                        let compressed = try pack.read(entry)
                        guard compressed.count >= 2, compressed[0] == 0x1F, compressed[1] == 0x8B else {
                            throw ArchiveError("not a gzip stream (no gzip magic at its offset)")
                        }
                        (actual, size) = try ObjectStore.inflateAndHash(compressed)
                    } else {
                        try Gzip.inflateFile(root + "/" + f.rel) { chunk in
                            hasher.update(chunk)
                            size += chunk.count
                        }
                        actual = hasher.finalizeHex()
                    }
                    result.originalSize = size
                    if actual != f.hash {
                        result.problem = VerifyProblem(.error, f.problemPath, f.describe("hash mismatch: the content hashes to \(actual)"))
                    } else if let expected = sizes[f.hash], expected != size {
                        result.problem = VerifyProblem(.error, f.problemPath, f.describe("size \(size) differs from the manifest's \(expected)"))
                    }
                } catch {
                    // A loose file that is gone now was packed meanwhile (a packer removes it
                    // only once its pack is durable): nothing is wrong with it.
                    if f.pack != nil || POSIX.exists(root + "/" + f.rel) {
                        result.problem = VerifyProblem(.error, f.problemPath, f.describe(error.message))
                    }
                }
                box.value[i] = result
                completed.finished(bytes: f.size) { done, bytes in
                    progressBox.value?(VerifyProgress(objectsDone: done, objectsTotal: files.count,
                                                      storedBytesDone: bytes, storedBytesTotal: totalBytes))
                }
        }
        return Array(results)
    }
}

/// Completion counts shared by worker threads, for progress.
final class CompletionCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var done = 0
    private var bytes = 0
    /// Counts one finished item and calls `report` with the totals, serialized.
    func finished(bytes b: Int, report: (Int, Int) -> Void) {
        lock.withLock { done += 1; bytes += b; report(done, bytes) }
    }
}
