import DocumentModel
import Archive
import Platform
import Foundation

/// A document waiting for the pipeline.
struct PendingItem {
    enum Content {
        case bytes([UInt8])
        /// One JSON Lines line, decoded later (in parallel).
        case jsonLine([UInt8])
        case failed(ImportFailure)
    }
    var input: String
    var content: Content
    var fileName: String?
    var mediaType: String?
    var metadata: DocumentMetadata
    /// Bytes read from the input for this item (for progress and batching).
    var inputBytes: Int
}

/// Where documents come from, after expanding directories.
enum SourceEntry {
    /// `path` names the file in reports; `raw` is its bytes when the name is not UTF-8 (then
    /// `path` shows the bad bytes escaped, `\xFF`, and `raw` is what is opened).
    case file(path: String, size: Int, jsonLines: Bool, raw: [CChar]? = nil)
    case stdin(jsonLines: Bool)
    case payload(ImportPayload)
    case failure(input: String, ImportFailure)
}

enum InputExpander {
    static func isJSONLines(_ path: String, force: Bool) -> Bool {
        force || (path as NSString).pathExtension.lowercased() == "jsonl"
    }

    /// Turns inputs into a flat, ordered list of sources: directories are walked
    /// recursively, sorted by name (byte order), skipping hidden files and directories.
    /// Safe by default: inside a directory, a symbolic link whose target lies outside the
    /// directory given is skipped unless `followSymlinks` (a link to /etc/passwd in a folder of
    /// documents is not a document), and FIFOs, devices and sockets are skipped (reading a
    /// FIFO could block the import for ever); each skip is a line in `notes`.
    static func expand(_ inputs: [ImportInput], forceJSONLines: Bool, followSymlinks: Bool = false,
                       notes: inout [String]) -> [SourceEntry] {
        var out: [SourceEntry] = []
        for input in inputs {
            switch input {
            case .payload(let p):
                out.append(.payload(p))
            case .path(let p):
                if p == "-" { out.append(.stdin(jsonLines: forceJSONLines)); continue }
                var st = stat()
                guard stat(p, &st) == 0 else {
                    out.append(.failure(input: p, ImportFailure(.unreadable, cannotRead(errno))))
                    continue
                }
                switch st.st_mode & S_IFMT {
                case S_IFDIR:
                    let root = realPath(p) ?? p
                    walk(p, root: root, forceJSONLines: forceJSONLines, followSymlinks: followSymlinks, into: &out, notes: &notes)
                case S_IFREG:
                    out.append(.file(path: p, size: Int(st.st_size), jsonLines: isJSONLines(p, force: forceJSONLines)))
                case S_IFIFO, S_IFCHR:
                    // Named explicitly (e.g. a process substitution): read it as a stream.
                    out.append(.file(path: p, size: 0, jsonLines: isJSONLines(p, force: forceJSONLines)))
                default:
                    out.append(.failure(input: p, ImportFailure(.unreadable, "not a regular file")))
                }
            }
        }
        return out
    }

    static func cannotRead(_ code: Int32) -> String {
        code == ENOENT ? "no such file (it does not exist or vanished)" : "cannot read: \(String(cString: strerror(code)))"
    }

    static func realPath(_ p: String) -> String? {
        guard let r = realpath(p, nil) else { return nil }
        defer { free(r) }
        return String(cString: r)
    }

    /// What kind of special file `mode` is, for a note.
    static func specialKind(_ mode: mode_t) -> String {
        switch mode {
        case S_IFIFO: return "a named pipe (FIFO)"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFSOCK: return "a socket"
        default: return "not a regular file"
        }
    }

