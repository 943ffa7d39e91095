// The VanBan tokenizer: UTF-8 bytes in, tokens out, in one pass, without allocating per token.
//
// A token is a run of word characters (letters and digits, any script). Combining marks belong
// to the letter before them, so a token never ends between a base letter and its marks, and a
// mark with no letter before it (a tone mark cut off by a space, "thi ̣trường") is dropped.
// Separators are everything else: spaces, punctuation, symbols, control characters,
// private-use glyphs and invalid UTF-8 bytes. "45/2010/NĐ-CP" gives 45, 2010, nđ, cp.
//
// For each token the tokenizer produces:
//   - `start..<end`: the byte range of the token's characters in the ORIGINAL input, so
//     highlights and snippets mark what the user stored, even when it was NFD;
//   - `accented`: lower case, NFC, canonical tone placement (see TonePlacement.swift),
//     duplicate marks dropped ("thị̣" -> "thị");
//   - `folded`: lower case, every mark removed, đ -> d ("Thanh Hoá" -> "thanh", "hoa").
//
// Invariants the buffers rely on: a token's accented output never exceeds
// `maxTokenBytes + maxLetterBytes`, because a token is cut (at a letter boundary) once its
// output reaches `maxTokenBytes`, and one letter with its marks writes at most
// `maxLetterBytes`. The folded output is never longer than the accented one.

/// One token, copied out of the tokenizer's buffers.
public struct Token: Sendable, Hashable, CustomStringConvertible {
    /// Byte offset of the token's first byte in the original input.
    public var start: Int
    /// Byte offset just past the token's last byte (its last letter's last mark included).
    public var end: Int
    /// Lower case, NFC, canonical tone placement.
    public var accented: String
    /// Lower case, no diacritics, đ -> d.
    public var folded: String

    public init(start: Int, end: Int, accented: String, folded: String) {
        self.start = start
        self.end = end
        self.accented = accented
        self.folded = folded
    }

    public var description: String { "\(accented)|\(folded)@\(start)..<\(end)" }
}

/// A token as the tokenizer produces it: views into reusable buffers, valid only during the
/// callback that receives it.
public struct TokenView {
    public let start: Int
    public let end: Int
    public let accented: UnsafeBufferPointer<UInt8>
    public let folded: UnsafeBufferPointer<UInt8>
    /// True when the accented form differs from the folded one (the word has diacritics or
    /// đ). Tracked while scanning, so asking costs nothing.
    public let hasDiacritics: Bool

    public func copy() -> Token {
        Token(start: start, end: end, accented: String(decoding: accented, as: UTF8.self),
              folded: String(decoding: folded, as: UTF8.self))
    }
}

public enum Tokenizer {
    /// Tokens are cut at this many bytes of accented output (Lucene cuts at 255 characters).
    public static let maxTokenBytes = 255
    /// Most marks kept on one letter; more are ignored (they stay inside the byte range).
    static let maxMarksPerLetter = 8
    /// A letter (4 bytes) with its marks (4 bytes each).
    static let maxLetterBytes = 4 * (1 + maxMarksPerLetter)

    /// Calls `body` with every token of `bytes`, in order.
    public static func forEachToken(
        in bytes: UnsafeBufferPointer<UInt8>, _ body: (TokenView) throws -> Void
    ) rethrows {
        try scan(bytes, preserveCase: false, body)
    }

    /// Calls `body` with every token of `text`, in order. Offsets are UTF-8 byte offsets.
    public static func forEachToken(in text: String, _ body: (TokenView) throws -> Void) rethrows {
        var text = text
        try text.withUTF8 { try scan($0, preserveCase: false, body) }
    }

    /// All tokens of `text`, copied out.
    public static func tokens(in text: String) -> [Token] {
        var result: [Token] = []
        forEachToken(in: text) { result.append($0.copy()) }
        return result
    }

    /// All tokens of `bytes` (which may be invalid UTF-8), copied out.
    public static func tokens(in bytes: [UInt8]) -> [Token] {
        var result: [Token] = []
        bytes.withUnsafeBufferPointer { buffer in
            forEachToken(in: buffer) { result.append($0.copy()) }
        }
        return result
    }

