// PDF: text through poppler's `pdftotext` (Debian poppler-utils), run on a private temp
// file with a timeout; the title and dates come from `pdfinfo` when it is installed. Pages
// whose text layer has (almost) no letters, as a scan's, are read by OCR (`PDFOCR`) unless
// OCR is off; the result then says so in its derived fields (`ocr`, `ocr_confidence`,
// `ocr_pages`).

import DocumentModel
import Foundation
import Platform

enum PDFExtractor {
    /// `ocrAllowed` is false when the source's media type says "ocr=off" (it was imported
    /// with --no-ocr: extracting it again must give the same text). `findTool` locates the
    /// programs (replaceable in tests).
    static func extract(_ bytes: [UInt8], timeoutSeconds: Double, ocr: OCRLimits = OCRLimits(), ocrAllowed: Bool = true,
                        cache: DerivedTextCache? = nil,
                        findTool: (String) -> String? = Executables.find) throws(ExtractionError) -> ExtractedDocument {
        guard let pdftotext = findTool("pdftotext") else {
            throw ExtractionError(.toolMissing, "cannot extract PDF text: pdftotext not found (install the Debian package poppler-utils)")
        }
        let dir: URL
        do {
            dir = FileManager.default.temporaryDirectory
                .appendingPathComponent("vanban-pdf-\(UUID().uuidString)", isDirectory: true)
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: false,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw ExtractionError(.failed, "cannot extract PDF text: no temporary directory (\(error.localizedDescription))")
        }
        defer { try? FileManager.default.removeItem(at: dir) }

        let input = dir.appendingPathComponent("input.pdf")
        let output = dir.appendingPathComponent("output.txt")
        do {
            try Data(bytes).write(to: input)
        } catch {
            throw ExtractionError(.failed, "cannot extract PDF text: writing a temporary file failed (\(error.localizedDescription))")
        }

        let run = try Subprocess.run(pdftotext, arguments: ["-enc", "UTF-8", input.path, output.path],
                                     in: dir, timeoutSeconds: timeoutSeconds)
        if run.timedOut {
            throw ExtractionError(.failed, "PDF could not be read: pdftotext took longer than \(Int(timeoutSeconds)) s and was stopped")
        }
        guard run.status == 0 else {
            let lines = run.stderr.split(whereSeparator: \.isNewline).map { $0.trimmingASCIIWhitespace() }.filter { !$0.isEmpty }
            let line = lines.first { $0.contains("Error") } ?? lines.first
            throw ExtractionError(.corrupt, "PDF could not be read: \(line ?? "pdftotext exited with status \(run.status)")")
        }
        let raw = (try? Data(contentsOf: output)) ?? Data()
        // pdftotext ends every page with a form feed.
        var pages = String(decoding: raw, as: UTF8.self).split(separator: "\u{0C}", omittingEmptySubsequences: false).map(String.init)
        if pages.count > 1, pages.last?.isEmpty == true { pages.removeLast() }
        let wanted = pages.indices.filter { letters(pages[$0]) < ocr.minLettersPerPage }.map { $0 + 1 }

        var derived = DocumentMetadata()
        var mediaType = DocumentFormat.pdf.mediaType
        if !wanted.isEmpty {
            if ocr.enabled && ocrAllowed {
                let result = try cachedOCR(wanted, input: input, dir: dir, limits: ocr, cache: cache, findTool: findTool)
                // OCR replaces a page's text layer only when it read more letters than the layer has
                // (a short page with a real text layer, "Văn bản 1", keeps its exact text).
                // Tesseract's misreadings of an official text's fixed forms are corrected here,
                // after the cache, so that reindex applies an improved rule (OCRCorrection).
                for page in result.pages where page.page >= 1 && page.page <= pages.count
                    && letters(page.text) > letters(pages[page.page - 1]) {
                    pages[page.page - 1] = OCRCorrection.correct(page.text).text
                }
                let read = result.pages.filter { !$0.text.isEmpty }.count
                if read > 0 { derived.ocr = "true" }
                derived.ocrConfidence = result.meanConfidence.map { String(format: "%.1f", $0) }
                derived.ocrPages = result.stopped == nil ? "\(result.pages.count)" : "\(result.pages.count)/\(wanted.count)"
                if derived.ocr == nil && !pages.contains(where: { letters($0) > 0 }) {
                    let bound = result.stopped.map { "; OCR stopped at \($0) after \(result.pages.count) of \(wanted.count) pages" } ?? ""
                    throw ExtractionError(.empty, "PDF has no text: no text layer, and OCR found no text on its \(wanted.count) page\(wanted.count == 1 ? "" : "s")\(bound)")
                }
            } else {
                // The choice is part of what the bytes were imported as.
                mediaType += "; ocr=off"
            }
        }
        let text = TextCleanup.tidyLines(pages.joined(separator: "\n"))
        guard text.unicodeScalars.contains(where: { $0.properties.isAlphabetic }) else {
            throw ExtractionError(.empty, ocrAllowed && ocr.enabled
                ? "PDF has no text layer (scanned image?)"
                : "PDF has no text layer (scanned image?), and OCR is off (--no-ocr)")
        }

        var title: String?
        var metadata: [String: String] = [:]
        if let pdfinfo = findTool("pdfinfo"),
           let info = try? Subprocess.run(pdfinfo, arguments: ["-enc", "UTF-8", "-isodates", input.path],
                                          in: dir, timeoutSeconds: min(timeoutSeconds, 30)),
           info.status == 0, !info.timedOut {
            (title, metadata) = parseInfo(info.stdout)
        }
        return ExtractedDocument(text: text, title: title, mediaType: mediaType, properties: metadata, derived: derived)
    }

