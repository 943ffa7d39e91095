import DocumentModel
import Foundation

/// The texts a text cites by number, with how: the relation is read from the clause that
/// leads to the number ("... thay thế Nghị định số 115/2015/NĐ-CP") and from the paragraph it
/// stands in (every number in a "Căn cứ ..." paragraph is a basis). A verb in the passive
/// ("đã được sửa đổi, bổ sung bởi Luật số ...") describes a third text, not this one: such a
/// number is only mentioned.
enum CitationReader {
    static let basisStarts = ["Căn cứ", "CĂN CỨ", "Căn Cứ"].map { Array($0.utf8) }

    static func read(_ text: String, lines: TextLines, into result: inout OfficialText) {
        let own = result.number?.key
        let bytes = Array(text.utf8)
        var seen = Set<String>()
        var citations: [OfficialText.Citation] = []
        // Occurrences classified per number: a decree amending fifty articles of another says so
        // fifty times; past a few, only a stronger relation (replace, repeal) can change the edge.
        var classified: [String: Int] = [:]
        for found in DocumentNumber.find(in: text) where found.number.key != own {
            let sentence = Self.sentence(bytes, around: found.range)
            let inBasis = TextLines.startsWith(bytes, at: paragraphStart(bytes, before: found.range.lowerBound), CitationReader.basisStarts)
            // Most mentions have no verb of relation near them: those are read without folding.
            let relation: OfficialText.Relation
            if inBasis {
                relation = .bases
            } else if !Self.mayRelate(bytes, lead: max(sentence.lowerBound, found.range.lowerBound - 200)..<found.range.lowerBound,
                                      trail: found.range.upperBound..<min(sentence.upperBound, found.range.upperBound + 80),
                                      strongOnly: classified[found.number.key, default: 0] >= 6) {
                relation = .mentions
            } else {
                classified[found.number.key, default: 0] += 1
                let lead = String(decoding: bytes[sentence.lowerBound..<found.range.lowerBound], as: UTF8.self)
                let trail = String(decoding: bytes[found.range.upperBound..<sentence.upperBound], as: UTF8.self)
                relation = classify(lead: lead, trail: trail, inBasis: false)
            }
            // The part concerned matters for the relations that change a text.
            let citationScope = [.amends, .repeals, .replaces, .guides].contains(relation)
                ? scope(String(decoding: bytes[max(sentence.lowerBound, found.range.lowerBound - 200)..<found.range.lowerBound], as: UTF8.self)) : nil
            let dedupe = relation.rawValue + " " + found.number.key + (citationScope ?? "")
            guard seen.insert(dedupe).inserted else { continue }
            let sentenceText = flatten(String(decoding: bytes[sentence], as: UTF8.self))
            citations.append(OfficialText.Citation(relation: relation, number: found.number, scope: citationScope, sentence: sentenceText))
        }
        // A text that amends another only to say so in one place keeps one edge per number:
        // the strongest relation wins (replaces > repeals > amends > guides > bases > mentions).
        let strength: [OfficialText.Relation: Int] = [.replaces: 5, .repeals: 4, .amends: 3, .guides: 2, .bases: 1, .mentions: 0]
        var best: [String: OfficialText.Citation] = [:]
        var order: [String] = []
        for c in citations {
            if let current = best[c.number.key] {
                if strength[c.relation]! > strength[current.relation]!
                    || (c.relation == current.relation && current.scope == nil && c.scope != nil) { best[c.number.key] = c }
            } else {
                best[c.number.key] = c
                order.append(c.number.key)
            }
        }
        result.citations = order.map { best[$0]! }
        result.bases = bases(lines)
    }

    /// Each "Căn cứ ..." paragraph of the preamble (continuation lines joined), with the first
    /// number it names.
    static func bases(_ lines: TextLines) -> [OfficialText.Basis] {
        var out: [OfficialText.Basis] = []
        var current: String?
        func close() {
            if let text = current { out.append(OfficialText.Basis(text: text, number: DocumentNumber.find(in: text).first?.number)) }
            current = nil
        }
        for i in 0..<min(lines.count, 250) {
            // Only a "Căn cứ" line or the continuation of one is read.
            guard current != nil || lines.starts(i, with: Self.basisStarts) else { continue }
            let line = lines.cleaned(i, maxBytes: 2000)
            let folded = TextLines.folded(line)
            if folded.hasPrefix("can cu") {
                close()
                current = line
            } else if current != nil {
                if line.isEmpty || HeaderReader.isBodyStart(folded) || folded.hasPrefix("dieu ") || TextLines.isCapitals(line) {
                    close()
                } else {
                    current! += " " + line
                }
            }
            if let text = current, text.hasSuffix(";") || text.hasSuffix(".") || text.hasSuffix(":") { close() }
            if folded.hasPrefix("dieu 1") { break }
        }
        close()
        return out
    }

