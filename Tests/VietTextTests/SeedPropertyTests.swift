import Foundation
import Testing
import TestSupport
@testable import VietText

/// Properties that must hold on real text: the five sample documents bundled with the
/// repository, and (when ../shared is present) the 200-document corpus sample.
@Suite struct SeedPropertyTests {
    static let seeds: [String] = ((try? Fixtures.seedFiles()) ?? []).map(\.path)

    @Test func theFiveSeedsArePresent() {
        #expect(Self.seeds.count == 5)
    }

    @Test(arguments: seeds)
    func foldIsIdempotentAndIgnoresNormalisation(path: String) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let folded = VietText.fold(text)
        #expect(VietText.fold(folded) == folded)
        #expect(VietText.fold(VietText.normalize(text)) == folded)
        #expect(VietText.normalize(VietText.normalize(text)) == VietText.normalize(text))
        // Nothing Vietnamese survives folding.
        let vietnamese = CharacterSet(charactersIn: "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ")
        #expect(folded.lowercased().rangeOfCharacter(from: vietnamese) == nil)
    }

    @Test(arguments: seeds)
    func nfdAndNfcGiveIdenticalForms(path: String) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let nfc = Tokenizer.tokens(in: text.precomposedStringWithCanonicalMapping)
        let nfd = Tokenizer.tokens(in: text.decomposedStringWithCanonicalMapping)
        #expect(nfc.count > 100)
        #expect(nfc.map(\.accented) == nfd.map(\.accented))
        #expect(nfc.map(\.folded) == nfd.map(\.folded))
    }

    @Test(arguments: seeds)
    func hasDiacriticsIsExactlyAccentedDifferentFromFolded(path: String) throws {
        for form in ["nfc", "nfd"] {
            let original = try String(contentsOfFile: path, encoding: .utf8)
            let text = form == "nfc" ? original : original.decomposedStringWithCanonicalMapping
            var checked = 0
            Tokenizer.forEachToken(in: text) { token in
                #expect(token.hasDiacritics == !token.accented.elementsEqual(token.folded))
                checked += 1
            }
            #expect(checked > 100)
        }
    }

    @Test(arguments: seeds)
    func everyRangeSlicesTheOriginalIntoTheTokensSurface(path: String) throws {
        for form in ["nfc", "nfd"] {
            let original = try String(contentsOfFile: path, encoding: .utf8)
            let text = form == "nfc" ? original : original.decomposedStringWithCanonicalMapping
            let bytes = Array(text.utf8)
            var previousEnd = 0
            for token in Tokenizer.tokens(in: text) {
                #expect(token.start >= previousEnd && token.start < token.end && token.end <= bytes.count)
                previousEnd = token.end
                let surface = try #require(String(validating: bytes[token.start..<token.end], as: UTF8.self))
                // The surface is exactly one token, and it gives the same forms.
                let again = Tokenizer.tokens(in: surface)
                #expect(again.count == 1)
                #expect(again.first?.accented == token.accented)
                #expect(again.first?.folded == token.folded)
            }
        }
    }

    @Test func seedToneVariantsMeetInTheIndexForm() throws {
        // Seed 001 (the agreement) writes the province both ways; both must give one form.
        let text = try String(contentsOfFile: Self.seeds[1], encoding: .utf8)
        #expect(text.contains("Thanh Hoá") && text.contains("Thanh Hóa"))
        let variants = Set(Tokenizer.tokens(in: text).filter { $0.folded == "hoa" }.map(\.accented))
        #expect(variants.contains("hóa"))
        #expect(!variants.contains("hoá"))
    }
}

/// The same properties over the corpus sample (200 real documents: legal and news).
@Suite(.enabled(if: CorpusSample.available, "../shared/corpus/sample.jsonl.gz is absent"))
struct CorpusSampleTests {
    @Test func nfdAndNfcGiveIdenticalFormsOnTheCorpusSample() throws {
        let documents = try CorpusSample.load()
        #expect(documents.count == 200)
        var tokens = 0
        for text in documents {
            let nfc = Tokenizer.tokens(in: text.precomposedStringWithCanonicalMapping)
            let nfd = Tokenizer.tokens(in: text.decomposedStringWithCanonicalMapping)
            #expect(nfc.map(\.accented) == nfd.map(\.accented))
            #expect(nfc.map(\.folded) == nfd.map(\.folded))
            tokens += nfc.count
        }
        #expect(tokens > 1_000_000)
    }

    @Test func foldPropertiesHoldOnTheCorpusSample() throws {
        for text in try CorpusSample.load() {
            let folded = VietText.fold(text)
            #expect(VietText.fold(folded) == folded)
            #expect(VietText.fold(VietText.normalize(text)) == folded)
        }
    }

    @Test func rawTextTokensMatchTheirNormalisedText() throws {
        // Some legal texts are NFD with stray spaces; tokenizing them raw must equal
        // tokenizing the NFC text.
        for text in try CorpusSample.load() {
            let raw = Tokenizer.tokens(in: text)
            let nfc = Tokenizer.tokens(in: text.precomposedStringWithCanonicalMapping)
            #expect(raw.map(\.accented) == nfc.map(\.accented))
        }
    }
}

enum CorpusSample {
    static var available: Bool { Fixtures.hasSampleCorpus }

    /// The sample's texts (title + text).
    static func load() throws -> [String] {
        try Fixtures.sampleCorpusRecords().map { "\($0["title"] as? String ?? "")\n\($0["text"] as? String ?? "")" }
    }
}