    /// `preserveCase` keeps each letter's case in the accented output (for `VietText.normalize`).
    static func scan(
        _ bytes: UnsafeBufferPointer<UInt8>, preserveCase: Bool, _ body: (TokenView) throws -> Void
    ) rethrows {
        let capacity = maxTokenBytes + maxLetterBytes + 16
        let table = ScalarTable.shared
        try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 2 * capacity) { text in
            try withUnsafeTemporaryAllocation(of: UInt32.self, capacity: maxMarksPerLetter) { marks in
                // A letter's own marks (up to 3) and those that followed it, while composing.
                try withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 3 + maxMarksPerLetter) { work in
                    try table.packed.withUnsafeBufferPointer { packed in
                        if preserveCase {
                            var scanner = Scanner<PreserveCase>(
                                table: table, accented: text.baseAddress!, folded: text.baseAddress! + capacity,
                                letterMarks: marks.baseAddress!, markWork: work.baseAddress!)
                            try scanner.run(bytes, packed: packed, body)
                        } else {
                            var scanner = Scanner<LowerCase>(
                                table: table, accented: text.baseAddress!, folded: text.baseAddress! + capacity,
                                letterMarks: marks.baseAddress!, markWork: work.baseAddress!)
                            try scanner.run(bytes, packed: packed, body)
                        }
                    }
                }
            }
        }
    }
}

/// Whether the accented output keeps each letter's case. A type parameter rather than a
/// flag, so the per-byte loop is compiled once for each mode without a branch.
private protocol CaseMode { static var preserve: Bool { get } }
private enum LowerCase: CaseMode { static var preserve: Bool { false } }
private enum PreserveCase: CaseMode { static var preserve: Bool { true } }

/// The state of one tokenizing pass. Lives on the stack of `Tokenizer.scan`.
///
/// Per letter, the hot path only appends to the two output buffers. Everything the rarer
/// steps need is recovered from the accented buffer when they run: the current letter is
/// its last scalar, and the tone rule decodes the token's last three letters from it.
private struct Scanner<Case: CaseMode> {
    let table: ScalarTable
    let accented: UnsafeMutablePointer<UInt8>
    let folded: UnsafeMutablePointer<UInt8>
    var preserveCase: Bool { Case.preserve }

    var accentedCount = 0
    var foldedCount = 0
    var inToken = false
    var tokenStart = 0
    var tokenEnd = 0
    /// Some letter of the token so far has an accented form other than its folded one.
    var differs = false

    /// Combining marks that followed the current letter (`maxMarksPerLetter` at most).
    let letterMarks: UnsafeMutablePointer<UInt32>
    var letterMarkCount = 0
    /// Room for `finishMarkedLetter` to sort and compose a letter's marks.
    let markWork: UnsafeMutablePointer<UInt64>

    init(table: ScalarTable, accented: UnsafeMutablePointer<UInt8>, folded: UnsafeMutablePointer<UInt8>,
         letterMarks: UnsafeMutablePointer<UInt32>, markWork: UnsafeMutablePointer<UInt64>) {
        self.table = table
        self.accented = accented
        self.folded = folded
        self.letterMarks = letterMarks
        self.markWork = markWork
    }

    mutating func run(
        _ bytes: UnsafeBufferPointer<UInt8>, packed: UnsafeBufferPointer<UInt64>,
        _ body: (TokenView) throws -> Void
    ) rethrows {
        let n = bytes.count
        guard let p = bytes.baseAddress, n > 0 else { return }
        var i = 0
        while i < n {
            let b0 = p[i]
            // ASCII fast path: letters, digits and separators, one byte each.
            if b0 < 0x80 {
                var info = PackedScalar(raw: packed[Int(b0)])
                if info.kind == ScalarKind.word.rawValue {
                    try beginLetter(at: i, body)
                    // The whole run of ASCII letters and digits: nothing between them can be a
                    // mark, so only the token length needs checking. Folded == lower case here.
                    var b = b0
                    repeat {
                        let lower = UInt8(truncatingIfNeeded: info.folded)
                        accented[accentedCount] = preserveCase ? b : lower
                        folded[foldedCount] = lower
                        accentedCount += 1
                        foldedCount += 1
                        i += 1
                        guard i < n, accentedCount < Tokenizer.maxTokenBytes else { break }
                        b = p[i]
                        info = PackedScalar(raw: packed[Int(b)])
                    } while b < 0x80 && info.kind == ScalarKind.word.rawValue
                    tokenEnd = i
                    continue
                } else if inToken {
                    try emit(body)
                }
                i += 1
                continue
            }

            // Multi-byte sequence: decode one scalar, strictly (no overlongs, no surrogates).
            let (scalar, length) = decode(p, i, n)
            if length == 0 {  // invalid UTF-8: one byte is skipped as a separator
                if inToken { try emit(body) }
                i += 1
                continue
            }
            let info = scalar < UnicodeData.limit
                ? PackedScalar(raw: packed[Int(scalar)]) : ScalarTable.infoAboveLimit(scalar)
            switch info.kind {
            case ScalarKind.word.rawValue:
                try beginLetter(at: i, body)
                appendUTF8(preserveCase ? scalar : info.lower, to: accented, count: &accentedCount)
                appendUTF8(info.folded, to: folded, count: &foldedCount)
                if info.lower != info.folded { differs = true }
                tokenEnd = i + length
            case ScalarKind.mark.rawValue:
                if inToken {
                    differs = true  // a letter carrying a mark always differs from its folded form
                    if letterMarkCount < Tokenizer.maxMarksPerLetter {
                        letterMarks[letterMarkCount] = info.lower  // the mark's canonical equivalent
                        letterMarkCount += 1
                    }
                    tokenEnd = i + length
                }
            case ScalarKind.ignorable.rawValue:
                break
            default:
                if inToken { try emit(body) }
            }
            i += length
        }
        if inToken { try emit(body) }
    }