    /// The verbs of relation, as written (NFC): a clause without any is a mention.
    static let verbs = ["sửa đổi", "bổ sung", "thay thế", "bãi bỏ", "hết hiệu lực", "hướng dẫn", "quy định chi tiết",
                        "Sửa đổi", "Bổ sung", "Thay thế", "Bãi bỏ", "Hướng dẫn", "Quy định chi tiết"].map { Array($0.utf8) }

    /// True when a verb of relation stands in the lead or the trail (raw bytes, no folding).
    static let strongVerbs = ["thay thế", "bãi bỏ", "hết hiệu lực", "Thay thế", "Bãi bỏ"].map { Array($0.utf8) }

    static func mayRelate(_ b: [UInt8], lead: Range<Int>, trail: Range<Int>, strongOnly: Bool = false) -> Bool {
        (strongOnly ? strongVerbs : verbs).contains { TextLines.find($0, in: b, range: lead) != nil || TextLines.find($0, in: b, range: trail) != nil }
    }

    /// What the clause before the number (and, for "hết hiệu lực", the words after it) says.
    static func classify(lead: String, trail: String, inBasis: Bool) -> OfficialText.Relation {
        if inBasis { return .bases }
        // The clause that leads to this number: from the previous clause break. Passive verbs
        // ("được sửa đổi, bổ sung bởi", "bị thay thế") describe what happened to a third text.
        var clause = TextLines.folded(flatten(lastClause(lead)))
        if TextLines.has(clause, "duoc ") || TextLines.has(clause, "bi ") {
            for passive in ["duoc sua doi, bo sung", "duoc sua doi bo sung", "duoc sua doi", "duoc bo sung", "bi sua doi", "duoc thay the",
                            "bi thay the", "bi bai bo", "duoc bai bo", "bi het hieu luc", "duoc huong dan", "duoc quy dinh chi tiet"]
                where TextLines.has(clause, passive) {
                clause = clause.replacingOccurrences(of: passive, with: "~")
            }
        }
        let after = TextLines.folded(flatten(String(trail.prefix(60))))
        let clauseBytes = Array(clause.utf8)
        func active(_ verb: String) -> Bool {
            // The verb's last occurrence, as bytes (the clause is folded: ASCII mostly).
            let v = Array(verb.utf8)
            guard clauseBytes.count >= v.count else { return false }
            var k = clauseBytes.count - v.count
            while k >= 0 && !clauseBytes[k..<(k + v.count)].elementsEqual(v) { k -= 1 }
            guard k >= 0 else { return false }
            // A verb whose subject is another text named before it ("Thông tư số 24/2020/TT-BTC
            // sửa đổi ... của Thông tư số 20/2016/TT-BTC") is that text's relation, not this one's.
            return DocumentNumber.find(in: String(decoding: clauseBytes[..<k], as: UTF8.self), requireCapitals: false).isEmpty
        }
        if active("thay the") { return .replaces }
        if active("bai bo") || active("het hieu luc") || after.hasPrefix("het hieu luc") || after.contains(" het hieu luc thi hanh") && after.count < 60 {
            return .repeals
        }
        if active("sua doi, bo sung") || active("sua doi bo sung") || active("sua doi") || active("bo sung") { return .amends }
        if active("huong dan") || active("quy dinh chi tiet") { return .guides }
        return .mentions
    }

    /// The last clause of `lead`: after the last ";" or "." followed by a space, or the last
    /// number written in it.
    static func lastClause(_ lead: String) -> String {
        var s = Substring(lead)
        if let semicolon = s.lastIndex(of: ";") { s = s[s.index(after: semicolon)...] }
        if let r = s.range(of: ". ", options: .backwards) { s = s[r.upperBound...] }
        return String(s.suffix(160))
    }

    /// "khoản 2 Điều 8", "điểm a khoản 1 Điều 3", "Điều 5" just before "của" and the number.
    static func scope(_ lead: String) -> String? {
        let clause = flatten(String(lead.suffix(100)))
        let ns = clause as NSString
        guard let m = scopePattern.matches(in: clause, range: NSRange(location: 0, length: ns.length)).last else { return nil }
        // The scope must be what the clause ends on ("... Điều 8 của Nghị định số").
        let tail = ns.substring(from: m.range.location + m.range.length)
        guard TextLines.folded(tail).trimmingCharacters(in: .whitespaces).count <= 30 else { return nil }
        return ns.substring(with: m.range).trimmingCharacters(in: .whitespaces)
    }

