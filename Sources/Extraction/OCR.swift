// OCR of the PDF pages that have no text layer (scans): each page rendered by poppler's
// `pdftoppm` at 300 dpi (grey), read by Tesseract (Debian tesseract-ocr + tesseract-ocr-vie)
// with its Vietnamese model, one page at a time, each program under the page's time bound
// and all of them under the document's.
//
// Bounds: a page that is not read within `pageTimeoutSeconds` is left as its text layer
// gave it; when the document's time (`documentTimeoutSeconds`) or page count
// (`maxPages`) runs out, the pages not reached are left so too. The result says how many of
// the pages that wanted OCR were read ("12/40"), so a bounded partial result is never taken
// for a whole one. A blank page (no dark pixel in its raster) costs no Tesseract run.
//
// OCR is slow (seconds a page), and the text must be the same every time the archived bytes
// are extracted again (reindex, show). So the result is kept in a `DerivedTextCache` given by
// the caller (the archive keeps it beside the object, keyed by the object's hash): when an
// entry is there it is used and nothing is run.

import Foundation

/// Bounds and switches for OCR.
package struct OCRLimits: Sendable, Equatable {
    /// Off: pages without text stay empty (`vanban import --no-ocr`).
    public var enabled: Bool
    public var pageTimeoutSeconds: Double
    public var documentTimeoutSeconds: Double
    /// Most pages read by OCR in one document.
    public var maxPages: Int
    /// A page whose text layer has fewer letters than this is read by OCR.
    public var minLettersPerPage: Int

    public init(enabled: Bool = true, pageTimeoutSeconds: Double = 120, documentTimeoutSeconds: Double = 1200,
                maxPages: Int = 500, minLettersPerPage: Int = 20) {
        self.enabled = enabled
        self.pageTimeoutSeconds = pageTimeoutSeconds
        self.documentTimeoutSeconds = documentTimeoutSeconds
        self.maxPages = maxPages
        self.minLettersPerPage = minLettersPerPage
    }
}

/// Where extraction keeps a result too slow to compute again (OCR) for one source's bytes.
/// `load` gives what `store` kept (nil when nothing is kept); both may be called from any thread.
package struct DerivedTextCache: Sendable {
    public var load: @Sendable () -> [UInt8]?
    public var store: @Sendable ([UInt8]) -> Void

    public init(load: @escaping @Sendable () -> [UInt8]?, store: @escaping @Sendable ([UInt8]) -> Void) {
        self.load = load
        self.store = store
    }
}

/// What OCR read of one PDF: the text of each page it read, Tesseract's mean word confidence
/// (0-100), and how far it got. Kept in the cache as JSON.
struct OCRResult: Codable, Equatable {
    struct Page: Codable, Equatable {
        /// 1-based page number.
        var page: Int
        var text: String
        /// Words read and the sum of their confidences (0-100 each).
        var words: Int
        var confidenceSum: Double
    }
    /// 1 for this layout; an entry of another version is not used.
    var version = 1
    /// "tesseract 5.3.0, vie, 300 dpi": what read it.
    var engine: String
    var pages: [Page]
    /// The pages that wanted OCR (text layer with almost no letters).
    var wanted: [Int]
    /// Why some wanted pages were not read (a bound), nil when all were.
    var stopped: String?

    var meanConfidence: Double? {
        let words = pages.reduce(0) { $0 + $1.words }
        return words == 0 ? nil : pages.reduce(0) { $0 + $1.confidenceSum } / Double(words)
    }
}

enum PDFOCR {
    static let dpi = 300
    static let language = "vie"

