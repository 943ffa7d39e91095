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
    public var objects = 0
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

/// Checks an archive like `git fsck`: re-hashes every object (streaming inflate, on all
/// cores), checks every manifest line, and that every record's object exists and matches.
package enum ArchiveVerifier {
    struct ObjectFile { let hash: String; let rel: String; let size: Int }

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
        for (f, r) in zip(order, results) {
            report.objects += 1
            report.storedBytes += f.size
            report.originalBytes += r.originalSize
            if let p = r.problem { report.problems.append(p) }
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
        report.unreferencedObjects = files.filter { referenced[$0.hash] == nil }.count
        report.seconds = Date().timeIntervalSince(started)
        return report
    }

    struct ObjectResult: Sendable { var originalSize = 0; var problem: VerifyProblem? }

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
                    try Gzip.inflateFile(root + "/" + f.rel) { chunk in
                        hasher.update(chunk)
                        size += chunk.count
                    }
                    result.originalSize = size
                    let actual = hasher.finalizeHex()
                    if actual != f.hash {
                        result.problem = VerifyProblem(.error, f.rel, "hash mismatch: the content hashes to \(actual)")
                    } else if let expected = sizes[f.hash], expected != size {
                        result.problem = VerifyProblem(.error, f.rel, "size \(size) differs from the manifest's \(expected)")
                    }
                } catch {
                    result.problem = VerifyProblem(.error, f.rel, error.message)
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
