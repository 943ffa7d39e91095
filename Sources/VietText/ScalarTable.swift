// Dense per-scalar tables for the tokenizer's hot path, expanded once from the generated
// `UnicodeData` (UnicodeTables.swift). Scalars from U+2000 up are classified through the
// standard library's Unicode properties instead: they are rare in Vietnamese text.

/// What the tokenizer does with a scalar.
enum ScalarKind: UInt8 {
    /// Ends a token (spaces, punctuation, symbols, controls, private-use glyphs).
    case separator = 0
    /// A letter or digit: part of a token.
    case word = 1
    /// A combining mark: belongs to the letter before it.
    case mark = 2
    /// An invisible format character (soft hyphen, joiners, BOM) skipped inside a word.
    case ignorable = 3
}

/// Vietnamese tone marks, numbered in the order the orthography lists them.
/// The vowel-shape marks (circumflex, breve, horn) are not tones: they make other letters.
enum Tone {
    static let none: UInt8 = 0
    static let grave: UInt8 = 1  // huyền  U+0300
    static let acute: UInt8 = 2  // sắc    U+0301
    static let hook: UInt8 = 3   // hỏi    U+0309
    static let tilde: UInt8 = 4  // ngã    U+0303
    static let dot: UInt8 = 5    // nặng   U+0323

    /// The tone a combining mark carries, or `none` when the mark is not a tone mark.
    @inline(__always)
    static func of(mark: UInt32) -> UInt8 {
        switch mark {
        case 0x0300: return grave
        case 0x0301: return acute
        case 0x0309: return hook
        case 0x0303: return tilde
        case 0x0323: return dot
        default: return none
        }
    }
}

/// Hot-path facts about one scalar below `UnicodeData.limit`, packed into 64 bits:
///   bits  0-1   kind (ScalarKind)
///   bits  2-4   tone carried by the scalar's canonical decomposition (Tone)
///   bit   5     the decomposition carries a non-tone mark (â, ơ, ư, é's cousins ñ, ç ...)
///   bit   6     the scalar is upper case (its lower-case form differs)
///   bits  8-15  canonical combining class (marks only)
///   bits 16-36  lower-case form, NFC (marks: their canonical equivalent)
///   bits 37-57  folded form: lower-case base letter without any mark; đ folds to d
struct PackedScalar {
    var raw: UInt64

    @inline(__always) var kind: UInt8 { UInt8(truncatingIfNeeded: raw & 0x3) }
    @inline(__always) var tone: UInt8 { UInt8(truncatingIfNeeded: (raw >> 2) & 0x7) }
    @inline(__always) var hasModifier: Bool { raw & (1 << 5) != 0 }
    @inline(__always) var isUpper: Bool { raw & (1 << 6) != 0 }
    @inline(__always) var ccc: UInt8 { UInt8(truncatingIfNeeded: (raw >> 8) & 0xFF) }
    @inline(__always) var lower: UInt32 { UInt32(truncatingIfNeeded: (raw >> 16) & 0x1F_FFFF) }
    @inline(__always) var folded: UInt32 { UInt32(truncatingIfNeeded: (raw >> 37) & 0x1F_FFFF) }

    @inline(__always) init(raw: UInt64) { self.raw = raw }

    init(kind: UInt8, tone: UInt8, hasModifier: Bool, isUpper: Bool, ccc: UInt8, lower: UInt32, folded: UInt32) {
        raw = UInt64(kind & 0x3)
            | UInt64(tone & 0x7) << 2
            | (hasModifier ? 1 << 5 : 0)
            | (isUpper ? 1 << 6 : 0)
            | UInt64(ccc) << 8
            | UInt64(lower & 0x1F_FFFF) << 16
            | UInt64(folded & 0x1F_FFFF) << 37
    }
}

/// The canonical decomposition of a letter: cased base scalar and up to three marks.
struct Decomposition {
    var base: UInt32
    var marks: (UInt32, UInt32, UInt32)
}

/// All tables, built once per process (a `static let` is initialised lazily and thread-safely).
final class ScalarTable: Sendable {
    static let shared = ScalarTable()

    /// Indexed by scalar value, for scalars below `UnicodeData.limit`.
    let packed: [UInt64]
    /// Canonical decompositions, indexed by scalar value below the limit.
    let decompositions: [Decomposition]
    /// (base << 32 | mark) -> composite, for canonical composition of marked letters.
    let compositions: [UInt64: UInt32]

