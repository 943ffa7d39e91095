import DocumentModel
import Foundation
import VietText

/// The lines of a text with their byte offsets, and each line as the readers compare it:
/// Markdown emphasis and heading marks removed, NFC with canonical tone placement, runs of
/// spaces made one, trimmed. ("## **Điều 2. Nguyên tắc phối hợp**" -> "Điều 2. Nguyên tắc phối hợp".)
struct TextLines {
    let text: String
    /// Byte range of each line in `text`, newline excluded.
    let ranges: [Range<Int>]
    private let bytes: [UInt8]

    init(_ text: String) {
        self.text = text
        bytes = Array(text.utf8)
        var ranges: [Range<Int>] = []
        var start = 0
        for (i, b) in bytes.enumerated() where b == 0x0A {
            ranges.append(start..<(i > start && bytes[i - 1] == 0x0D ? i - 1 : i))
            start = i + 1
        }
        if start < bytes.count { ranges.append(start..<bytes.count) }
        self.ranges = ranges
    }

    var count: Int { ranges.count }

    /// The raw line (as written).
    func raw(_ i: Int) -> String { String(decoding: bytes[ranges[i]], as: UTF8.self) }

    /// The raw line's byte length.
    func length(_ i: Int) -> Int { ranges[i].count }

    /// The line as the readers compare it (see above). Lines longer than `maxBytes` give ""
    /// (a paragraph is never a header line, and cleaning it would cost for nothing).
    func cleaned(_ i: Int, maxBytes: Int = 600) -> String {
        guard ranges[i].count <= maxBytes else { return "" }
        return Self.clean(raw(i))
    }

    static func clean(_ line: String) -> String {
        // NFC with canonical tones only when the line has combining marks (U+0300-U+036F, lead
        // bytes CC/CD): most lines are NFC already, and normalising costs a tokenizer pass.
        var bytes = Array(line.utf8)
        if bytes.contains(where: { $0 == 0xCC || $0 == 0xCD }) { bytes = Array(VietText.normalize(line).utf8) }
        // Markdown emphasis ("**", "__") dropped, whitespace runs (and NBSP) made one space.
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        var pendingSpace = false
        while i < bytes.count {
            let b = bytes[i]
            if (b == 0x2A || b == 0x5F), i + 1 < bytes.count, bytes[i + 1] == b { i += 2; if b == 0x5F { pendingSpace = true }; continue }
            if b == 0x20 || b == 0x09 || b == 0x0D || b < 0x20 { pendingSpace = true; i += 1; continue }
            if b == 0xC2, i + 1 < bytes.count, bytes[i + 1] == 0xA0 { pendingSpace = true; i += 2; continue }
            if pendingSpace && !out.isEmpty { out.append(0x20) }
            pendingSpace = false
            out.append(b)
            i += 1
        }
        // Heading and quote marks at the start, emphasis and escapes at the end.
        var start = 0, end = out.count
        while start < end, [0x23, 0x3E, 0x2A, 0x20, 0x5F].contains(out[start]) { start += 1 }
        while end > start, [0x20, 0x2A, 0x5F, 0x5C].contains(out[end - 1]) { end -= 1 }
        return String(decoding: out[start..<end], as: UTF8.self)
    }

    func hasASCIILowercase(_ i: Int) -> Bool { bytes[ranges[i]].contains { $0 >= 0x61 && $0 <= 0x7A } }

    /// True when the raw line contains `needle` (bytes), without making a String of it.
    func contains(_ i: Int, _ needle: [UInt8]) -> Bool {
        Self.find(needle, in: bytes, range: ranges[i]) != nil
    }

    /// True when the raw line, after Markdown marks and spaces, starts with one of `prefixes`.
    func starts(_ i: Int, with prefixes: [[UInt8]]) -> Bool {
        var k = ranges[i].lowerBound
        let end = ranges[i].upperBound
        while k < end, [0x20, 0x2A, 0x23, 0x09, 0x5F, 0x3E].contains(bytes[k]) { k += 1 }
        return prefixes.contains { p in end - k >= p.count && bytes[k..<(k + p.count)].elementsEqual(p) }
    }