    /// Prepares for a letter starting at byte `i`: finishes the previous letter's marks,
    /// opens a token, or cuts an over-long one.
    @inline(__always)
    mutating func beginLetter(at i: Int, _ body: (TokenView) throws -> Void) rethrows {
        if letterMarkCount > 0 { finishMarkedLetter() }
        if !inToken {
            inToken = true
            tokenStart = i
        } else if accentedCount >= Tokenizer.maxTokenBytes {
            try emit(body)
            inToken = true
            tokenStart = i
        }
    }

    /// The current letter was followed by combining marks (NFD input, or stray marks):
    /// rewrite its accented output as the canonical composition of letter + all marks.
    mutating func finishMarkedLetter() {
        let (letterScalar, letterStart) = lastScalar(before: accentedCount)
        let decomposition = letterScalar < UnicodeData.limit
            ? table.decompositions[Int(letterScalar)] : Decomposition(base: letterScalar, marks: (0, 0, 0))
        var base = decomposition.base
        if !preserveCase { base = table.info(base).lower }

        // Marks of the precomposed letter, then the ones that followed it, each packed with its
        // combining class (ccc << 32 | mark) into the scanner's work buffer: no allocation, as
        // in NFD text this runs for most letters.
        let marks = markWork
        var count = 0
        func add(_ m: UInt32) {
            guard m != 0 else { return }
            marks[count] = UInt64(table.info(m).ccc) << 32 | UInt64(m)
            count += 1
        }
        add(decomposition.marks.0)
        add(decomposition.marks.1)
        add(decomposition.marks.2)
        for k in 0..<letterMarkCount { add(letterMarks[k]) }
        letterMarkCount = 0
        @inline(__always) func ccc(_ entry: UInt64) -> UInt64 { entry >> 32 }
        @inline(__always) func mark(_ entry: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: entry) }

        // Canonical ordering: a stable sort by combining class among non-zero classes.
        if count > 1 {
            for j in 1..<count {
                var k = j
                while k > 0, ccc(marks[k]) != 0, ccc(marks[k - 1]) > ccc(marks[k]) {
                    (marks[k], marks[k - 1]) = (marks[k - 1], marks[k])
                    k -= 1
                }
            }
        }
        // Canonical composition onto the base; marks that do not compose stay combining,
        // kept in place at the front of the buffer. A mark typed twice in a row is a typing
        // error ("thị̣"): the repeat is dropped.
        var leftovers = 0
        for k in 0..<count {
            let entry = marks[k]
            if k > 0 && mark(marks[k - 1]) == mark(entry) { continue }
            let blocked = leftovers > 0 && (ccc(marks[leftovers - 1]) == 0 || ccc(marks[leftovers - 1]) >= ccc(entry))
            if !blocked, let composite = table.compose(base, mark(entry)) {
                base = composite
            } else {
                marks[leftovers] = entry
                leftovers += 1
            }
        }

