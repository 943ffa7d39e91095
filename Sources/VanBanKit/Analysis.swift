import DocumentModel
import Archive
import VietText

/// One token as `vanban analyze` reports it: what the index stores for a piece of text.
public struct AnalyzedToken: Sendable, Equatable, Codable {
    /// The token's characters exactly as they appear in the input.
    public var text: String
    /// UTF-8 byte range in the input, end exclusive.
    public var start: Int
    public var end: Int
    /// Lower case, NFC, canonical tone placement: what a query word with diacritics matches.
    public var accented: String
    /// No diacritics, đ -> d: what a query word typed without diacritics matches.
    public var folded: String
}

public enum Analysis {
    /// Tokenizes `bytes` exactly as the index does. Invalid UTF-8 bytes are skipped as separators.
    public static func analyze(_ bytes: [UInt8]) -> [AnalyzedToken] {
        var result: [AnalyzedToken] = []
        bytes.withUnsafeBufferPointer { input in
            Tokenizer.forEachToken(in: input) { token in
                let surface = UnsafeBufferPointer(rebasing: input[token.start..<token.end])
                result.append(AnalyzedToken(
                    text: String(decoding: surface, as: UTF8.self), start: token.start, end: token.end,
                    accented: String(decoding: token.accented, as: UTF8.self),
                    folded: String(decoding: token.folded, as: UTF8.self)))
            }
        }
        return result
    }

    public static func analyze(_ text: String) -> [AnalyzedToken] {
        analyze(Array(text.utf8))
    }
}