    private static let scopePattern = try! NSRegularExpression(
        pattern: #"((điểm|Điểm) [a-zđ]{1,2}\)?,? )?((khoản|Khoản) \d+,? )?(Điều|điều) \d+[a-z]?"#)

    /// The sentence around `range`: back to ". ", ";" or an empty line, forward to the same,
    /// at most 400 bytes each way.
    static func sentence(_ b: [UInt8], around range: Range<Int>) -> Range<Int> {
        var start = range.lowerBound
        var steps = 0
        while start > 0 && steps < 400 {
            let c = b[start - 1]
            if c == 0x3B { break }
            if c == 0x2E, start < b.count, b[start] == 0x20 || b[start] == 0x0A { break }
            if c == 0x0A, start >= 2, b[start - 2] == 0x0A { break }
            // A line that starts a paragraph of its own ("Căn cứ ...", "Điều 2.", "1.", "- ")
            // ends the search backwards even when the line before it does not end a sentence.
            if c == 0x0A, startsParagraph(b, at: start) { break }
            start -= 1; steps += 1
        }
        while start > 0, b[start - 1] & 0xC0 == 0x80 { start -= 1 }  // whole characters
        var end = range.upperBound
        steps = 0
        while end < b.count && steps < 400 {
            let c = b[end]
            if c == 0x3B { end += 1; break }
            if c == 0x2E, end + 1 >= b.count || b[end + 1] == 0x20 || b[end + 1] == 0x0A { end += 1; break }
            if c == 0x0A, end + 1 < b.count, b[end + 1] == 0x0A { break }
            end += 1; steps += 1
        }
        while end < b.count, b[end] & 0xC0 == 0x80 { end += 1 }
        return start..<end
    }

    /// True when the line starting at `i` opens a paragraph: "Căn cứ", "Điều", "Chương", a
    /// numbered khoản ("2."), a lettered điểm ("a)"), a dash item.
    static func startsParagraph(_ b: [UInt8], at i: Int) -> Bool {
        var k = i
        while k < b.count, b[k] == 0x20 || b[k] == 0x2A || b[k] == 0x23 { k += 1 }
        guard k < b.count else { return false }
        let head = String(decoding: b[k..<min(b.count, k + 12)], as: UTF8.self)
        if head.hasPrefix("Căn cứ") || head.hasPrefix("Điều ") || head.hasPrefix("Chương ") || head.hasPrefix("- ") { return true }
        var d = k
        while d < b.count, DocumentNumber.isDigit(b[d]) { d += 1 }
        if d > k, d < b.count, b[d] == 0x2E { return true }
        if k + 1 < b.count, b[k] >= 0x61, b[k] <= 0x7A, b[k + 1] == 0x29 { return true }
        return false
    }

    /// Farthest `paragraphStart` looks back. Without a bound, a long line of numbers made the
    /// citation reading quadratic (each number scanned back to the line's start: 10,000
    /// numbers on one 140 KB line took 29 s); a "Căn cứ" paragraph is far shorter.
    static let paragraphLookBack = 4096

    /// The start of the line that begins the paragraph holding `offset` (lines broken inside a
    /// sentence belong to it: a paragraph starts after a line that ends with ";" or "."), or
    /// where the search stopped, `paragraphLookBack` bytes back.
    static func paragraphStart(_ b: [UInt8], before offset: Int) -> Int {
        var i = offset
        var lines = 0
        let floor = max(0, offset - paragraphLookBack)
        while i > floor && lines < 6 {
            if b[i - 1] == 0x0A {
                var k = i - 2
                while k >= 0 && (b[k] == 0x20 || b[k] == 0x0D) { k -= 1 }
                if k < 0 || b[k] == 0x3B || b[k] == 0x2E || b[k] == 0x0A || b[k] == 0x3A || startsParagraph(b, at: i) { return i }
                lines += 1
            }
            i -= 1
        }
        return i
    }

    /// Line breaks and runs of spaces made single spaces; Markdown emphasis dropped.
    static func flatten(_ s: String) -> String {
        var out: [UInt8] = []
        let bytes = Array(s.utf8)
        out.reserveCapacity(bytes.count)
        var space = false
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x2A, i + 1 < bytes.count, bytes[i + 1] == 0x2A { i += 2; continue }
            if b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { space = true; i += 1; continue }
            if b == 0xC2, i + 1 < bytes.count, bytes[i + 1] == 0xA0 { space = true; i += 2; continue }
            if space && !out.isEmpty { out.append(0x20) }
            space = false
            out.append(b)
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}
