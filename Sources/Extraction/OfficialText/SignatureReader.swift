import DocumentModel
import Foundation

/// The end of the text: the signature blocks (form, position, name) and "Nơi nhận:". In
/// gazette PDFs the two columns of the end are flattened, so recipients and the signature
/// interleave line by line; both are read from the end matter regardless of their order.
enum SignatureReader {
    static let recipientStarts = ["Nơi nhận", "NƠI NHẬN", "Nơi nhận"].flatMap { [Array($0.utf8), Array($0.decomposedStringWithCanonicalMapping.utf8)] }
    static let formStarts = forms.map { Array($0.utf8) }

    /// Lines of end matter read.
    static let maxLines = 90

    /// The end matter: from the first signature block or "Nơi nhận:" after the body, 90 lines.
    /// Appendices and forms (with their own "(Chữ ký, dấu) Nguyễn Văn A") come after it and
    /// are not read.
    static func tail(_ lines: TextLines) -> (first: Int, lines: [String]) {
        let first = firstLine(lines) ?? max(0, lines.count - maxLines)
        return (first, (first..<min(lines.count, first + maxLines)).map { lines.cleaned($0, maxBytes: 300) })
    }

    /// The line where the end matter starts: the first signature block (capital lines ending
    /// with a position, then a name) or "Nơi nhận:", whichever comes first, after the header.
    static func firstLine(_ lines: TextLines) -> Int? {
        let start = min(lines.count, 8)
        for i in start..<lines.count where lines.length(i) <= 120 {
            if lines.starts(i, with: Self.recipientStarts) {
                if isRecipientLine(lines.cleaned(i)) { return i }
            }
            // Cheap test first: a block line has no ASCII lower-case letter, or starts with a form.
            let hasLower = lines.hasASCIILowercase(i)
            guard !hasLower || lines.starts(i, with: Self.formStarts) else { continue }
            let line = lines.cleaned(i)
            guard TextLines.isCapitals(line), isPosition(line) else { continue }
            let next = ((i + 1)..<min(lines.count, i + 9)).map { lines.cleaned($0, maxBytes: 80) }
            guard next.contains(where: isPersonName) else { continue }
            // Back over the block's capital lines (form, body).
            var k = i
            while k > start, i - k < 4 {
                let previous = lines.cleaned(k - 1, maxBytes: 120)
                guard !previous.isEmpty, TextLines.isCapitals(previous) || forms.contains(where: { previous.hasPrefix($0) }) else { break }
                k -= 1
            }
            return k
        }
        return nil
    }

    static func read(_ lines: TextLines, into result: inout OfficialText) {
        guard let first = firstLine(lines) else { return }
        let tail = (first..<min(lines.count, first + maxLines)).map { lines.cleaned($0, maxBytes: 300) }
        result.signers = signers(tail)
        result.recipients = recipients(tail)
        // A text with no header issuer (an agreement written in Markdown) names its parties in
        // its signature blocks.
        if result.issuers.isEmpty {
            var seen = Set<String>()
            result.issuers = result.signers.compactMap(\.body).filter { seen.insert($0).inserted }
        }
    }

    /// The signing forms: "TM." (on behalf of a collective), "KT." (deputy signing for the
    /// head), "TL.", "TUQ.", "Q." (acting), "PP.".
    static let forms = ["TM.", "KT.", "TL.", "TUQ.", "Q.", "PP.", "T/M", "K/T"]

    /// Positions a signature block ends with (its last capital line before the name).
    static let positionWords = [
        "chu tich", "bo truong", "thu truong", "thu tuong", "giam doc", "chanh van phong", "truong ban",
        "chu nhiem", "thong doc", "tong thu ky", "bi thu", "tong kiem toan", "vien truong", "chanh an",
        "tong cuc truong", "cuc truong", "vu truong", "truong phong", "hieu truong", "tong giam doc",
        "chanh thanh tra", "tong thanh tra", "chu tich nuoc", "truong doan", "thu ky", "pho", "quyen",
    ]

