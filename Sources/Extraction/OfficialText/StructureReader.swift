import DocumentModel
import Foundation

/// Phần / Chương / Mục / Điều: each heading line, in order, with the byte range it governs.
/// Khoản ("1.") and điểm ("a)") stay inside their article's range. Quoted articles (an
/// amending text quoting the new wording: “Điều 12. ...”) are not the text's own and are
/// skipped; so is everything after the signature block begins.
enum StructureReader {
    static func read(_ lines: TextLines, into result: inout OfficialText) {
        var divisions: [OfficialText.Division] = []
        let endOfBody = signatureStart(lines) ?? lines.count
        for i in 0..<endOfBody {
            guard lines.length(i) <= 400, mayStartDivision(lines, i) else { continue }
            let line = lines.cleaned(i)
            guard let (level, label, rest) = division(line) else { continue }
            var heading = rest
            // "Chương I" with its title on the next line ("QUY ĐỊNH CHUNG").
            if heading.isEmpty, level != .article {
                // The next non-empty line, when it is in capitals and not itself a division.
                for k in (i + 1)..<min(lines.count, i + 4) {
                    let next = lines.cleaned(k)
                    if next.isEmpty { continue }
                    if TextLines.isCapitals(next), division(next) == nil { heading = next }
                    break
                }
            }
            divisions.append(OfficialText.Division(level: level, label: label, heading: heading,
                                                   start: lines.ranges[i].lowerBound, end: 0))
        }
        // Each runs to the next division of the same or a higher level, or to the end of the body.
        let bodyEnd = endOfBody < lines.count ? lines.ranges[endOfBody].lowerBound : lines.text.utf8.count
        for k in divisions.indices {
            let rank = Self.rank(divisions[k].level)
            let next = divisions[(k + 1)...].first { Self.rank($0.level) <= rank }
            divisions[k].end = next?.start ?? bodyEnd
        }
        result.outline = divisions
    }

    static func rank(_ level: OfficialText.Division.Level) -> Int {
        switch level {
        case .part: return 0
        case .chapter: return 1
        case .section: return 2
        case .article: return 3
        }
    }

    /// A cheap test on the raw bytes before the line is cleaned: after Markdown marks and
    /// spaces it starts with Điều, Chương, Mục or Phần (NFC or NFD, any case).
    static let divisionStarts: [[UInt8]] = ["Điều ", "Điều ", "ĐIỀU ", "Chương", "CHƯƠNG", "Chương", "Mục ", "MỤC ", "Mục ", "Phần", "PHẦN", "Phần"]
        .flatMap { [Array($0.utf8), Array($0.decomposedStringWithCanonicalMapping.utf8)] }
    static func mayStartDivision(_ lines: TextLines, _ i: Int) -> Bool {
        lines.starts(i, with: divisionStarts)
    }

    /// "Điều 8. Chế độ thông tin, báo cáo" -> (.article, "8", "Chế độ thông tin, báo cáo");
    /// "Chương II" -> (.chapter, "II", ""); "Mục 1. ..."; "Phần thứ nhất ...".
    static func division(_ line: String) -> (OfficialText.Division.Level, String, String)? {
        let folded = TextLines.folded(line)
        let levels: [(String, OfficialText.Division.Level)] = [("dieu ", .article), ("chuong ", .chapter), ("muc ", .section), ("phan ", .part)]
        guard let (prefix, level) = levels.first(where: { folded.hasPrefix($0.0) }) else { return nil }
        // Headings are written with a capital: "Điều", "Chương", "CHƯƠNG"; "điều 5 của ..." is prose.
        guard line.first?.isUppercase == true else { return nil }
        let after = line.dropFirst(prefix.count)
        var label = ""
        var rest = Substring(after)
        if level == .article {
            label = String(after.prefix { $0.isNumber })
            guard !label.isEmpty else { return nil }
            rest = after.dropFirst(label.count)
            if let letter = rest.first, letter.isLetter, letter.isLowercase, rest.dropFirst().first.map({ !$0.isLetter }) ?? true {
                label.append(letter); rest = rest.dropFirst()
            }
            // "Điều 8." or "Điều 8:" or "Điều 8 " then the heading; "Điều 8 của Luật" is a reference.
            let trimmed = rest.drop { $0 == " " }
            if let mark = trimmed.first, mark == "." || mark == ":" {
                rest = trimmed.dropFirst()
            } else if !trimmed.isEmpty {
                // No mark: a heading only when it reads as one (capitalised), not "của ...".
                guard trimmed.first?.isUppercase == true else { return nil }
                rest = trimmed
            }
        } else {
            let word = after.prefix { $0 != " " && $0 != "." && $0 != ":" }
            guard !word.isEmpty, word.allSatisfy({ $0.isNumber || "IVXLCDMivxlcdm".contains($0) }) || level == .part else { return nil }
            label = String(word)
            rest = after.dropFirst(word.count)
            if level == .part, TextLines.folded(label) == "thu" {
                // "Phần thứ nhất"
                let ordinal = rest.drop { $0 == " " }.prefix { $0 != " " && $0 != "." }
                label += " " + ordinal
                rest = rest.drop { $0 == " " }.dropFirst(ordinal.count)
            }
            rest = rest.drop { $0 == " " || $0 == "." || $0 == ":" || $0 == "-" }
        }
        let heading = rest.trimmingCharacters(in: .whitespaces)
        guard heading.count <= 250 else { return nil }
        return (level, label, heading)
    }

    /// Where the signature block or the recipients start: the body stops there.
    static func signatureStart(_ lines: TextLines) -> Int? {
        SignatureReader.firstLine(lines)
    }
}