    /// The names in `dir` as bytes (a name need not be UTF-8), nil when it cannot be read.
    static func rawNames(_ dir: [CChar]) -> [[UInt8]]? {
        guard let d = opendir(dir) else { return nil }
        defer { closedir(d) }
        var names: [[UInt8]] = []
        while let entry = readdir(d) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { Array($0.prefix { $0 != 0 }) }
            if name == [0x2E] || name == [0x2E, 0x2E] { continue }
            names.append(name)
        }
        return names
    }

    /// A file name for reports: itself when UTF-8, else with each bad byte shown as `\xFF`.
    static func displayName(_ bytes: [UInt8]) -> String {
        if let s = String(validating: bytes, as: UTF8.self) { return s }
        var out = "", k = 0
        while k < bytes.count {
            // The longest valid UTF-8 sequence at k (1-4 bytes), else one escaped byte.
            var taken = false
            for n in stride(from: min(4, bytes.count - k), through: 1, by: -1) {
                if let s = String(validating: bytes[k..<(k + n)], as: UTF8.self), s.unicodeScalars.count == 1 {
                    out += s; k += n; taken = true; break
                }
            }
            if !taken { out += String(format: "\\x%02X", bytes[k]); k += 1 }
        }
        return out
    }

    private static func walk(_ dir: String, raw rawDir: [CChar]? = nil, root: String, forceJSONLines: Bool, followSymlinks: Bool,
                             into out: inout [SourceEntry], notes: inout [String]) {
        let dirBytes: [CChar] = rawDir ?? dir.utf8CString.dropLast()
        guard let names = rawNames(dirBytes + [0]) else {
            out.append(.failure(input: dir, ImportFailure(.unreadable, "cannot read directory: \(cannotRead(errno))")))
            return
        }
        let base = dir.hasSuffix("/") ? dir : dir + "/"
        let rawBase = dirBytes.last == 0x2F ? dirBytes : dirBytes + [0x2F]
        for rawName in names.sorted(by: { $0.lexicographicallyPrecedes($1) }) where rawName.first != 0x2E {
            let display = displayName(rawName)
            let path = base + display
            // Opened by its bytes; named in reports by `path` (the same unless not UTF-8).
            let rawPath: [CChar] = rawBase + rawName.map { CChar(bitPattern: $0) }
            let isUTF8 = rawDir == nil && String(validating: rawName, as: UTF8.self) != nil
            let cPath = rawPath + [0]
            var st = stat()
            guard lstat(cPath, &st) == 0 else {
                out.append(.failure(input: path, ImportFailure(.unreadable, cannotRead(errno))))
                continue
            }
            var mode = st.st_mode & S_IFMT
            if mode == S_IFLNK {
                // Follow links to files; never descend through a link to a directory (cycles).
                guard stat(cPath, &st) == 0 else {
                    out.append(.failure(input: path, ImportFailure(.unreadable, cannotRead(errno) + " (dangling symbolic link)")))
                    continue
                }
                mode = st.st_mode & S_IFMT
                if mode == S_IFDIR { continue }
                if !followSymlinks {
                    let target = cPath.withUnsafeBufferPointer { b in realpath(b.baseAddress!, nil) }.map { r in defer { free(r) }; return String(cString: r) } ?? path
                    if !(target + "/").hasPrefix(root.hasSuffix("/") ? root : root + "/") {
                        notes.append("\(path): skipped: a symbolic link to \(target), outside the directory imported, \(root) (--follow-symlinks imports it)")
                        continue
                    }
                }
            }
            switch mode {
            case S_IFDIR: walk(path, raw: isUTF8 ? nil : rawPath, root: root, forceJSONLines: forceJSONLines, followSymlinks: followSymlinks, into: &out, notes: &notes)
            case S_IFREG: out.append(.file(path: path, size: Int(st.st_size), jsonLines: isJSONLines(path, force: forceJSONLines), raw: isUTF8 ? nil : rawPath))
            default: notes.append("\(path): skipped: \(specialKind(mode)), not a regular file")
            }
        }
    }
}

/// Splits a byte stream into lines without holding more than a chunk plus one line.
final class LineReader {
    enum Line {
        case line(number: Int, bytes: [UInt8])
        case tooLong(number: Int, bytes: Int)
    }

    private let fd: Int32
    private let ownsFD: Bool
    private var buffer: [UInt8]
    private var start = 0
    private var eof: Bool
    private var number = 0
    private let maxLine: Int
    let path: String

    /// Reads from `fd` (closed on deinit when `owns`).
    init(fd: Int32, owns: Bool, path: String, maxLine: Int) {
        self.fd = fd; self.ownsFD = owns; self.path = path; self.maxLine = maxLine
        buffer = []; eof = false
    }

    /// Reads from memory.
    init(bytes: [UInt8], path: String, maxLine: Int) {
        fd = -1; ownsFD = false; self.path = path; self.maxLine = maxLine
        buffer = bytes; eof = true
    }

    deinit { if ownsFD { close(fd) } }

    /// Reads more into the buffer; false at end of file.
    private func fill() throws(LibraryError) -> Bool {
        if eof { return false }
        if start > 0 && start >= buffer.count / 2 {
            buffer.removeFirst(start)
            start = 0
        }
        let n = try readChunk(fd, into: &buffer)
        if n == 0 { eof = true; return false }
        return true
    }

