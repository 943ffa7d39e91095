import DocumentModel
import Foundation
import SearchIndex
import VietText

// vanban-bench rank INDEX_DIR QUERIES [name=value ...]
//
// Runs every line of QUERIES against the index with the `Ranking` constants overridden by
// the name=value pairs, and prints one JSON line per query: {"query", "keys": [top 10 keys],
// "took_ms", "reading"}. scripts/dev/tune-ranking drives it to explore constants against the
// graded set of scripts/bench/bench-relevance without rebuilding; the constants that ship are
// the defaults in Ranking.

enum RankingRun {
    static func run(directory: String, queries: String, settings: [String]) {
        var ranking = Ranking()
        for setting in settings {
            let parts = setting.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let value = Double(parts[1]) else { fail("bad setting '\(setting)' (name=value)") }
            switch parts[0] {
            case "titleWeight": ranking.titleWeight = value
            case "bodyWeight": ranking.bodyWeight = value
            case "titlePhraseBonus": ranking.titlePhraseBonus = value
            case "phraseBonus": ranking.phraseBonus = value
            case "pairWeight": ranking.pairWeight = value
            case "syllableInWordWeight": ranking.syllableInWordWeight = value
            case "scatteredWordCredit": ranking.scatteredWordCredit = value
            case "wordPairWeight": ranking.wordPairWeight = value
            case "pairSpecificity": ranking.pairSpecificity = value
            case "restoredWeight": ranking.restoredWeight = value
            case "synonymWeight": ranking.synonymWeight = value
            case "titleCoverageBonus": ranking.titleCoverageBonus = value
            case "softExponent": ranking.softExponent = value
            case "lengthCap": ranking.lengthCap = value
            case "proximityWeight": ranking.proximityWeight = value
            case "proximityWindow": ranking.proximityWindow = Int(value)
            case "softBelowMatches": ranking.softBelowMatches = Int(value)
            case "softBelowStrong": ranking.softBelowStrong = Int(value)
            case "officialTextBoost": ranking.officialTextBoost = value
            case "legalTopicBoost": ranking.legalTopicBoost = value
            case "boostWindow": ranking.boostWindow = Int(value)
            case "citedBoost": ranking.citedBoost = value
            default: fail("unknown ranking constant '\(parts[0])'")
            }
        }
        guard let text = try? String(contentsOfFile: queries, encoding: .utf8) else { fail("cannot read \(queries)") }
        let index: IndexConnection
        do { index = try IndexConnection(directory: URL(fileURLWithPath: directory), readOnly: true) } catch { fail("\(error)") }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) where !line.isEmpty {
            var w = JSONObjectWriter()
            w.add("query", String(line))
            do {
                let results = try index.search(SearchRequest(query: String(line), limit: 10), ranking: ranking)
                w.addArray("keys", results.hits.map { hit in
                    var out: [UInt8] = []
                    JSONObjectWriter.appendString(hit.metadata.key ?? hit.id, to: &out)
                    return out
                })
                w.add("took_ms", results.tookMilliseconds)
                w.add("restored", results.reading.restored, omitNil: false)
                w.add("soft", results.reading.softMatch)
            } catch {
                w.add("error", "\(error)")
            }
            print(w.finishString())
        }
    }

    /// vanban-bench words INDEX FORM... : the word statistics of forms ("nộp") and pairs ("nộp qua").
    static func words(directory: String, forms: [String]) {
        do {
            let index = try IndexConnection(directory: URL(fileURLWithPath: directory), readOnly: true)
            for form in forms { print(try index.wordStatisticsReport(form)) }
        } catch { fail("\(error)") }
    }

    /// vanban-bench restore INDEX FILE : FILE holds accented phrases, one a line; each is folded,
    /// read by the query reader, and its restored reading compared with the original, syllable
    /// by syllable. Prints syllable and phrase accuracy (scripts/dev/eval-restoration).
    static func restore(directory: String, file: String) {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { fail("cannot read \(file)") }
        do {
            let index = try IndexConnection(directory: URL(fileURLWithPath: directory), readOnly: true)
            var syllables = 0, right = 0, phrases = 0, whole = 0, ambiguous = 0, ambiguousRight = 0
            for line in text.split(separator: "\n") where !line.isEmpty {
                let truth = Tokenizer.tokens(in: String(line)).map(\.accented)
                guard !truth.isEmpty else { continue }
                let folded = Tokenizer.tokens(in: String(line)).map(\.folded)
                let reading = try index.readQuery(folded.joined(separator: " "))
                let got = reading.restored.map { Tokenizer.tokens(in: $0).map(\.accented) } ?? folded
                phrases += 1
                if got == truth { whole += 1 } else { print("miss: \(truth.joined(separator: " ")) -> \(got.joined(separator: " "))") }
                for (k, t) in truth.enumerated() {
                    syllables += 1
                    let ok = k < got.count && got[k] == t
                    if ok { right += 1 }
                    if t != folded[k] { ambiguous += 1; if ok { ambiguousRight += 1 } }
                }
            }
            print("syllables \(right)/\(syllables) = \(String(format: "%.1f", 100 * Double(right) / Double(max(syllables, 1))))%, "
                + "with marks \(ambiguousRight)/\(ambiguous), phrases \(whole)/\(phrases) = \(String(format: "%.1f", 100 * Double(whole) / Double(max(phrases, 1))))%")
        } catch { fail("\(error)") }
    }

    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("vanban-bench rank: \(message)\n".utf8))
        exit(2)
    }
}