        accentedCount = letterStart
        appendUTF8(base, to: accented, count: &accentedCount)
        for k in 0..<leftovers { appendUTF8(UInt32(truncatingIfNeeded: marks[k]), to: accented, count: &accentedCount) }
    }

    /// Ends the current token: applies the tone-placement rule and hands the token to `body`.
    @inline(__always)
    mutating func emit(_ body: (TokenView) throws -> Void) rethrows {
        if letterMarkCount > 0 { finishMarkedLetter() }
        // Cheap test first, on the folded form: the tone rule only rewrites words ending in
        // oa, oe or uy whose last letter carries a tone (so is not ASCII). Most stop here.
        if foldedCount >= 2, accented[accentedCount - 1] >= 0x80,
           folded[foldedCount - 2] == 0x6F || folded[foldedCount - 2] == 0x75 {  // o, u
            canonicaliseTonePlacement()
        }
        let view = TokenView(
            start: tokenStart, end: tokenEnd,
            accented: UnsafeBufferPointer(start: accented, count: accentedCount),
            folded: UnsafeBufferPointer(start: folded, count: foldedCount),
            hasDiacritics: differs)
        inToken = false
        differs = false
        accentedCount = 0
        foldedCount = 0
        try body(view)
    }

    /// Applies TonePlacement's rule to the token's last letters, read back from the output.
    mutating func canonicaliseTonePlacement() {
        switch (folded[foldedCount - 2], folded[foldedCount - 1]) {
        case (0x6F, 0x61), (0x6F, 0x65), (0x75, 0x79): break  // oa, oe, uy
        default: return
        }
        let (s2, start2) = lastScalar(before: accentedCount)
        guard start2 > 0 else { return }
        let (s1, start1) = lastScalar(before: start2)
        let second = letterFacts(s2, outputStart: start2)
        let first = letterFacts(s1, outputStart: start1)
        let before = start1 > 0 ? letterFacts(lastScalar(before: start1).scalar, outputStart: 0) : nil
        guard let tone = TonePlacement.toneToMove(before: before, first: first, second: second) else { return }
        accentedCount = start1
        appendUTF8(TonePlacement.tonedVowel(first.folded, tone: tone, upper: first.isUpper),
                   to: accented, count: &accentedCount)
        appendUTF8(second.isUpper ? second.folded - 0x20 : second.folded, to: accented, count: &accentedCount)
    }

    /// What the tone rule needs to know of one scalar of the accented output. A combining
    /// mark left uncomposed counts as a modifier, so the rule leaves such words alone.
    func letterFacts(_ scalar: UInt32, outputStart: Int) -> TonePlacement.Letter {
        let info = table.info(scalar)
        return TonePlacement.Letter(
            outputStart: outputStart, folded: info.folded, tone: info.tone,
            hasModifier: info.hasModifier || info.kind == ScalarKind.mark.rawValue, isUpper: info.isUpper)
    }

    /// The scalar that ends at `end` in the accented buffer, and where it starts.
    func lastScalar(before end: Int) -> (scalar: UInt32, start: Int) {
        var start = end - 1
        while start > 0 && accented[start] & 0xC0 == 0x80 { start -= 1 }
        var scalar = UInt32(accented[start])
        let length = end - start
        if length > 1 {
            scalar &= 0xFF >> (length + 1)
            for k in 1..<length { scalar = scalar << 6 | UInt32(accented[start + k] & 0x3F) }
        }
        return (scalar, start)
    }
}

/// Decodes one multi-byte UTF-8 scalar at `i`. Returns length 0 for an invalid sequence.
@inline(__always)
private func decode(_ p: UnsafePointer<UInt8>, _ i: Int, _ n: Int) -> (UInt32, Int) {
    let b0 = UInt32(p[i])
    @inline(__always) func cont(_ k: Int) -> UInt32? {
        guard i + k < n else { return nil }
        let b = p[i + k]
        return b & 0xC0 == 0x80 ? UInt32(b & 0x3F) : nil
    }
    switch b0 {
    case 0xC2...0xDF:
        guard let b1 = cont(1) else { return (0, 0) }
        return ((b0 & 0x1F) << 6 | b1, 2)
    case 0xE0...0xEF:
        guard let b1 = cont(1), let b2 = cont(2) else { return (0, 0) }
        let s = (b0 & 0x0F) << 12 | b1 << 6 | b2
        if s < 0x800 || (0xD800...0xDFFF).contains(s) { return (0, 0) }
        return (s, 3)
    case 0xF0...0xF4:
        guard let b1 = cont(1), let b2 = cont(2), let b3 = cont(3) else { return (0, 0) }
        let s = (b0 & 0x07) << 18 | b1 << 12 | b2 << 6 | b3
        if s < 0x10000 || s > 0x10FFFF { return (0, 0) }
        return (s, 4)
    default:
        return (0, 0)
    }
}

@inline(__always)
func appendUTF8(_ s: UInt32, to buffer: UnsafeMutablePointer<UInt8>, count: inout Int) {
    if s < 0x80 {
        buffer[count] = UInt8(truncatingIfNeeded: s); count += 1
    } else if s < 0x800 {
        buffer[count] = UInt8(truncatingIfNeeded: 0xC0 | s >> 6)
        buffer[count + 1] = UInt8(truncatingIfNeeded: 0x80 | s & 0x3F)
        count += 2
    } else if s < 0x10000 {
        buffer[count] = UInt8(truncatingIfNeeded: 0xE0 | s >> 12)
        buffer[count + 1] = UInt8(truncatingIfNeeded: 0x80 | (s >> 6) & 0x3F)
        buffer[count + 2] = UInt8(truncatingIfNeeded: 0x80 | s & 0x3F)
        count += 3
    } else {
        buffer[count] = UInt8(truncatingIfNeeded: 0xF0 | s >> 18)
        buffer[count + 1] = UInt8(truncatingIfNeeded: 0x80 | (s >> 12) & 0x3F)
        buffer[count + 2] = UInt8(truncatingIfNeeded: 0x80 | (s >> 6) & 0x3F)
        buffer[count + 3] = UInt8(truncatingIfNeeded: 0x80 | s & 0x3F)
        count += 4
    }
}