    private init() {
        let limit = Int(UnicodeData.limit)
        var kinds = [UInt8](repeating: 0, count: limit)
        let runs = UnicodeData.kindRuns
        for r in stride(from: 0, to: runs.count, by: 2) {
            let start = Int(runs[r])
            let end = r + 2 < runs.count ? Int(runs[r + 2]) : limit
            for s in start..<end { kinds[s] = UInt8(runs[r + 1]) }
        }

        var lower = (0..<limit).map { UInt32($0) }
        var decomp = (0..<limit).map { Decomposition(base: UInt32($0), marks: (0, 0, 0)) }
        let letters = UnicodeData.letters
        for r in stride(from: 0, to: letters.count, by: 6) {
            let s = Int(letters[r])
            lower[s] = letters[r + 1]
            decomp[s] = Decomposition(base: letters[r + 2], marks: (letters[r + 3], letters[r + 4], letters[r + 5]))
        }

        var ccc = [UInt8](repeating: 0, count: limit)
        let marks = UnicodeData.marks
        for r in stride(from: 0, to: marks.count, by: 3) where Int(marks[r]) < limit {
            let s = Int(marks[r])
            ccc[s] = UInt8(marks[r + 1])
            lower[s] = marks[r + 2]  // U+0340 -> U+0300, U+0341 -> U+0301, ...
        }

        var packed = [UInt64](repeating: 0, count: limit)
        for s in 0..<limit {
            let d = decomp[s]
            var tone = Tone.none
            var toneCount = 0
            var modifier = false
            for m in [d.marks.0, d.marks.1, d.marks.2] where m != 0 {
                let t = Tone.of(mark: m)
                if t != Tone.none { tone = t; toneCount += 1 } else { modifier = true }
            }
            if toneCount > 1 { modifier = true }
            let base = d.base
            var folded = Int(base) < limit ? lower[Int(base)] : base
            if folded == 0x0111 { folded = 0x64 }  // đ (D WITH STROKE) folds to d; ð (ETH) does not
            packed[s] = PackedScalar(
                kind: kinds[s], tone: tone, hasModifier: modifier, isUpper: lower[s] != UInt32(s),
                ccc: ccc[s], lower: lower[s], folded: folded
            ).raw
        }

        var compositions: [UInt64: UInt32] = [:]
        let comps = UnicodeData.compositions
        for r in stride(from: 0, to: comps.count, by: 3) {
            compositions[UInt64(comps[r]) << 32 | UInt64(comps[r + 1])] = comps[r + 2]
        }

        self.packed = packed
        self.decompositions = decomp
        self.compositions = compositions
    }

    /// Facts about any scalar; the slow path for scalars at or above the dense limit.
    func info(_ s: UInt32) -> PackedScalar {
        if s < UnicodeData.limit { return PackedScalar(raw: packed[Int(s)]) }
        return Self.infoAboveLimit(s)
    }

    static func infoAboveLimit(_ s: UInt32) -> PackedScalar {
        guard let scalar = Unicode.Scalar(s) else {
            return PackedScalar(kind: ScalarKind.separator.rawValue, tone: 0, hasModifier: false, isUpper: false, ccc: 0, lower: s, folded: s)
        }
        let p = scalar.properties
        let kind: ScalarKind
        switch p.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark:
            kind = .mark
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .decimalNumber, .letterNumber:
            kind = .word
        case .format where s == 0x2060 || s == 0xFEFF || s == 0x200C || s == 0x200D:
            kind = .ignorable
        default:
            kind = .separator
        }
        var lower = s
        if kind == .word, p.changesWhenLowercased {
            let mapped = p.lowercaseMapping.unicodeScalars
            if mapped.count == 1, let first = mapped.first { lower = first.value }
        }
        return PackedScalar(
            kind: kind.rawValue, tone: 0, hasModifier: false, isUpper: lower != s,
            ccc: UInt8(truncatingIfNeeded: p.canonicalCombiningClass.rawValue), lower: lower, folded: lower
        )
    }

    /// The canonical composite of `base` followed by `mark`, if Unicode defines one.
    @inline(__always)
    func compose(_ base: UInt32, _ mark: UInt32) -> UInt32? {
        compositions[UInt64(base) << 32 | UInt64(mark)]
    }
}
