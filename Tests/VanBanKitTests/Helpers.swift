import Extraction
import Archive
import Foundation
import SearchIndex
import Testing
@_exported import TestSupport
@testable import VanBanKit

/// What the Extraction module makes of these bytes: the pipeline must give the same text
/// (the extractor's own rules are tested in ExtractionTests).
func extracted(_ bytes: [UInt8], fileName: String? = nil, mediaType: String? = nil) throws -> ExtractedDocument {
    try Extractor().extract(bytes, fileName: fileName, mediaType: mediaType)
}

/// Extraction of a JSON Lines document's text (hinted as plain text, as the importer does).
func extractedText(ofLine text: String) throws -> String {
    try extracted(Array(text.utf8), mediaType: "text/plain; charset=utf-8").text
}

/// A library on a fresh archive in `dir`.
func openLibrary(_ dir: TempDir, create: Bool = true) throws -> Library {
    var configuration = Library.Configuration()
    configuration.searchBudget = .unlimited  // outcomes never depend on the clock (see SearchBudgetTests)
    return try Library(archive: dir.file("archive"), index: dir.file("index"), create: create, configuration: configuration)
}

/// Imports and collects the per-document results.
@discardableResult
func importAll(_ lib: Library, _ inputs: [ImportInput], options: ImportOptions = ImportOptions(),
               observer: ImportObserver? = nil) throws -> (summary: ImportSummary, results: [ImportResult]) {
    var results: [ImportResult] = []
    let summary = try lib.importDocuments(inputs, options: options, observer: observer) { results.append($0) }
    return (summary, results)
}

func paths(_ urls: [URL]) -> [ImportInput] { urls.map { .path($0.path) } }

func manifestLineCount(_ lib: Library) throws -> Int {
    guard let d = FileManager.default.contents(atPath: lib.manifest.path) else { return 0 }
    return d.reduce(0) { $1 == 0x0A ? $0 + 1 : $0 }
}

/// Generated Vietnamese documents: sentences from the seeds, recombined, each unique.
func generatedDocuments(_ count: Int, salt: String = "") throws -> [String] {
    var sentences: [String] = []
    for f in try Fixtures.seedFiles() {
        let text = String(decoding: try Fixtures.bytes(f), as: UTF8.self)
        sentences += text.split(whereSeparator: { $0 == "\n" || $0 == "." }).map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0.count > 20 }
    }
    var rng = SplitMix(seed: UInt64(count) &* 7919 &+ UInt64(salt.utf8.reduce(0) { $0 &* 31 &+ Int($1) } & 0xffff))
    return (0..<count).map { i in
        var doc = "Văn bản số \(i)/\(salt)2024/NĐ-CP\n\n"
        for _ in 0..<(3 + Int(rng.next() % 12)) {
            doc += sentences[Int(rng.next() % UInt64(sentences.count))] + ".\n"
        }
        return doc
    }
}

