import VietText

/// An official text's number, its "số ký hiệu": "45/2010/NĐ-CP", "5632/QĐ-UBND", "58-NQ/TW",
/// "51/2024/QH15", "13/VBHN-BTC", "05/BNV-VP" (Decree 30/2020/NĐ-CP: the serial, the year for
/// legal normative texts, then the symbol naming the type and the issuer).
///
/// Real texts deviate: "13/2015/TT- BVHTTDL", "45 / 2010 / NĐ - CP", dash variants (U+2010-2015,
/// U+2212, U+FF0D), "36/2006/CT-TTG", lower case typed by people. `key` is the same for all the
/// ways one number is written, so the index and queries compare keys, never texts.
public struct DocumentNumber: Hashable, Sendable, CustomStringConvertible {
    /// As written, with the spaces around separators removed and dashes made "-":
    /// "13/2015/TT-BVHTTDL".
    public let text: String
    /// The matching form: serial without leading zeros, folded symbol, "/" and "-" only:
    /// "45/2010/nd-cp", "5632/qd-ubnd", "58-nq/tw".
    public let key: String
    public let serial: Int
    /// The year, for numbers that carry one ("45/2010/..."); nil for "5632/QĐ-UBND".
    public let year: Int?
    /// The folded symbol: "nd-cp", "qd-ubnd", "nq/tw".
    public let symbol: String

    public var description: String { text }

    /// The type abbreviation the symbol starts with, folded, digits dropped: "nd" for NĐ-CP,
    /// "qh" for QH15, "nq" for 58-NQ/TW. Appendix III of Decree 30/2020 lists them.
    public var typeCode: String {
        String(symbol.prefix { $0 != "-" && $0 != "/" }.filter { !$0.isNumber })
    }

