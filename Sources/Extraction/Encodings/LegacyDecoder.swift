// Bytes of one legacy encoding -> Unicode scalars, then NFC. Linear in the input; runs only
// for text that is not UTF-8 (or was declared to be something else), never on the UTF-8 hot
// path. Line breaks are normalised (CRLF, CR -> LF) and NUL dropped, as for UTF-8 text.

import Foundation

enum LegacyDecoder {
    struct Decoded {
        var text: String
        /// Bytes the encoding leaves undefined, and (VNI) mark bytes with no letter before
        /// them: evidence that the guess is wrong.
        var strayBytes: Int
        /// Letters whose case the bytes do not carry (TCVN3).
        var caselessLetters: Int
    }

    static func decode(_ bytes: ArraySlice<UInt8>, as encoding: TextEncoding) -> Decoded {
        var out = ScalarOutput(capacity: bytes.count)
        var stray = 0
        var caseless = 0
        switch encoding {
        case .utf8:
            return Decoded(text: PlainText.normalizingNewlines(bytes), strayBytes: 0, caselessLetters: 0)
        case .utf16LE, .utf16BE:
            return decodeUTF16(bytes, bigEndian: encoding == .utf16BE)
        case .tcvn3:
            var flags: [Bool] = []
            flags.reserveCapacity(bytes.count)
            for b in bytes {
                let s = EncodingTables.tcvn3[Int(b)]
                if out.append(s) { flags.append(EncodingTables.tcvn3Caseless[Int(b)]) }
            }
            caseless = TCVN3Case.restore(&out.scalars, caseless: flags)
        case .viscii:
            for b in bytes { out.append(EncodingTables.viscii[Int(b)]) }
        case .vps:
            for b in bytes { out.append(EncodingTables.vps[Int(b)]) }
        case .windows1258:
            for b in bytes {
                let s = EncodingTables.windows1258[Int(b)]
                if s == EncodingTables.unmapped { stray += 1; out.append(0xFFFD) } else { out.append(s) }
            }
        case .vni:
            for b in bytes {
                let marks = EncodingTables.vniMarks[Int(b)]
                if marks != 0, let last = out.scalars.last, takesVNIMark(last, upperMark: EncodingTables.vniUpperMark[Int(b)]) {
                    out.append(marks >> 16)
                    if marks & 0xFFFF != 0 { out.append(marks & 0xFFFF) }
                } else {
                    if marks != 0 { stray += 1 }
                    out.append(EncodingTables.vniSingle[Int(b)])
                }
            }
        case .viqr:
            return Decoded(text: VIQR.decode(bytes), strayBytes: 0, caselessLetters: 0)
        }
        return Decoded(text: out.string(), strayBytes: stray, caselessLetters: caseless)
    }

    /// True for a C0 byte that VISCII or VPS uses for a letter.
    static func isLetterControl(_ b: UInt8, in encoding: TextEncoding) -> Bool {
        switch encoding {
        case .viscii: return EncodingTables.viscii[Int(b)] > 0x7F
        case .vps: return EncodingTables.vps[Int(b)] > 0x7F
        default: return false
        }
    }

    /// A VNI mark byte belongs to the letter before it: a vowel (ASCII, or o-horn/u-horn), of
    /// the mark's case.
    static func takesVNIMark(_ s: Unicode.Scalar, upperMark: Bool) -> Bool {
        switch s.value {
        case 0x61, 0x65, 0x69, 0x6F, 0x75, 0x79, 0x1A1, 0x1B0: return !upperMark
        case 0x41, 0x45, 0x49, 0x4F, 0x55, 0x59, 0x1A0, 0x1AF: return upperMark
        default: return false
        }
    }

    static func decodeUTF16(_ bytes: ArraySlice<UInt8>, bigEndian: Bool) -> Decoded {
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2)
        var i = bytes.startIndex
        while i + 1 < bytes.endIndex {
            let a = UInt16(bytes[i]), b = UInt16(bytes[i + 1])
            units.append(bigEndian ? a << 8 | b : b << 8 | a)
            i += 2
        }
        var out = ScalarOutput(capacity: units.count)
        var stray = bytes.count % 2
        for result in UnicodeDecodingSequence(units) {
            if let s = result { out.append(s.value) } else { stray += 1; out.append(0xFFFD) }
        }
        return Decoded(text: out.string(), strayBytes: stray, caselessLetters: 0)
    }
}

/// UTF-16 code units -> scalars, nil for an unpaired surrogate.
struct UnicodeDecodingSequence: Sequence, IteratorProtocol {
    var iterator: IndexingIterator<[UInt16]>
    var decoder = UTF16()
    init(_ units: [UInt16]) { iterator = units.makeIterator() }
    mutating func next() -> Unicode.Scalar?? {
        switch decoder.decode(&iterator) {
        case .scalarValue(let s): return .some(s)
        case .emptyInput: return nil
        case .error: return .some(nil)
        }
    }
}

/// Scalars as they are decoded: CRLF and CR become LF, NUL is dropped; NFC at the end.
struct ScalarOutput {
    var scalars: [Unicode.Scalar] = []
    private var previousCR = false

    init(capacity: Int) { scalars.reserveCapacity(capacity) }

    /// Appends `value` (U+FFFD for a value that is no scalar); false when nothing was appended.
    @discardableResult
    mutating func append(_ value: UInt32) -> Bool {
        defer { previousCR = value == 0x0D }
        if value == 0 { return false }
        if value == 0x0A && previousCR { return false }
        let v = value == 0x0D ? 0x0A : value
        scalars.append(Unicode.Scalar(v) ?? "\u{FFFD}")
        return true
    }

    func string() -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view).precomposedStringWithCanonicalMapping
    }
}

extension ScalarOutput {
    /// NFC of a few scalars (titles, properties).
    static func compose(_ scalars: [Unicode.Scalar]) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view).precomposedStringWithCanonicalMapping
    }
}
