// Bytes of a text document -> Unicode, for plain text, Markdown and HTML alike.
//
// UTF-8 is the rule and the fast path (PlainText.decode, unchanged). Only when the bytes are
// not valid UTF-8, or another encoding is declared (--encoding, a charset parameter, an HTML
// page's own declaration), is anything converted: a declared encoding is used as it is; an
// undeclared one is detected (EncodingDetector) and used only with enough confidence, else
// the document is refused with the UTF-8 error and what the detector found. Valid UTF-8 is
// never converted, so detection cannot misfire on Unicode text.

enum TextDecoding {
    struct Decoded {
        var text: String
        var conversion: TextConversion?
    }

    /// Decodes a text document. `declared` wins over detection; `declared == .utf8` means
    /// strict UTF-8 (today's rule).
    static func decode(_ bytes: [UInt8], declared: TextEncoding?) throws(ExtractionError) -> Decoded {
        guard !bytes.isEmpty else { throw ExtractionError(.empty, "the file is empty") }
        if let declared, declared != .utf8 {
            return try convert(bytes, as: declared, confidence: nil)
        }
        // A UTF-16 byte order mark is as good as a declaration.
        if declared == nil, bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            return try convert(bytes, as: bytes[0] == 0xFF ? .utf16LE : .utf16BE, confidence: 1)
        }
        do {
            return Decoded(text: try PlainText.decode(bytes), conversion: nil)
        } catch let utf8Error {
            guard declared == nil else { throw utf8Error }
            switch utf8Error.kind {
            case .invalidText, .unsupportedFormat:
                break
            default:
                throw utf8Error
            }
            if let guess = EncodingDetector.utf16ByNULPattern(bytes, from: 0) {
                return try convert(bytes, as: guess.encoding, confidence: guess.confidence)
            }
            // Binary (NUL near the start, many controls) stays refused as binary.
            guard utf8Error.kind == .invalidText else { throw utf8Error }
            let (best, all) = EncodingDetector.guessLegacy(bytes, from: 0)
            guard let best else {
                if all.isEmpty {
                    throw ExtractionError(.invalidText, "\(utf8Error.reason); the rest of the file is UTF-8, so it looks damaged rather than in another encoding")
                }
                let found = all.first.map { "; the best legacy reading, \($0.encoding.displayName), reaches only \(percent($0.confidence)) confidence" } ?? ""
                throw ExtractionError(.invalidText, "\(utf8Error.reason), and the bytes do not read as a Vietnamese legacy encoding (TCVN3, VNI, VISCII, VPS, Windows-1258) with confidence\(found); if you know the encoding, give it with --encoding (one of: \(TextEncoding.canonicalNames))")
            }
            return try convert(bytes, as: best.encoding, confidence: best.confidence)
        }
    }

    static func convert(_ bytes: [UInt8], as encoding: TextEncoding, confidence: Double?) throws(ExtractionError) -> Decoded {
        if encoding == .utf8 { return Decoded(text: try PlainText.decode(bytes), conversion: nil) }
        var start = 0
        if encoding == .utf16LE, bytes.starts(with: [0xFF, 0xFE]) { start = 2 }
        if encoding == .utf16BE, bytes.starts(with: [0xFE, 0xFF]) { start = 2 }
        if encoding != .utf16LE && encoding != .utf16BE {
            // The legacy encodings are ASCII-based: binary content stays refused.
            try PlainText.checkNotBinary(bytes, from: 0, letterControls: encoding == .viscii || encoding == .vps ? encoding : nil)
        }
        let decoded = LegacyDecoder.decode(bytes[start...], as: encoding)
        var text = decoded.text
        if text.unicodeScalars.first == "\u{FEFF}" { text.unicodeScalars.removeFirst() }
        guard TextCleanup.hasVisibleText(text) else {
            throw ExtractionError(.empty, "no text: the file contains only whitespace")
        }
        if encoding == .utf16LE || encoding == .utf16BE, decoded.strayBytes > 0 {
            throw ExtractionError(.invalidText, "invalid \(encoding.displayName): \(decoded.strayBytes) unpaired surrogate or odd byte(s)")
        }
        return Decoded(text: text, conversion: TextConversion(encoding: encoding, confidence: confidence,
                                                              caseMayBeLost: decoded.caselessLetters > 0))
    }

    static func percent(_ x: Double) -> String { "\(Int((x * 100).rounded()))%" }

    /// The encoding a charset label names, for labels VanBan decodes itself; nil for others.
    static func encoding(forCharset label: String?) -> TextEncoding? {
        label.flatMap(TextEncoding.init(label:))
    }
}