    /// Reads `wanted` pages of the PDF at `input` (in `dir`, a private temporary directory).
    /// Throws only when a program is missing; bounds give a partial result.
    static func read(_ wanted: [Int], input: URL, dir: URL, limits: OCRLimits,
                     findTool: (String) -> String?) throws(ExtractionError) -> OCRResult {
        guard let pdftoppm = findTool("pdftoppm") else {
            throw ExtractionError(.toolMissing, "cannot read the scanned pages of this PDF: pdftoppm not found (install the Debian package poppler-utils)")
        }
        guard let tesseract = findTool("tesseract") else {
            throw ExtractionError(.toolMissing, "cannot read the scanned pages of this PDF: tesseract not found (install the Debian packages tesseract-ocr and tesseract-ocr-vie), or import with --no-ocr")
        }
        let started = ContinuousClock.now
        func elapsed() -> Double {
            let d = ContinuousClock.now - started
            return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
        }
        var result = OCRResult(engine: "tesseract, \(language), \(dpi) dpi", pages: [], wanted: wanted)
        var timedOutPages: [Int] = []
        for (k, page) in wanted.enumerated() {
            if k >= limits.maxPages {
                result.stopped = "the bound of \(limits.maxPages) pages read by OCR per document"
                break
            }
            let remaining = limits.documentTimeoutSeconds - elapsed()
            if remaining <= 0 {
                result.stopped = "the time bound of \(ExtractionClock.describe(limits.documentTimeoutSeconds)) of OCR per document"
                break
            }
            let pageBudget = min(limits.pageTimeoutSeconds, remaining)
            let pageStarted = elapsed()
            let image = dir.appendingPathComponent("page")
            let render = try Subprocess.run(pdftoppm, arguments: ["-r", "\(dpi)", "-gray", "-f", "\(page)", "-l", "\(page)",
                                                                 "-singlefile", input.path, image.path],
                                            in: dir, timeoutSeconds: pageBudget)
            let imageFile = dir.appendingPathComponent("page.pgm")
            defer { try? FileManager.default.removeItem(at: imageFile) }
            if render.timedOut { timedOutPages.append(page); continue }
            guard render.status == 0, let raster = try? Data(contentsOf: imageFile) else { continue }
            if isBlank(raster) {
                result.pages.append(.init(page: page, text: "", words: 0, confidenceSum: 0))
                continue
            }
            let out = dir.appendingPathComponent("ocr")
            let ocr = try Subprocess.run(tesseract, arguments: [imageFile.path, out.path, "-l", language, "--dpi", "\(dpi)", "tsv"],
                                         in: dir, timeoutSeconds: max(0.001, pageBudget - (elapsed() - pageStarted)),
                                         environment: ["OMP_THREAD_LIMIT": "1"])
            let tsvFile = dir.appendingPathComponent("ocr.tsv")
            defer { try? FileManager.default.removeItem(at: tsvFile) }
            if ocr.timedOut { timedOutPages.append(page); continue }
            guard ocr.status == 0 else {
                if ocr.stderr.contains("Failed loading language") || ocr.stderr.contains("\(language).traineddata") {
                    throw ExtractionError(.toolMissing, "cannot read the scanned pages of this PDF: Tesseract has no Vietnamese model (install the Debian package tesseract-ocr-vie), or import with --no-ocr")
                }
                continue
            }
            let tsv = (try? Data(contentsOf: tsvFile)).map { String(decoding: $0, as: UTF8.self) } ?? ""
            result.pages.append(TesseractTSV.page(page, tsv))
        }
        if result.stopped == nil, !timedOutPages.isEmpty {
            result.stopped = "the time bound of \(ExtractionClock.describe(limits.pageTimeoutSeconds)) per page (page \(timedOutPages.map(String.init).joined(separator: ", ")))"
        }
        return result
    }

    /// True when a binary PGM (P5, 8-bit) has no pixel darker than mid-grey.
    static func isBlank(_ pgm: Data) -> Bool {
        let bytes = [UInt8](pgm)
        // Header: "P5", width, height, maxval, each after whitespace (comments start with #).
        guard bytes.count > 2, bytes[0] == 0x50, bytes[1] == 0x35 else { return false }
        var i = 2
        var fields = 0
        while fields < 3 && i < bytes.count {
            while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
            if i < bytes.count, bytes[i] == 0x23 {
                while i < bytes.count, bytes[i] != 0x0A { i += 1 }
                continue
            }
            while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 { i += 1 }
            fields += 1
        }
        i += 1  // the single whitespace before the raster
        guard i < bytes.count else { return false }
        return !bytes[i...].contains { $0 < 128 }
    }
}

/// Tesseract's TSV output: one row per block, paragraph, line and word (level 5), with the
/// word's confidence. The page's text is rebuilt from the words: words of a line joined by a
/// space, lines by a newline, paragraphs and blocks by a blank line.
enum TesseractTSV {
    static func page(_ number: Int, _ tsv: String) -> OCRResult.Page {
        var lines: [String] = []
        var current: [Substring] = []
        var currentKey: (Substring, Substring, Substring) = ("", "", "")
        var paragraphKey: (Substring, Substring) = ("", "")
        var words = 0
        var sum = 0.0
        func flush() {
            if !current.isEmpty { lines.append(current.joined(separator: " ")) }
            current = []
        }
        for row in tsv.split(separator: "\n").dropFirst() {
            let cols = row.split(separator: "\t", maxSplits: 11, omittingEmptySubsequences: false)
            guard cols.count == 12, cols[0] == "5" else { continue }
            let text = cols[11].trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty, let conf = Double(cols[10]), conf >= 0 else { continue }
            let key = (cols[2], cols[3], cols[4])
            if key != currentKey {
                flush()
                if (cols[2], cols[3]) != paragraphKey, !lines.isEmpty { lines.append("") }
                paragraphKey = (cols[2], cols[3])
                currentKey = key
            }
            current.append(Substring(text))
            words += 1
            sum += conf
        }
        flush()
        let text = lines.joined(separator: "\n").precomposedStringWithCanonicalMapping
        return OCRResult.Page(page: number, text: text, words: words, confidenceSum: sum)
    }
}
