import Platform
import Foundation

/// The content-addressed object store: `objects/ab/<62 hex>.gz` (a loose object) holds the gzip
/// of the original bytes whose SHA-256 is `ab<62 hex>`; `objects/pack/` holds packs of such
/// gzip members with an index (Pack.swift, Packer.swift). Objects are immutable: one is only
/// ever replaced when it is missing or damaged, by the same bytes (a re-import heals it, with a
/// loose copy, which readers try before any packed one).
package final class ObjectStore: @unchecked Sendable {
    /// What `put` did.
    public struct PutResult: Sendable, Equatable {
        /// 64 lowercase hex digits: SHA-256 of the original bytes.
        public let hash: String
        /// Size of the .gz file.
        public let storedSize: Int
        /// False when the object was already there (nothing was written).
        public let isNew: Bool
    }

    /// How a batch makes its objects durable.
    public enum Durability: String, Sendable, CaseIterable {
        /// Write temp files unsynced, `syncfs` the file system, rename them into place, `syncfs`
        /// again. Two syncs per batch whatever its size (Linux; `sync` elsewhere).
        case fileSystemSync = "syncfs"
        /// `fdatasync` every temp file (in the writing thread), rename, then fsync every
        /// directory that received an object.
        case perFileSync = "fsync"
    }

    public let archiveURL: URL
    /// Absolute path of the archive directory.
    public let root: String
    /// Absolute path of `objects/`.
    public let objectsPath: String
    /// Absolute path of `objects/pack/`.
    public let packDirectory: String
    /// The packs this process reads from.
    public let packs: PackSet

    private let knownLock = NSLock()
    private var knownDirectories = Set<Substring>() // objects/<xx> seen to exist

    /// Forgets that `objects/<prefix>` exists (a packer removed it once it was empty).
    func forgetDirectory(_ prefix: Substring) {
        _ = knownLock.withLock { knownDirectories.remove(prefix) }
    }

    public init(archive: URL) {
        archiveURL = archive.standardizedFileURL
        root = archiveURL.path
        objectsPath = root + "/objects"
        packDirectory = objectsPath + "/pack"
        packs = PackSet(directory: packDirectory)
    }

    /// Makes `objects/<first two hex>` exist; returns true when this call created it.
    func ensureDirectory(for hash: String) throws(ArchiveError) -> Bool {
        let prefix = hash.prefix(2)
        if knownLock.withLock({ knownDirectories.contains(prefix) }) { return false }
        let created = try POSIX.mkdir(objectsPath + "/" + prefix)
        knownLock.withLock { _ = knownDirectories.insert(prefix) }
        return created
    }

    /// Creates `archive/` and `archive/objects/` when missing (durably), and the archive's
    /// id (`ArchiveIdentity`) when it has none: the first write of an archive gives it its id.
    public func createDirectories() throws(ArchiveError) {
        let parent = (root as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        } catch {
            throw ArchiveError("\(root): cannot create the archive directory: \(error.localizedDescription)")
        }
        if try POSIX.mkdir(objectsPath) {
            try POSIX.syncDirectory(root)
            if !parent.isEmpty { try? POSIX.syncDirectory(parent) }
        }
        try ArchiveIdentity.ensure(archive: archiveURL)
    }

    /// `objects/ab/<62 hex>.gz`, relative to the archive directory.
    public static func relativePath(for hash: String) -> String {
        "objects/\(hash.prefix(2))/\(hash.dropFirst(2)).gz"
    }

    /// Absolute path of the object file for `hash`.
    public func path(for hash: String) -> String {
        root + "/" + Self.relativePath(for: hash)
    }

    /// True when the object is there, loose or packed (not checked: see `holds`).
    public func contains(_ hash: String) -> Bool {
        POSIX.exists(path(for: hash)) || isPacked(hash)
    }

    /// True when some pack's index lists the object (not checked).
    public func isPacked(_ hash: String, rescan: Bool = false) -> Bool {
        guard let key = ObjectKey(hex: hash) else { return false }
        return !packs.locations(key, rescan: rescan).found.isEmpty
    }

    /// True when the object for `hash` is there (loose or packed) and inflates to exactly
    /// `bytes`: what a re-import checks before it relies on an object (a missing or damaged
    /// one is rewritten, loose).
    public func holds(_ hash: String, bytes: [UInt8]) -> Bool {
        if let compressed = try? POSIX.readFile(path(for: hash)),
           let original = try? Gzip.decompress(compressed, sizeHint: bytes.count), original == bytes { return true }
        guard let key = ObjectKey(hex: hash) else { return false }
        for (pack, entry) in packs.locations(key).found {
            if let compressed = try? pack.read(entry),
               let original = try? Gzip.decompress(compressed, sizeHint: bytes.count), original == bytes { return true }
        }
        return false
    }

    /// Size of the stored gzip (the loose file, else the packed member), nil when the object
    /// is missing.
    public func storedSize(_ hash: String) -> Int? {
        if let size = POSIX.fileSize(path(for: hash)) { return size }
        guard let key = ObjectKey(hex: hash) else { return nil }
        return packs.locations(key).found.first?.1.length
    }

    /// Stores `bytes` durably (temp file, fsync, rename, fsync of the directory) unless an
    /// object with the same content is already there.
    @discardableResult
    public func put(_ bytes: [UInt8]) throws(ArchiveError) -> PutResult {
        let hash = ContentHash.sha256Hex(bytes)
        if let size = storedSize(hash) { return PutResult(hash: hash, storedSize: size, isNew: false) }
        let batch = ObjectBatch(store: self, durability: .perFileSync)
        guard let size = try batch.add(hash: hash, compressed: Gzip.compress(bytes)) else {
            return PutResult(hash: hash, storedSize: storedSize(hash) ?? 0, isNew: false)
        }
        try batch.commit()
        return PutResult(hash: hash, storedSize: size, isNew: true)
    }

    /// The original bytes of object `hash`, inflated and re-verified against the hash: the
    /// loose object when it is there and good, else the first good packed copy. A miss looks
    /// at `objects/pack` again before giving up (a packer may just have moved the object).
    /// Throws naming every copy tried and what was wrong with it.
    public func bytes(_ hash: String) throws(ArchiveError) -> [UInt8] {
        guard ContentHash.isLowerHex(hash, count: 64), let key = ObjectKey(hex: hash) else {
            throw ArchiveError("'\(hash)' is not a SHA-256 object name")
        }
        let rel = Self.relativePath(for: hash)
        var problems: [String] = []
        func check(_ compressed: [UInt8], _ name: String) -> [UInt8]? {
            let original: [UInt8]
            do { original = try Gzip.decompress(compressed) } catch { problems.append("\(name): \(error.message)"); return nil }
            let actual = ContentHash.sha256Hex(original)
            guard actual == hash else { problems.append("\(name): hash mismatch (content hashes to \(actual))"); return nil }
            return original
        }
        func loose() -> [UInt8]? {
            let p = path(for: hash)
            let compressed: [UInt8]?
            do { compressed = try POSIX.readFileIfPresent(p) } catch { problems.append(error.message); return nil }
            return compressed.flatMap { check($0, rel) }
        }
        if let b = loose() { return b }
        var rejected: [(path: String, reason: String)] = []
        for attempt in 0..<2 {
            let (found, snapshot, errors) = packs.locations(key, rescan: attempt == 1)
            problems += errors
            rejected = snapshot.rejected
            for (pack, entry) in found {
                let name = "\(pack.relativePath) (object \(hash))"
                let compressed: [UInt8]
                do { compressed = try pack.read(entry) } catch { problems.append(error.message); continue }
                if let b = check(compressed, name) { return b }
            }
            if !found.isEmpty { break }
            // Not in a pack this process knew: maybe packed just now (then the loose file went
            // after the pack was in place, so the second look finds it), or written loose again.
            if attempt == 0, let b = loose() { return b }
        }
        if problems.isEmpty {
            var message = "\(rel): object is missing"
            if !rejected.isEmpty {
                message += " (not in any usable pack; not used: " + rejected.map { "\($0.path): \($0.reason)" }.joined(separator: "; ") + ")"
            }
            throw ArchiveError(message)
        }
        throw ArchiveError(problems.joined(separator: "; "))
    }

    /// Number of loose objects (`objects/ab/*.gz`).
    public func looseObjectCount() -> Int {
        guard let dirs = try? POSIX.listDirectory(objectsPath) else { return 0 }
        var n = 0
        for dir in dirs where dir.utf8.count == 2 && ContentHash.isLowerHex(dir, count: 2) {
            guard let names = try? POSIX.listDirectory(objectsPath + "/" + dir) else { continue }
            n += names.reduce(0) { $0 + ($1.hasSuffix(".gz") && !$1.hasPrefix(".") ? 1 : 0) }
        }
        return n
    }

    /// Starts a batch of object writes that become durable together in `commit()`.
    public func batch(durability: Durability = .fileSystemSync) -> ObjectBatch {
        ObjectBatch(store: self, durability: durability)
    }
}