    /// The next line (without its newline or a trailing CR), nil at the end.
    func next() throws(LibraryError) -> Line? {
        var scanned = 0 // bytes after `start` known to hold no newline (start moves in fill)
        while true {
            if let nl = buffer[(start + scanned)...].firstIndex(of: 0x0A) {
                number += 1
                var end = nl
                if end > start && buffer[end - 1] == 0x0D { end -= 1 }
                if number == 1 && end - start >= 3 && buffer[start] == 0xEF && buffer[start + 1] == 0xBB && buffer[start + 2] == 0xBF {
                    start += 3 // a UTF-8 byte order mark before the first line
                }
                let line = Array(buffer[start..<end])
                start = nl + 1
                return .line(number: number, bytes: line)
            }
            scanned = buffer.count - start
            if buffer.count - start > maxLine {
                // Skip the rest of an overlong line without holding it.
                number += 1
                var skipped = buffer.count - start
                buffer.removeAll(keepingCapacity: true); start = 0
                while true {
                    guard try fill() else { return .tooLong(number: number, bytes: skipped) }
                    if let nl = buffer.firstIndex(of: 0x0A) {
                        skipped += nl
                        start = nl + 1
                        return .tooLong(number: number, bytes: skipped)
                    }
                    skipped += buffer.count
                    buffer.removeAll(keepingCapacity: true)
                }
            }
            guard try fill() else {
                if start < buffer.count {
                    number += 1
                    var end = buffer.count
                    if buffer[end - 1] == 0x0D { end -= 1 }
                    let line = Array(buffer[start..<end])
                    start = buffer.count
                    return .line(number: number, bytes: line)
                }
                return nil
            }
        }
    }
}

/// Yields pending items, one document at a time, reading files lazily.
final class ItemStream {
    private var entries: [SourceEntry]
    private var index = 0
    private var lines: LineReader?
    private var linesPrefix = ""
    private var linesMetadata = DocumentMetadata()
    private let options: ImportOptions
    private(set) var totalBytes: Int?

    /// What the expansion skipped, one line each (see `InputExpander.expand`).
    private(set) var notes: [String] = []

    init(inputs: [ImportInput], options: ImportOptions) {
        self.options = options
        entries = InputExpander.expand(inputs, forceJSONLines: options.jsonLines, followSymlinks: options.followSymlinks, notes: &notes)
        var total = 0
        var known = true
        for e in entries {
            switch e {
            case .file(_, let size, _, _): total += size
            case .payload(let p): total += p.bytes.count
            case .stdin: known = false
            case .failure: break
            }
        }
        totalBytes = known ? total : nil
    }

    /// Number of sources after expansion (files, stdin, payloads, failures).
    var sourceCount: Int { entries.count }

    var maxLineBytes: Int { options.maxSize > Int.max / 8 ? Int.max / 2 : options.maxSize * 6 + (64 << 10) }