    /// Letters in a page's text layer.
    static func letters(_ page: String) -> Int {
        var n = 0
        for s in page.unicodeScalars where s.properties.isAlphabetic { n += 1 }
        return n
    }

    /// The OCR of `wanted` pages: the cached result when there is one for these pages, else
    /// read now and kept.
    static func cachedOCR(_ wanted: [Int], input: URL, dir: URL, limits: OCRLimits, cache: DerivedTextCache?,
                          findTool: (String) -> String?) throws(ExtractionError) -> OCRResult {
        if let cached = cache?.load(), let result = try? JSONDecoder().decode(OCRResult.self, from: Data(cached)),
           result.version == 1, result.wanted == wanted {
            return result
        }
        let result = try PDFOCR.read(wanted, input: input, dir: dir, limits: limits, findTool: findTool)
        if let cache, let json = try? JSONEncoder().encode(result) { cache.store([UInt8](json)) }
        return result
    }

    /// `pdfinfo` prints "Key:   value" lines.
    static func parseInfo(_ output: String) -> (String?, [String: String]) {
        let keys = ["Title": "title", "Author": "author", "Subject": "subject", "Keywords": "keywords",
                    "CreationDate": "date", "ModDate": "modified", "Pages": "pages"]
        var title: String?
        var metadata: [String: String] = [:]
        for line in output.split(whereSeparator: \.isNewline) {
            guard let colon = line.firstIndex(of: ":"), let key = keys[String(line[..<colon])] else { continue }
            let value = TextCleanup.collapseWhitespace(line[line.index(after: colon)...])
            guard !value.isEmpty else { continue }
            if key == "title" { title = value } else { metadata[key] = value }
        }
        return (title, metadata)
    }
}

enum Executables {
    /// The first executable called `name` on PATH (or the usual system directories).
    static func find(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        var dirs = path.split(separator: ":").map(String.init)
        dirs += ["/usr/local/bin", "/usr/bin", "/bin"]
        for dir in dirs where !dir.isEmpty {
            let candidate = dir.hasSuffix("/") ? dir + name : dir + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}

/// Runs a program with stdin closed and stdout/stderr collected through temporary files
/// (no pipe can fill up and deadlock); kills it after a timeout.
enum Subprocess {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        var timedOut: Bool
    }

    /// `environment` is added to this process's own.
    static func run(_ executable: String, arguments: [String], in dir: URL,
                    timeoutSeconds: Double, environment: [String: String] = [:]) throws(ExtractionError) -> Result {
        let tag = UUID().uuidString
        let outURL = dir.appendingPathComponent("stdout-\(tag)")
        let errURL = dir.appendingPathComponent("stderr-\(tag)")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = dir
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        do {
            let outHandle = try FileHandle(forWritingTo: outURL)
            let errHandle = try FileHandle(forWritingTo: errURL)
            defer {
                try? outHandle.close()
                try? errHandle.close()
            }
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = outHandle
            process.standardError = errHandle
            try process.run()
        } catch {
            throw ExtractionError(.toolMissing, "cannot run \(URL(fileURLWithPath: executable).lastPathComponent): \(error.localizedDescription)")
        }

        var timedOut = false
        if finished.wait(timeout: .now() + timeoutSeconds) == .timedOut {
            timedOut = true
            process.terminate()
            if finished.wait(timeout: .now() + 2) == .timedOut {
                kill(process.processIdentifier, SIGKILL)
                finished.wait()
            }
        }
        process.waitUntilExit()
        let stdout = (try? Data(contentsOf: outURL)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        let stderr = (try? Data(contentsOf: errURL)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        return Result(status: process.terminationStatus, stdout: stdout, stderr: stderr, timedOut: timedOut)
    }
}
