// Plain text in UTF-8. This is the hot path of bulk import, so the common case is one
// validating pass (`String(validating:as:)`) plus a `memchr` for NUL and CR; the slow scans
// run only to explain a failure. Other encodings (UTF-16, the Vietnamese legacy ones) are
// handled by Encodings/TextDecoding.swift, which calls this first.

import Platform

enum PlainText {
    /// The sample size (from the start) used to judge the share of control characters.
    static let controlSampleSize = 64 * 1024
    /// A NUL byte this close to the start means binary (git looks at the first 8000 bytes).
    /// Further on, a stray NUL is noise in a real text (PDF-extracted gazette texts carry
    /// some): the archive keeps it, the extracted text drops it.
    static let nulSampleSize = 8000

    /// Decodes `bytes` as UTF-8 text: drops a leading BOM, turns CRLF and lone CR into LF,
    /// and rejects empty, whitespace-only, binary and non-UTF-8 input.
    static func decode(_ bytes: [UInt8]) throws(ExtractionError) -> String {
        guard !bytes.isEmpty else { throw ExtractionError(.empty, "the file is empty") }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            throw ExtractionError(.unsupportedFormat, "UTF-16 text (byte order mark \(bytes[0] == 0xFF ? "FF FE" : "FE FF")) is not supported; convert it to UTF-8")
        }
        let start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        try checkNotBinary(bytes, from: start)

        let (text, hasCR): (String?, Bool) = bytes.withUnsafeBufferPointer { buffer in
            let body = UnsafeBufferPointer(rebasing: buffer[start...])
            let hasCR = body.count > 0 && memchr(body.baseAddress!, 0x0D, body.count) != nil
            return (String(validating: body, as: UTF8.self), hasCR)
        }
        guard var text else {
            let offset = firstInvalidUTF8Offset(bytes, from: start) ?? start
            throw ExtractionError(.invalidText, "invalid UTF-8 at byte \(offset) (0x\(hex(bytes[offset])))")
        }
        if hasCR { text = normalizingNewlines(bytes[start...]) }
        if hasNUL(bytes, from: start) { text.removeAll { $0 == "\u{0}" } }
        guard TextCleanup.hasVisibleText(text) else {
            throw ExtractionError(.empty, "no text: the file contains only whitespace")
        }
        return text
    }

    /// True when a NUL byte occurs anywhere from `start` on (memchr: the common answer, no,
    /// costs one fast pass).
    static func hasNUL(_ bytes: [UInt8], from start: Int) -> Bool {
        bytes.withUnsafeBufferPointer { buffer in
            guard buffer.count > start, let base = buffer.baseAddress else { return false }
            return memchr(base + start, 0, buffer.count - start) != nil
        }
    }

    /// Rejects a NUL byte in the first `nulSampleSize` bytes and a high share of C0 control
    /// characters in the first `controlSampleSize` bytes (tab, LF, VT, FF, CR and ESC are text;
    /// so are the C0 bytes that `letterControls`, VISCII or VPS, uses for letters).
    static func checkNotBinary(_ bytes: [UInt8], from start: Int, letterControls: TextEncoding? = nil) throws(ExtractionError) {
        let nul: Int? = bytes.withUnsafeBufferPointer { buffer in
            let end = min(buffer.count, start + nulSampleSize)
            guard end > start, let base = buffer.baseAddress,
                  let hit = memchr(base + start, 0, end - start) else { return nil }
            return UnsafeRawPointer(hit) - UnsafeRawPointer(base)
        }
        if let nul { throw ExtractionError(.unsupportedFormat, "binary content (NUL byte at offset \(nul)), not text") }

        let end = min(bytes.count, start + controlSampleSize)
        guard end > start else { return }
        var controls = 0
        for i in start..<end {
            let b = bytes[i]
            if b < 0x20 {
                if let letterControls, LegacyDecoder.isLetterControl(b, in: letterControls) { continue }
                if b != 0x09 && b != 0x0A && b != 0x0B && b != 0x0C && b != 0x0D && b != 0x1B { controls += 1 }
            } else if b == 0x7F {
                controls += 1
            }
        }
        let sample = end - start
        if controls * 10 > sample {
            let percent = controls * 100 / sample
            throw ExtractionError(.unsupportedFormat, "binary content (\(percent)% control characters in the first \(sample) bytes), not text")
        }
    }

    /// Throws "invalid UTF-8 at byte N" unless `bytes[start...]` is valid UTF-8. The fast
    /// standard-library check runs first; the offset is looked for only when it fails.
    static func validateUTF8(_ bytes: [UInt8], from start: Int) throws(ExtractionError) {
        let valid = bytes.withUnsafeBufferPointer { buffer in
            String(validating: UnsafeBufferPointer(rebasing: buffer[start...]), as: UTF8.self) != nil
        }
        if !valid, let offset = firstInvalidUTF8Offset(bytes, from: start) {
            throw ExtractionError(.invalidText, "invalid UTF-8 at byte \(offset) (0x\(hex(bytes[offset])))")
        }
    }

    /// The offset of the first byte of the first ill-formed UTF-8 sequence (Unicode 15,
    /// table 3-7), or nil when all is well-formed.
    static func firstInvalidUTF8Offset(_ bytes: [UInt8], from start: Int = 0) -> Int? {
        bytes.withUnsafeBufferPointer { p -> Int? in
            let n = p.count
            var i = start
            @inline(__always) func cont(_ j: Int, _ lo: UInt8 = 0x80, _ hi: UInt8 = 0xBF) -> Bool {
                j < n && p[j] >= lo && p[j] <= hi
            }
            while i < n {
                let b = p[i]
                if b < 0x80 {
                    i += 1
                    continue
                }
                switch b {
                case 0xC2...0xDF:
                    guard cont(i + 1) else { return i }
                    i += 2
                case 0xE0:
                    guard cont(i + 1, 0xA0, 0xBF), cont(i + 2) else { return i }
                    i += 3
                case 0xE1...0xEC, 0xEE...0xEF:
                    guard cont(i + 1), cont(i + 2) else { return i }
                    i += 3
                case 0xED:
                    guard cont(i + 1, 0x80, 0x9F), cont(i + 2) else { return i }
                    i += 3
                case 0xF0:
                    guard cont(i + 1, 0x90, 0xBF), cont(i + 2), cont(i + 3) else { return i }
                    i += 4
                case 0xF1...0xF3:
                    guard cont(i + 1), cont(i + 2), cont(i + 3) else { return i }
                    i += 4
                case 0xF4:
                    guard cont(i + 1, 0x80, 0x8F), cont(i + 2), cont(i + 3) else { return i }
                    i += 4
                default:
                    return i
                }
            }
            return nil
        }
    }

    /// CRLF and lone CR become LF. `bytes` must already be known to be valid UTF-8.
    static func normalizingNewlines(_ bytes: ArraySlice<UInt8>) -> String {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count)
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let b = bytes[i]
            if b == 0x0D {
                out.append(0x0A)
                if i + 1 < bytes.endIndex, bytes[i + 1] == 0x0A { i += 1 }
            } else {
                out.append(b)
            }
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func hex(_ b: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(b >> 4)], digits[Int(b & 0xF)]])
    }
}

