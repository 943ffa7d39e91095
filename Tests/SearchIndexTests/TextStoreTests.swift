import DocumentModel
import Foundation
import Testing
import TestSupport
import VietText
@testable import SearchIndex

/// The index keeps each text once, compressed in chunks (`TextStore`), beside a contentless
/// FTS5 table: texts come back byte for byte, a passage cut from the start of a text is the
/// whole text's passage, and replacing a version removes exactly the old tokens.
@Suite struct TextStoreTests {
    /// Texts: the seeds, their NFD forms, and (when present) the corpus sample.
    static func texts() throws -> [String] {
        var texts = try Fixtures.seedFiles().map { try String(contentsOf: $0, encoding: .utf8) }
        texts += texts.map(\.decomposedStringWithCanonicalMapping)
        if Fixtures.hasSampleCorpus {
            texts += try Fixtures.sampleCorpusRecords().prefix(60).compactMap { $0["text"] as? String }
        }
        return texts
    }

    @Test func textsComeBackByteForByteAcrossChunks() throws {
        let index = try TestIndex(documents: [])
        // A 3-byte character straddles the first chunk boundary; then one exact multiple of a
        // chunk, and an empty text.
        let straddling = String(repeating: "a", count: TextStore.chunkBytes - 1) + "ệ" + String(repeating: "Đà Nẵng ", count: 20_000)
        let whole = String(repeating: "b", count: 2 * TextStore.chunkBytes)
        let bodies = [straddling, whole, "", try Self.texts()[0]]
        try index.index.write { writer in
            for (k, body) in bodies.enumerated() {
                try writer.apply(IndexDocument(id: "t\(k)", seq: k + 1, hash: "h\(k)", body: body))
            }
        }
        for (k, body) in bodies.enumerated() {
            let rowid = try #require(try index.index.connection.scalarInt("SELECT rowid FROM documents WHERE id = 't\(k)'"))
            #expect(try TextStore.text(rowid: rowid, on: index.index.connection) == Array(body.utf8), "t\(k)")
        }
        // Stored compressed: far less than the text itself.
        let stored = try #require(try index.index.connection.scalarInt("SELECT sum(length(data)) FROM texts"))
        #expect(stored * 4 < bodies.map(\.utf8.count).reduce(0, +))
    }

    /// A text compressed ahead of the write (as the importer does on all cores) is stored as
    /// the writer would store it, and searches and replaces the same.
    @Test func aTextCompressedAheadIsStoredAsTheWriterWould() throws {
        let text = try Self.texts()[0]
        let ahead = try TestIndex(documents: [])
        let inWriter = try TestIndex(documents: [])
        var document = IndexDocument(id: "d", seq: 1, hash: "h", body: text)
        document.compressText()
        #expect(document.storedText != nil)
        try ahead.index.write { try $0.apply(document) }
        try inWriter.index.write { try $0.apply(IndexDocument(id: "d", seq: 1, hash: "h", body: text)) }
        func stored(_ index: TestIndex) throws -> [[UInt8]] {
            let statement = try index.index.connection.prepare("SELECT data FROM texts ORDER BY rowid")
            var rows: [[UInt8]] = []
            while try statement.step() { rows.append(statement.blob(0) ?? []) }
            return rows
        }
        #expect(try stored(ahead) == stored(inWriter))
        #expect(try TextStore.text(rowid: 1, on: ahead.index.connection) == Array(text.utf8))
    }

    /// Cut at any length, the start of a text either asks for more or gives exactly the whole
    /// text's passage: what `hit` relies on to inflate only the first chunk.
    @Test func aPassageFromTheStartOfATextIsTheWholeTextsPassage() throws {
        var random = SplitMix(seed: 0x7e57)
        var checked = 0, early = 0
        for text in try Self.texts() {
            let bytes = Array(text.utf8)
            let words = Tokenizer.tokens(in: String(text.prefix(20_000))).map(\.accented)
            guard words.count > 10 else { continue }
            for _ in 0..<6 {
                // One to three words of the text, some typed without accents, some absent.
                var query: [Term] = []
                for _ in 0..<Int.random(in: 1...3, using: &random) {
                    var word = words[Int.random(in: 0..<words.count, using: &random)]
                    if Bool.random(using: &random) { word = VietText.fold(word) }
                    query.append(Term(text: word, isPrefix: false, column: nil, isPhrase: false))
                }
                if Int.random(in: 0..<4, using: &random) == 0 { query.append(Term(text: "khongcotrongvanban", isPrefix: false, column: nil, isPhrase: false)) }
                let matcher = TermMatcher(terms: query)
                let whole = bytes.withUnsafeBufferPointer { SnippetBuilder.snippet(of: $0, matcher: matcher) }
                for _ in 0..<12 {
                    let cut = Int.random(in: 0...bytes.count, using: &random)
                    let passage = bytes.withUnsafeBufferPointer {
                        SnippetBuilder.passage(of: UnsafeBufferPointer(rebasing: $0[..<cut]), matcher: matcher, isComplete: false)
                    }
                    if case .settled(let partial) = passage {
                        #expect(partial == whole, "cut at \(cut) of \(bytes.count), query \(query.map(\.text))")
                        early += 1
                    }
                    checked += 1
                }
            }
        }
        #expect(checked > 500)
        #expect(early > 50)  // the property is not vacuous: many cuts did answer
    }

    @Test func aNewVersionRemovesExactlyTheOldTokens() throws {
        let index = try TestIndex(documents: [])
        let filler = String(repeating: "Điều khoản chung về quản lý nhà nước. ", count: 5_000)  // ~3 chunks
        func version(_ seq: Int, _ word: String) -> IndexDocument {
            IndexDocument(id: "law", seq: seq, hash: "h\(seq)", body: filler + "Từ khóa \(word) ở cuối." + filler,
                          metadata: DocumentMetadata(title: "Luật \(word)"))
        }
        func matches(_ word: String) throws -> Int {
            try index.index.connection.scalarInt("SELECT count(*) FROM fts WHERE fts MATCH '\(word)'") ?? -1
        }
        try index.index.write { try $0.apply(version(1, "thứnhất")) }
        // Two versions in one batch, then one more in another batch.
        try index.index.write { w in try w.apply(version(2, "thứhai")); try w.apply(version(3, "thứba")) }
        try index.index.write { try $0.apply(version(4, "thứtư")) }
        #expect(try matches("thunhat") == 0)
        #expect(try matches("thuhai") == 0)
        #expect(try matches("thuba") == 0)
        #expect(try matches("thutu") == 1)
        #expect(try matches("quan") == 1)
        // FTS5's own structure check, and the texts of one row only.
        try index.index.connection.execute("INSERT INTO fts(fts) VALUES('integrity-check')")
        #expect(try index.index.connection.scalarInt("SELECT count(DISTINCT rowid >> 16) FROM texts") == 1)
        let hit = try #require(try index.index.search(SearchRequest(query: "thứtư")).hits.first)
        #expect(hit.id == "law")
        #expect(hit.metadata.title == "Luật thứtư")
    }
}
