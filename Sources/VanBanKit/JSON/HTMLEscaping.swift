/// Text made safe to place in HTML, as an element's content or a quoted attribute: the JSON
/// `snippet` is put into pages by clients as it is, and the search page writes every text
/// through this, so the document's own text never becomes markup. NUL becomes U+FFFD (an HTML
/// parser would drop or replace it anyway).
public enum HTMLEscaping {
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for c in text.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\u{0}": out += "\u{FFFD}"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}

extension Snippet {
    /// The highlights as (start, length) in UTF-16 code units of `text`: what JavaScript's
    /// string indices and most UI toolkits count (a letter outside the BMP counts 2).
    var utf16Highlights: [(start: Int, length: Int)] {
        let bytes = Array(text.utf8)
        var result: [(start: Int, length: Int)] = []
        var byte = 0, unit = 0
        /// Advances to UTF-8 offset `target`, counting UTF-16 units on the way.
        func advance(to target: Int) {
            while byte < target && byte < bytes.count {
                let lead = bytes[byte]
                let width = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
                unit += width == 4 ? 2 : 1
                byte += width
            }
        }
        for range in highlights where range.lowerBound >= byte && range.upperBound <= bytes.count {
            advance(to: range.lowerBound)
            let start = unit
            advance(to: range.upperBound)
            result.append((start, unit - start))
        }
        return result
    }
}