/// Objects written as temp files, made durable and renamed into place together by `commit()`.
/// `add` may be called from several threads at once.
package final class ObjectBatch: @unchecked Sendable {
    private struct Staged { let temp: String; let final: String; let dir: String }
    private struct Present { let hash: String; let path: String; let dir: String }

    public let store: ObjectStore
    public let durability: ObjectStore.Durability
    private let lock = NSLock()
    private var staged: [Staged] = []
    private var present: [Present] = []
    private var createdDirectories = false
    private var counter = 0
    private let tempPrefix: String

    init(store: ObjectStore, durability: ObjectStore.Durability) {
        self.store = store
        self.durability = durability
        tempPrefix = "/.tmp-\(getpid())-\(String(UInt64.random(in: 0...UInt64.max) & 0xffff_ffff, radix: 36))-"
    }

    /// Notes that an object this batch relies on was found already present: `commit()` makes
    /// sure it is durable too (it may have just been written by another process).
    public func notePresent(hash: String) {
        let p = store.path(for: hash)
        lock.withLock { present.append(Present(hash: hash, path: p, dir: (p as NSString).deletingLastPathComponent)) }
    }

    /// Writes `compressed` (the gzip of the bytes hashing to `hash`) to a temp file beside its
    /// final place. Returns the stored size, or nil when the object already exists (pass
    /// `checked: true` when the caller has just looked: saves a system call).
    public func add(hash: String, compressed: [UInt8], checked: Bool = false) throws(ArchiveError) -> Int? {
        let final = store.path(for: hash)
        if !checked && POSIX.exists(final) { notePresent(hash: hash); return nil }
        let dir = store.objectsPath + "/" + hash.prefix(2)
        let n = lock.withLock { () -> Int in
            counter += 1
            return counter
        }
        if try store.ensureDirectory(for: hash) { lock.withLock { createdDirectories = true } }
        let temp = dir + tempPrefix + String(n)
        var fd: Int32 = -1
        for attempt in 0..<3 {
            do { fd = try POSIX.open(temp, O_WRONLY | O_CREAT | O_EXCL, 0o444); break } catch {
                // A packer removes a directory it emptied: make it again (a few times, as it
                // may be removed again in between).
                guard attempt < 2, !POSIX.exists(dir) else { throw error }
                store.forgetDirectory(hash.prefix(2))
                if try store.ensureDirectory(for: hash) { lock.withLock { createdDirectories = true } }
            }
        }
        do {
            try POSIX.writeAll(fd, compressed, path: temp)
            if durability == .perFileSync { try POSIX.fdatasync(fd, path: temp) }
        } catch {
            close(fd)
            unlink(temp)
            throw error
        }
        close(fd)
        lock.withLock { staged.append(Staged(temp: temp, final: final, dir: dir)) }
        return compressed.count
    }

    /// Makes every added object durable under its final name: after this returns, a crash
    /// cannot lose them. Also covers objects noted present.
    public func commit() throws(ArchiveError) {
        let (items, found, newDirs) = lock.withLock { (staged, present, createdDirectories) }
        if items.isEmpty && found.isEmpty { return }
        switch durability {
        case .fileSystemSync:
            // Content durable before any final name can point at it...
            if !items.isEmpty { try POSIX.syncFileSystem(store.objectsPath) }
            try renameAll(items)
            // ...and the names durable before the manifest may reference them.
            try POSIX.syncFileSystem(store.objectsPath)
        case .perFileSync:
            try renameAll(items)
            var dirs = Set(items.map(\.dir))
            for p in found {
                let fd: Int32
                do { fd = try POSIX.open(p.path, O_RDONLY) } catch {
                    // Packed meanwhile: a packer removes a loose object only once its pack is
                    // durable, so the packed copy needs nothing more.
                    if !POSIX.exists(p.path) && store.isPacked(p.hash, rescan: true) { continue }
                    throw error
                }
                defer { close(fd) }
                try POSIX.fdatasync(fd, path: p.path)
                dirs.insert(p.dir)
            }
            for d in dirs.sorted() { try POSIX.syncDirectory(d) }
            if newDirs { try POSIX.syncDirectory(store.objectsPath) }
        }
        lock.withLock { staged.removeAll(); present.removeAll(); createdDirectories = false }
    }

    private func renameAll(_ items: [Staged]) throws(ArchiveError) {
        let failure = UnsafeSendable(FirstError<ArchiveError>())
        parallelForEach(count: items.count) { i in
            do throws(ArchiveError) { try POSIX.rename(items[i].temp, items[i].final) } catch { failure.value.record(error) }
        }
        if let e = failure.value.error { throw e }
    }

    /// Removes the temp files of objects not yet committed.
    public func abandon() {
        let items = lock.withLock { () -> [Staged] in let s = staged; staged.removeAll(); return s }
        for s in items { unlink(s.temp) }
    }

    deinit { abandon() }
}