/// Small text helpers shared by the format extractors.
enum TextCleanup {
    /// True when `text` holds something other than whitespace and invisible format marks.
    static func hasVisibleText(_ text: String) -> Bool {
        for s in text.unicodeScalars where !isInvisible(s) { return true }
        return false
    }

    static func isInvisible(_ s: Unicode.Scalar) -> Bool {
        if s.value < 0x80 { return s == " " || s == "\t" || s == "\n" || s == "\r" || s == "\u{0B}" || s == "\u{0C}" }
        switch s.value {
        case 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF: return true
        default: return s.properties.isWhitespace
        }
    }

    /// Collapses runs of whitespace to one space and trims the ends (for titles and metadata).
    static func collapseWhitespace<S: StringProtocol>(_ text: S) -> String {
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        for s in text.unicodeScalars {
            if s.value == 0 { continue }
            if isInvisible(s) || s.value == 0xA0 {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(" ") }
                pendingSpace = false
                out.append(s)
            }
        }
        return String(out)
    }

    /// Final tidy-up for extractors that assemble text line by line: removes NUL, turns CR
    /// and form feed into line breaks, strips trailing blanks from lines, keeps at most one
    /// blank line in a row and no blank lines at the start or end.
    static func tidyLines(_ text: String) -> String {
        var lines: [Substring] = []
        var blank = 0
        let cleaned: String
        if text.unicodeScalars.contains(where: { $0.value == 0 || $0 == "\r" || $0 == "\u{0C}" }) {
            var scalars = String.UnicodeScalarView()
            var previousCR = false
            for s in text.unicodeScalars {
                switch s {
                case "\u{0}": continue
                case "\r": scalars.append("\n")
                case "\n": if !previousCR { scalars.append("\n") }
                case "\u{0C}": scalars.append("\n")
                default: scalars.append(s)
                }
                previousCR = s == "\r"
            }
            cleaned = String(scalars)
        } else {
            cleaned = text
        }
        for line in cleaned.split(separator: "\n", omittingEmptySubsequences: false) {
            var end = line.unicodeScalars.endIndex
            let scalars = line.unicodeScalars
            while end > scalars.startIndex {
                let prev = scalars.index(before: end)
                let s = scalars[prev]
                if s == " " || s == "\t" || s.value == 0xA0 { end = prev } else { break }
            }
            let trimmed = Substring(scalars[scalars.startIndex..<end])
            if trimmed.unicodeScalars.allSatisfy(isInvisible) {
                blank += 1
                continue
            }
            if !lines.isEmpty && blank > 0 { lines.append("") }
            blank = 0
            lines.append(trimmed)
        }
        return lines.joined(separator: "\n")
    }
}