    /// Parses `s` when it is exactly one number (surrounding spaces ignored), in any case.
    public static func parse(_ s: String) -> DocumentNumber? {
        let found = find(in: s, requireCapitals: false)
        guard found.count == 1, let only = found.first else { return nil }
        let bytes = Array(s.utf8)
        let before = bytes[..<only.range.lowerBound].allSatisfy { $0 == 0x20 || $0 == 0x09 }
        let after = bytes[only.range.upperBound...].allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x2E || $0 == 0x3B || $0 == 0x2C }
        return before && after ? only.number : nil
    }

    /// Every number in `text`, with its UTF-8 byte range. `requireCapitals` (for document
    /// text) wants each symbol group to start with a capital, as official texts write them;
    /// queries pass false ("45/2010/nd-cp").
    ///
    /// One pass over the bytes; a candidate starts at a digit that does not follow a letter,
    /// a digit, "/" or "-", so dates ("21/4/2010") and parts of other numbers never start one.
    public static func find(in text: String, requireCapitals: Bool = true) -> [(number: DocumentNumber, range: Range<Int>)] {
        var text = text
        return text.withUTF8 { bytes in
            var results: [(DocumentNumber, Range<Int>)] = []
            var i = 0
            while i < bytes.count {
                let b = bytes[i]
                guard isDigit(b), i == 0 || !startsBlocked(bytes, before: i) else { i += 1; continue }
                if let (number, end) = scan(bytes, from: i, requireCapitals: requireCapitals) {
                    results.append((number, i..<end))
                    i = end
                } else {
                    while i < bytes.count && isDigit(bytes[i]) { i += 1 }
                }
            }
            return results
        }
    }

    // MARK: Scanning

    /// One number starting at the digit at `start`: the number and the index after it.
    private static func scan(_ b: UnsafeBufferPointer<UInt8>, from start: Int, requireCapitals: Bool) -> (DocumentNumber, Int)? {
        var i = start
        while i < b.count && isDigit(b[i]) { i += 1 }
        let serialText = String(decoding: UnsafeBufferPointer(rebasing: b[start..<i]), as: UTF8.self)
        guard serialText.count <= 6, let serial = Int(serialText) else { return nil }
        var year: Int?
        var groups: [String] = []
        var tail: String?  // the part after "/" in "58-NQ/TW"
        var j = skipSpaces(b, i)
        if j < b.count && b[j] == 0x2F {  // "/"
            j = skipSpaces(b, j + 1)
            var k = j
            while k < b.count && isDigit(b[k]) { k += 1 }
            if k - j == 4, let y = Int(String(decoding: UnsafeBufferPointer(rebasing: b[j..<k]), as: UTF8.self)),
               (1945...2200).contains(y) {
                // A year, then "/" and the symbol.
                let afterYear = skipSpaces(b, k)
                guard afterYear < b.count, b[afterYear] == 0x2F else { return nil }
                year = y
                j = skipSpaces(b, afterYear + 1)
            } else if k > j {
                return nil  // "21/4/...": a date
            }
            guard let (parsed, end) = symbolGroups(b, from: j, requireCapitals: requireCapitals) else { return nil }
            groups = parsed
            i = end
        } else if let dash = dashLength(b, at: j) {
            // "58-NQ/TW": the type, "/", the body.
            guard let (first, end) = symbolGroups(b, from: skipSpaces(b, j + dash), requireCapitals: requireCapitals, allowDash: false)
            else { return nil }
            let slash = skipSpaces(b, end)
            guard slash < b.count, b[slash] == 0x2F,
                  let (second, end2) = symbolGroups(b, from: skipSpaces(b, slash + 1), requireCapitals: requireCapitals)
            else { return nil }
            groups = first
            tail = second.joined(separator: "-")
            i = end2
        } else {
            return nil
        }
        guard let firstGroup = groups.first, firstGroup.unicodeScalars.filter({ $0.properties.isAlphabetic }).count >= 2
        else { return nil }
        // In a document's own text a symbol is in capitals ("TTg", "QyĐ" have two): "636/Ngày"
        // in a gazette header is not a number.
        if requireCapitals, firstGroup.unicodeScalars.filter({ $0.properties.isUppercase }).count < 2 { return nil }
        var written = serialText + (year.map { "/\($0)" } ?? "")
        var symbolText = groups.joined(separator: "-")
        if let tail { written += "-" + symbolText + "/" + tail; symbolText += "/" + tail } else { written += "/" + symbolText }
        let folded = VietText.fold(symbolText)
        let key = tail == nil ? "\(serial)\(year.map { "/\($0)" } ?? "")/\(folded)" : "\(serial)-\(folded)"
        return (DocumentNumber(text: written, key: key, serial: serial, year: year, symbol: folded), i)
    }

    /// Symbol groups separated by dashes ("NĐ", "CP"): each starts with a letter and holds
    /// letters, digits or "&". Returns nil when there is none.
    private static func symbolGroups(_ b: UnsafeBufferPointer<UInt8>, from start: Int, requireCapitals: Bool,
                                     allowDash: Bool = true) -> ([String], Int)? {
        var groups: [String] = []
        var i = start
        while true {
            guard let (group, end) = symbolGroup(b, from: i, requireCapital: requireCapitals) else { break }
            groups.append(group)
            i = end
            guard allowDash else { break }
            let j = skipSpaces(b, i)
            guard let dash = dashLength(b, at: j) else { break }
            let next = skipSpaces(b, j + dash)
            guard symbolGroup(b, from: next, requireCapital: requireCapitals) != nil else { break }
            i = next
        }
        return groups.isEmpty ? nil : (groups, i)
    }

    private static func symbolGroup(_ b: UnsafeBufferPointer<UInt8>, from start: Int, requireCapital: Bool) -> (String, Int)? {
        var i = start
        var scalars = String.UnicodeScalarView()
        while i < b.count {
            guard let (scalar, length) = decode(b, at: i) else { break }
            let isLetter = scalar.properties.isAlphabetic
            if scalars.isEmpty {
                guard isLetter else { return nil }
                if requireCapital && !scalar.properties.isUppercase { return nil }
            } else if !(isLetter || (scalar.value >= 0x30 && scalar.value <= 0x39) || scalar == "&") {
                break
            }
            scalars.append(scalar)
            i += length
        }
        guard !scalars.isEmpty, scalars.count <= 16 else { return nil }
        return (String(scalars), i)
    }

    // MARK: Bytes

    @inline(__always) public static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    /// True when the byte before `i` continues a word or a number (a candidate cannot start there).
    private static func startsBlocked(_ b: UnsafeBufferPointer<UInt8>, before i: Int) -> Bool {
        let p = b[i - 1]
        if isDigit(p) || p == 0x2F || p == 0x2D || p == 0x2E || p == 0x5F { return true }
        if (p >= 0x41 && p <= 0x5A) || (p >= 0x61 && p <= 0x7A) { return true }
        if p >= 0x80 {
            // The scalar ending at i-1.
            var k = i - 1
            while k > 0 && b[k] & 0xC0 == 0x80 { k -= 1 }
            if let (scalar, _) = decode(b, at: k), scalar.properties.isAlphabetic { return true }
            if dashLength(b, at: k) != nil { return true }
        }
        return false
    }

    private static func skipSpaces(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int {
        var i = i
        var skipped = 0
        while i < b.count && skipped < 3 {
            if b[i] == 0x20 { i += 1; skipped += 1; continue }
            if b[i] == 0xC2, i + 1 < b.count, b[i + 1] == 0xA0 { i += 2; skipped += 1; continue }  // NBSP
            break
        }
        return i
    }

    /// The byte length of a dash at `i`: "-", U+2010...U+2015, U+2212, U+FF0D.
    private static func dashLength(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> Int? {
        guard i < b.count else { return nil }
        if b[i] == 0x2D { return 1 }
        if b[i] == 0xE2, i + 2 < b.count {
            if b[i + 1] == 0x80, (0x90...0x95).contains(b[i + 2]) { return 3 }
            if b[i + 1] == 0x88, b[i + 2] == 0x92 { return 3 }
        }
        if b[i] == 0xEF, i + 2 < b.count, b[i + 1] == 0xBC, b[i + 2] == 0x8D { return 3 }
        return nil
    }

    private static func decode(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> (Unicode.Scalar, Int)? {
        guard i < b.count else { return nil }
        let lead = b[i]
        if lead < 0x80 { return (Unicode.Scalar(lead), 1) }
        let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 0
        guard length > 0, i + length <= b.count else { return nil }
        var value = UInt32(lead) & (0xFF >> (length + 1))
        for k in 1..<length {
            let c = b[i + k]
            guard c & 0xC0 == 0x80 else { return nil }
            value = value << 6 | UInt32(c & 0x3F)
        }
        return Unicode.Scalar(value).map { ($0, length) }
    }
}