    static func signers(_ tail: [String]) -> [OfficialText.Signer] {
        var found: [OfficialText.Signer] = []
        var k = 0
        while k < tail.count {
            let line = tail[k]
            guard !line.isEmpty, TextLines.isCapitals(line) || forms.contains(where: { line.hasPrefix($0) }) else { k += 1; continue }
            // A block: capital lines (form, body, position), then blank or "(Đã ký)" lines, then the name.
            var block: [String] = []
            var j = k
            while j < tail.count, block.count < 5 {
                let l = tail[j]
                if l.isEmpty { j += 1; continue }
                if TextLines.isCapitals(l) || forms.contains(where: { l.hasPrefix($0) }) {
                    if isRecipientLine(l) { break }
                    block.append(l); j += 1
                } else { break }
            }
            guard let position = block.last, isPosition(position) else { k = max(j, k + 1); continue }
            // The name: the next line that reads as a person's name (a few skipped lines:
            // "(Đã ký)", a seal, a recipient line of the other column).
            var name: String?
            var n = j
            while n < min(tail.count, j + 8) {
                let l = tail[n]
                if isPersonName(l) { name = l; break }
                if TextLines.isCapitals(l) && isPosition(l) { break }  // the next block
                n += 1
            }
            guard let name else { k = j; continue }
            var form: String?
            var body: String?
            var rest = block.dropLast()
            if let f = rest.first, let matched = forms.first(where: { f.hasPrefix($0) }) {
                form = matched.replacingOccurrences(of: "/", with: "") + (matched.contains("/") ? "." : "")
                let afterForm = f.dropFirst(matched.count).trimmingCharacters(in: .whitespaces)
                body = afterForm.isEmpty ? nil : afterForm
                rest = rest.dropFirst()
            }
            if body == nil, let b = rest.first { body = rest.joined(separator: " "); _ = b }
            found.append(OfficialText.Signer(form: form, position: position, body: body, name: name))
            k = n + 1
        }
        return found
    }

    static func isPosition(_ line: String) -> Bool {
        let folded = TextLines.folded(line)
        return positionWords.contains { folded == $0 || folded.hasSuffix(" " + $0) || folded.hasPrefix($0 + " ") || folded.hasPrefix("pho ") && folded.hasSuffix($0) }
    }

    /// Two to six words, each starting with a capital followed by lower-case letters: "Đỗ Hữu
    /// Quyết", "Phạm Minh Chính". Not a sentence (no final punctuation), not a heading.
    static func isPersonName(_ line: String) -> Bool {
        let words = line.split(separator: " ")
        guard (2...6).contains(words.count), line.count <= 40 else { return false }
        for w in words {
            guard let f = w.unicodeScalars.first, f.properties.isUppercase else { return false }
            let rest = w.unicodeScalars.dropFirst()
            guard !rest.isEmpty, rest.allSatisfy({ $0.properties.isLowercase }) else { return false }
        }
        let folded = TextLines.folded(line)
        let notNames = ["noi nhan", "nhu tren", "luu", "da ky", "ha noi", "thanh pho", "cong bao"]
        return !notNames.contains { folded.hasPrefix($0) }
    }

    static func isRecipientLine(_ line: String) -> Bool {
        TextLines.folded(line).hasPrefix("noi nhan")
    }

    /// The "- ..." lines after "Nơi nhận:" (the other column's lines between them skipped).
    static func recipients(_ tail: [String]) -> [String] {
        guard let start = tail.lastIndex(where: isRecipientLine) else { return [] }
        var out: [String] = []
        let first = tail[start]
        if let colon = first.firstIndex(of: ":") {
            let after = first[first.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if !after.isEmpty { out.append(cleanRecipient(after)) }
        }
        var misses = 0
        for line in tail[(start + 1)...] {
            if line.hasPrefix("-") || line.hasPrefix("+") || line.hasPrefix("•") {
                out.append(cleanRecipient(String(line.dropFirst())))
                misses = 0
            } else if !line.isEmpty {
                misses += 1
                if misses > 6 { break }
            }
        }
        return out.filter { !$0.isEmpty }
    }

    static func cleanRecipient(_ s: String) -> String {
        s.trimmingCharacters(in: CharacterSet(charactersIn: " ;.,"))
    }
}
