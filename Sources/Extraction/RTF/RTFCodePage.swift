// The Windows code pages an RTF's \'xx bytes (and raw 8-bit bytes) are written in, outside
// the Vietnamese fonts: the single-byte pages (1250-1257, 874, 437, 850, Mac Roman) and the
// double-byte East Asian ones (932 Shift-JIS, 936 GBK, 949 Korean, 950 Big5), where a lead
// byte and the byte after it (an \'xx or a plain ASCII character: Word writes "\'83e" for
// テ) make one character.
//
// 1252 and 1258 come from VanBan's own generated tables (the Vietnamese one composes tones
// and is counted as a conversion by the reader); every other page is decoded by the C
// library's iconv, one converter per page, opened on first use. A page iconv does not know
// is read as 1252, the RTF default, and a byte or pair that is not a character of its page
// becomes U+FFFD.

import Foundation

/// One code page's decoder. Invariant: `lead` is set only between a lead byte of a
/// double-byte page and the next byte of the same page.
final class RTFCodePage {
    let codePage: Int
    private let converter: iconv_t?
    private let leadBytes: ClosedRange<UInt8>?
    private let secondLeadBytes: ClosedRange<UInt8>?
    private var singles: [UInt32?] = Array(repeating: nil, count: 128)
    private var pairs: [UInt16: UInt32] = [:]
    private var lead: UInt8?

    init(codePage: Int) {
        self.codePage = codePage
        switch codePage {
        case 932: leadBytes = 0x81...0x9F; secondLeadBytes = 0xE0...0xFC
        case 936, 949, 950: leadBytes = 0x81...0xFE; secondLeadBytes = nil
        default: leadBytes = nil; secondLeadBytes = nil
        }
        let name = codePage == 10000 ? "MACINTOSH" : "CP\(codePage)"
        let cd = (codePage == 1252 || codePage == 1258) ? iconv_t(bitPattern: -1) : iconv_open("UTF-32LE", name)
        converter = cd == iconv_t(bitPattern: -1) ? nil : cd
    }

    deinit { if let converter { iconv_close(converter) } }

    /// Does `b` open a double-byte character of this page?
    func isLeadByte(_ b: UInt8) -> Bool {
        leadBytes?.contains(b) == true || secondLeadBytes?.contains(b) == true
    }

    /// The character `b` completes, or nil when `b` is a lead byte that waits for the next one.
    func decode(_ b: UInt8) -> UInt32? {
        if let first = lead {
            lead = nil
            let key = UInt16(first) << 8 | UInt16(b)
            if let known = pairs[key] { return known }
            let value = convert([first, b]) ?? 0xFFFD
            pairs[key] = value
            return value
        }
        if b < 0x80 { return UInt32(b) }
        if isLeadByte(b) {
            lead = b
            return nil
        }
        if let known = singles[Int(b - 0x80)] { return known }
        let value: UInt32
        switch codePage {
        case 1258: value = EncodingTables.windows1258[Int(b)]
        case 1252: value = EncodingTables.windows1252[Int(b)]
        default: value = converter == nil ? EncodingTables.windows1252[Int(b)] : (convert([b]) ?? 0xFFFD)
        }
        let shown = value == EncodingTables.unmapped ? 0xFFFD : value
        singles[Int(b - 0x80)] = shown
        return shown
    }

    /// A lead byte left waiting when the text ends or the font changes is not a character.
    func flush() -> UInt32? {
        guard lead != nil else { return nil }
        lead = nil
        return 0xFFFD
    }

    /// One character's bytes through iconv: nil unless they make exactly one scalar.
    private func convert(_ bytes: [UInt8]) -> UInt32? {
        guard let converter else { return nil }
        _ = iconv(converter, nil, nil, nil, nil) // back to the initial shift state
        var input = bytes.map { CChar(bitPattern: $0) }
        var output = [UInt8](repeating: 0, count: 16)
        let produced: Int = input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                var inPointer: UnsafeMutablePointer<CChar>? = inBuffer.baseAddress
                var inLeft = inBuffer.count
                var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuffer.baseAddress!)
                    .assumingMemoryBound(to: CChar.self)
                var outLeft = outBuffer.count
                let result = iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft)
                if result == -1 || inLeft != 0 { return -1 }
                // Pages with combining marks (1255, 1258) hold a base letter back until they
                // know what follows: the end of the input releases it.
                if iconv(converter, nil, nil, &outPointer, &outLeft) == -1 { return -1 }
                return outBuffer.count - outLeft
            }
        }
        guard produced == 4 else { return nil }
        return UInt32(output[0]) | UInt32(output[1]) << 8 | UInt32(output[2]) << 16 | UInt32(output[3]) << 24
    }

    /// The code page an RTF font's \fcharset names, if it names one.
    static func forCharset(_ charset: Int) -> Int? {
        switch charset {
        case 77: return 10000
        case 128: return 932
        case 129: return 949
        case 134: return 936
        case 136: return 950
        case 161: return 1253
        case 162: return 1254
        case 163: return 1258
        case 177: return 1255
        case 178: return 1256
        case 186: return 1257
        case 204: return 1251
        case 222: return 874
        case 238: return 1250
        case 255: return 437
        default: return nil // 0 ANSI, 1 default, 2 symbol: the document's code page
        }
    }
}