    func next() -> PendingItem? {
        while true {
            if let reader = lines {
                do {
                    if let line = try reader.next() {
                        switch line {
                        case .line(let n, let bytes):
                            if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue } // blank lines
                            return PendingItem(input: "\(linesPrefix):\(n)", content: .jsonLine(bytes), fileName: nil,
                                               mediaType: nil, metadata: linesMetadata, inputBytes: bytes.count + 1)
                        case .tooLong(let n, let size):
                            return PendingItem(input: "\(linesPrefix):\(n)",
                                               content: .failed(ImportFailure(.tooLarge, "line is \(formatBytes(size)), over the size limit of \(formatBytes(options.maxSize)) (--max-size)")),
                                               metadata: linesMetadata, inputBytes: size + 1)
                        }
                    }
                    lines = nil
                } catch {
                    lines = nil
                    return PendingItem(input: linesPrefix, content: .failed(ImportFailure(.unreadable, error.message)), metadata: linesMetadata, inputBytes: 0)
                }
                continue
            }
            guard index < entries.count else { return nil }
            let entry = entries[index]
            index += 1
            switch entry {
            case .failure(let input, let failure):
                return PendingItem(input: input, content: .failed(failure), metadata: options.defaults, inputBytes: 0)
            case .payload(let p):
                let meta = p.metadata.cleaned.merged(over: options.defaults)
                if p.jsonLines || options.jsonLines {
                    lines = LineReader(bytes: p.bytes, path: p.name, maxLine: maxLineBytes)
                    linesPrefix = p.name
                    linesMetadata = meta
                    continue
                }
                return PendingItem(input: p.name, content: checkSize(p.bytes), fileName: p.fileName,
                                   mediaType: p.mediaType, metadata: meta, inputBytes: p.bytes.count)
            case .stdin(let jsonLines):
                if StandardStreams.standardInputWasClosed {
                    return PendingItem(input: "-", content: .failed(ImportFailure(.unreadable, "standard input is closed: nothing to read from - (pipe the documents in, or name files)")),
                                       metadata: options.defaults, inputBytes: 0)
                }
                if jsonLines {
                    lines = LineReader(fd: 0, owns: false, path: "-", maxLine: maxLineBytes)
                    linesPrefix = "-"
                    linesMetadata = options.defaults
                    continue
                }
                return readWhole(fd: 0, input: "-", fileName: nil, sizeHint: 0)
            case .file(let path, _, let jsonLines, let raw):
                let fd = raw.map { r in (r + [0]).withUnsafeBufferPointer { open($0.baseAddress!, O_RDONLY | O_CLOEXEC) } }
                    ?? open(path, O_RDONLY | O_CLOEXEC)
                if fd < 0 {
                    return PendingItem(input: path, content: .failed(ImportFailure(.unreadable, InputExpander.cannotRead(errno))), metadata: options.defaults, inputBytes: 0)
                }
                if jsonLines {
                    lines = LineReader(fd: fd, owns: true, path: path, maxLine: maxLineBytes)
                    linesPrefix = path
                    linesMetadata = options.defaults
                    continue
                }
                defer { close(fd) }
                var st = stat()
                _ = fstat(fd, &st)
                if (st.st_mode & S_IFMT) == S_IFDIR {
                    return PendingItem(input: path, content: .failed(ImportFailure(.unreadable, "is a directory")), metadata: options.defaults, inputBytes: 0)
                }
                return readWhole(fd: fd, input: path, fileName: (path as NSString).lastPathComponent, sizeHint: Int(st.st_size))
            }
        }
    }

    private func checkSize(_ bytes: [UInt8]) -> PendingItem.Content {
        bytes.count > options.maxSize ? .failed(overLimit(bytes.count)) : .bytes(bytes)
    }

    private func overLimit(_ size: Int, exact: Bool = true) -> ImportFailure {
        ImportFailure(.tooLarge, "\(exact ? "" : "more than ")\(formatBytes(size)), over the size limit of \(formatBytes(options.maxSize)) (--max-size)")
    }

    private func readWhole(fd: Int32, input: String, fileName: String?, sizeHint: Int) -> PendingItem {
        if sizeHint > options.maxSize {
            return PendingItem(input: input, content: .failed(overLimit(sizeHint)), fileName: fileName,
                               metadata: options.defaults, inputBytes: sizeHint)
        }
        var out = [UInt8]()
        out.reserveCapacity(min(sizeHint, options.maxSize) + 1)
        while out.count <= options.maxSize {
            do {
                if try readChunk(fd, into: &out, max: options.maxSize + 1 - out.count) == 0 { break }
            } catch {
                return PendingItem(input: input, content: .failed(ImportFailure(.unreadable, error.message)), fileName: fileName,
                                   metadata: options.defaults, inputBytes: out.count)
            }
        }
        if out.count > options.maxSize {
            return PendingItem(input: input, content: .failed(overLimit(out.count - 1, exact: false)), fileName: fileName,
                               metadata: options.defaults, inputBytes: out.count)
        }
        return PendingItem(input: input, content: .bytes(out), fileName: fileName, mediaType: nil,
                           metadata: options.defaults, inputBytes: out.count)
    }
}

/// "1.5 MB", "512 bytes": decimal units for people.
public func formatBytes(_ n: Int) -> String {
    let d = Double(n)
    if n < 1000 { return "\(n) bytes" }
    if d < 1e6 { return String(format: "%.1f kB", d / 1e3) }
    if d < 1e9 { return String(format: "%.1f MB", d / 1e6) }
    return String(format: "%.2f GB", d / 1e9)
}

/// Appends up to `max` (default 1 MiB) bytes read from `fd` to `buffer`; returns how many
/// (0 at end of file).
func readChunk(_ fd: Int32, into buffer: inout [UInt8], max: Int = 1 << 20) throws(LibraryError) -> Int {
    let want = Swift.min(max, 1 << 20)
    if want <= 0 { return 0 }
    let raw = UnsafeMutableRawPointer.allocate(byteCount: want, alignment: 16)
    defer { raw.deallocate() }
    let n = SystemCall.retrying { read(fd, raw, want) }
    if n < 0 { throw LibraryError(.io, InputExpander.cannotRead(errno)) }
    if n > 0 { buffer.append(contentsOf: UnsafeRawBufferPointer(start: raw, count: n)) }
    return n
}