    /// `haystack` contains `needle`, compared as UTF-8 bytes (Foundation's `contains` goes
    /// through CFString and costs far more).
    static func has(_ haystack: String, _ needle: String) -> Bool {
        var h = haystack
        return h.withUTF8 { hb in
            let n = Array(needle.utf8)
            guard !n.isEmpty, hb.count >= n.count else { return n.isEmpty }
            var k = 0
            while k <= hb.count - n.count {
                if hb[k] == n[0] {
                    var m = 1
                    while m < n.count && hb[k + m] == n[m] { m += 1 }
                    if m == n.count { return true }
                }
                k += 1
            }
            return false
        }
    }

    /// True when `bytes` from `i`, after spaces and Markdown marks, starts with one of `prefixes`.
    static func startsWith(_ bytes: [UInt8], at i: Int, _ prefixes: [[UInt8]]) -> Bool {
        var k = i
        while k < bytes.count, [0x20, 0x2A, 0x23, 0x09, 0x5F, 0x2D].contains(bytes[k]) { k += 1 }
        return prefixes.contains { p in bytes.count - k >= p.count && bytes[k..<(k + p.count)].elementsEqual(p) }
    }

    static func find(_ needle: [UInt8], in bytes: [UInt8], range: Range<Int>) -> Int? {
        guard !needle.isEmpty, range.count >= needle.count else { return nil }
        let first = needle[0]
        var k = range.lowerBound
        let last = range.upperBound - needle.count
        while k <= last {
            if bytes[k] == first {
                var m = 1
                while m < needle.count && bytes[k + m] == needle[m] { m += 1 }
                if m == needle.count { return k }
            }
            k += 1
        }
        return nil
    }

    /// True when the line has at least two letters and no lower-case letter.
    static func isCapitals(_ s: String) -> Bool { OfficialTypes.isCapitals(s) }

    /// The folded form for keyword tests: "Căn cứ" -> "can cu".
    static func folded(_ s: String) -> String { VietText.fold(s) }
}

/// Dates as official texts write them: "ngày 24 tháng 9 năm 2021", "ngày 21/4/2010",
/// "ngày 01-7-2025". Read from folded text ("ngay 24 thang 9 nam 2021").
enum VietnameseDate {
    private static let patterns: [NSRegularExpression] = [
        try! NSRegularExpression(pattern: #"ngay\s*(\d{1,2})\s*thang\s*(\d{1,2})\s*,?\s*nam\s*(\d{4})"#),
        try! NSRegularExpression(pattern: #"ngay\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})"#),
    ]

    /// The first date in `folded`, ISO, with the range it was read from.
    static func first(in folded: String) -> (iso: String, range: Range<String.Index>)? {
        let ns = folded as NSString
        var best: (String, NSRange)?
        for pattern in patterns {
            for m in pattern.matches(in: folded, range: NSRange(location: 0, length: ns.length)) {
                guard let d = Int(ns.substring(with: m.range(at: 1))), let mo = Int(ns.substring(with: m.range(at: 2))),
                      let y = Int(ns.substring(with: m.range(at: 3))), let iso = iso(y, mo, d) else { continue }
                if best == nil || m.range.location < best!.1.location { best = (iso, m.range) }
                break
            }
        }
        guard let best, let range = Range(best.1, in: folded) else { return nil }
        return (best.0, range)
    }

    static func iso(_ y: Int, _ m: Int, _ d: Int) -> String? {
        guard (1900...2200).contains(y), (1...12).contains(m), d >= 1 else { return nil }
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
        guard d <= days else { return nil }
        return String(format: "%04d-%02d-%02d", y, m, d)
    }
}
