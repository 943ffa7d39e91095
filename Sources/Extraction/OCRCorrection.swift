// Corrections of OCR'd text against the closed vocabulary of official texts, applied to the
// pages Tesseract read (never to a text layer), after the cache: `reindex` applies an
// improved rule to every scan without running OCR again.
//
// Tesseract's dictionary is of common words, not of the fixed forms an official text is
// built from, and its typical misreadings there break what users search by: the number
// "02/2025/TT-BLĐTBXH" read as ".../TI-BLĐTBXH" is no longer the text's number, and the
// heading "THÔNG TƯ" read as "THOÔNG TƯ" no longer names its type. Two rules, each only
// where the vocabulary is closed, so that a correction is never a guess between readings:
//
// - A document number with a year ("số/năm/LOẠI-CƠ QUAN", the form of the legal normative
//   texts, where the group after the year is always the type's code): a code that is not a
//   type code but becomes exactly one by replacing one character with a shape Tesseract
//   confuses it with (I/T/l/1, O/Q/0, Ð/Đ) is replaced ("TI" -> "TT", "0Đ" -> "QĐ").
// - A heading line in capitals that is one edit (a letter added, dropped or changed) from
//   exactly one type name of at least seven letters ("THOÔNG TƯ" -> "THÔNG TƯ"). Short names
//   (LUẬT, LỆNH, ĐỀ ÁN) are left alone: one edit from them is too often another word.

import DocumentModel
import Foundation
import VietText

enum OCRCorrection {
    /// The page's text corrected, and how many corrections were made.
    static func correct(_ text: String) -> (text: String, corrections: Int) {
        var corrections = 0
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            var line = String(line)
            if let heading = correctedHeading(line) { corrections += 1; line = heading }
            let (numbers, n) = correctNumbers(in: line)
            corrections += n
            return numbers
        }
        return (corrections == 0 ? text : lines.joined(separator: "\n"), corrections)
    }

    // MARK: Numbers

    /// Characters Tesseract reads for one another in capitals and digits.
    static let confusions: [Character: [Character]] = [
        "I": ["T", "L"], "l": ["I", "T"], "1": ["I", "T"], "|": ["I", "T"], "T": ["I"],
        "O": ["Q", "Đ"], "0": ["Q", "O", "Đ"], "Q": ["O"], "Ð": ["Đ"], "D": ["Đ"],
    ]

    /// The type codes of numbers, folded ("nd", "tt", "ttlt"), and the National Assembly's "qh".
    static let typeCodes: Set<String> = Set(OfficialTypes.entries.flatMap(\.codes) + ["qh"])

    /// Corrects the type code of every "digits/year/CODE-..." in `line`.
    static func correctNumbers(in line: String) -> (String, Int) {
        guard line.contains("/") else { return (line, 0) }
        var characters = Array(line)
        var corrections = 0
        var i = 0
        while i < characters.count {
            // digits "/" four digits "/" : the code starts after the second slash.
            guard isDigit(characters[i]), i == 0 || !characters[i - 1].isLetter && !isDigit(characters[i - 1]) else { i += 1; continue }
            var j = i
            while j < characters.count, isDigit(characters[j]) { j += 1 }
            guard j < characters.count, characters[j] == "/" else { i = j + 1; continue }
            var k = j + 1
            while k < characters.count, isDigit(characters[k]) { k += 1 }
            guard k - (j + 1) == 4, k < characters.count, characters[k] == "/",
                  ["19", "20"].contains(String(characters[(j + 1)..<(j + 3)])) else { i = k; continue }
            let codeStart = k + 1
            var codeEnd = codeStart
            while codeEnd < characters.count, characters[codeEnd] != "-", !characters[codeEnd].isWhitespace, codeEnd - codeStart < 8 {
                codeEnd += 1
            }
            // A code followed by its issuer ("-BLĐTBXH"), or a law's "QH15" alone.
            let code = Array(characters[codeStart..<codeEnd])
            if !code.isEmpty, let fixed = correctedCode(code) {
                characters.replaceSubrange(codeStart..<codeEnd, with: fixed)
                corrections += 1
            }
            i = codeEnd
        }
        return (corrections == 0 ? line : String(characters), corrections)
    }

    static func isDigit(_ c: Character) -> Bool { c.isASCII && c.isNumber }

    /// The one type code `code` becomes by replacing one confusable character, if it is not
    /// a code already and exactly one replacement makes one.
    static func correctedCode(_ code: [Character]) -> [Character]? {
        func isCode(_ c: [Character]) -> Bool {
            let letters = VietText.fold(String(c)).filter { !$0.isNumber }
            return !letters.isEmpty && typeCodes.contains(letters) && c.allSatisfy { $0.isLetter || $0.isNumber }
        }
        if isCode(code) { return nil }
        var found: [[Character]] = []
        for (p, c) in code.enumerated() {
            for alternative in confusions[c] ?? [] {
                var candidate = code
                candidate[p] = alternative
                if isCode(candidate), !found.contains(candidate) { found.append(candidate) }
            }
        }
        return found.count == 1 ? found[0] : nil
    }

    // MARK: Headings

    /// The type names a heading may be corrected to: seven letters or more, folded.
    static let headingNames: [(folded: [Character], capitals: String)] = OfficialTypes.entries
        .filter { $0.folded.filter(\.isLetter).count >= 7 }
        .map { (Array($0.folded), $0.name.uppercased()) }

    /// The heading `line` is one edit from, when it is one edit from exactly one type name.
    static func correctedHeading(_ line: String) -> String? {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard trimmed.count >= 6, trimmed.count <= 24, OfficialTypes.isCapitals(trimmed),
              OfficialTypes.heading(trimmed) == nil else { return nil }
        let folded = Array(VietText.fold(trimmed).split(separator: " ").joined(separator: " "))
        let near = headingNames.filter { withinOneEdit(folded, $0.folded) }
        guard near.count == 1 else { return nil }
        return near[0].capitals
    }

    /// Levenshtein distance <= 1, and not 0.
    static func withinOneEdit(_ a: [Character], _ b: [Character]) -> Bool {
        if a == b || abs(a.count - b.count) > 1 { return false }
        var i = 0
        while i < a.count, i < b.count, a[i] == b[i] { i += 1 }
        if a.count == b.count { return a[(i + 1)...] == b[(i + 1)...] }
        if a.count > b.count { return a[(i + 1)...] == b[i...] }
        return a[i...] == b[(i + 1)...]
    }
}
