// The encodings a text may arrive in besides UTF-8, with the names users and documents give
// them. VanBan converts them to NFC Unicode on extraction; the archive keeps the original bytes.

/// A character encoding VanBan can decode.
package enum TextEncoding: String, Sendable, CaseIterable {
    case utf8 = "utf-8"
    case utf16LE = "utf-16le"
    case utf16BE = "utf-16be"
    /// TCVN 5712:1993 VN3, the ABC fonts (.VnTime, .VnTimeH).
    case tcvn3
    /// The VNI fonts (VNI-Times): base letter + mark byte.
    case vni = "vni-windows"
    /// RFC 1456.
    case viscii
    case vps
    /// Windows-1258: precomposed letters + combining tones.
    case windows1258 = "windows-1258"
    /// RFC 1456 "Vie^.t Nam": plain ASCII, so only ever used when asked for.
    case viqr

    /// The legacy byte encodings the detector considers, most common in official archives
    /// first (the order breaks ties).
    static let detectable: [TextEncoding] = [.tcvn3, .vni, .windows1258, .viscii, .vps]

    /// How a person calls it.
    public var displayName: String {
        switch self {
        case .utf8: return "UTF-8"
        case .utf16LE: return "UTF-16LE"
        case .utf16BE: return "UTF-16BE"
        case .tcvn3: return "TCVN3 (ABC)"
        case .vni: return "VNI-Windows"
        case .viscii: return "VISCII"
        case .vps: return "VPS"
        case .windows1258: return "Windows-1258"
        case .viqr: return "VIQR"
        }
    }

    /// The encoding a label names (case and spacing ignored): the canonical names above and
    /// the usual aliases ("abc", "tcvn", "vni", "cp1258", "csviscii", "utf16le", ...).
    public init?(label raw: String) {
        let label = raw.trimmingASCIIWhitespace().lowercased().replacingOccurrences(of: "_", with: "-")
        switch label {
        case "utf-8", "utf8", "unicode-1-1-utf-8": self = .utf8
        case "utf-16le", "utf16le", "utf-16", "utf16", "unicode", "ucs-2": self = .utf16LE
        case "utf-16be", "utf16be": self = .utf16BE
        case "tcvn3", "tcvn-3", "tcvn", "abc", "vn3", "tcvn5712-3", "tcvn-5712", "tcvn5712-1", "x-viet-tcvn5712", "vntime": self = .tcvn3
        case "vni-windows", "vni", "vniwin", "vni-win", "x-viet-vni": self = .vni
        case "viscii", "csviscii", "viscii1.1-1": self = .viscii
        case "vps", "x-viet-vps": self = .vps
        case "windows-1258", "cp1258", "x-cp1258", "win-1258", "ms-1258": self = .windows1258
        case "viqr", "csviqr": self = .viqr
        default: return nil
        }
    }

    /// Every name `init(label:)` takes as canonical, for messages.
    static var canonicalNames: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

/// How the extracted text was obtained from bytes that were not UTF-8.
package struct TextConversion: Sendable, Equatable {
    public var encoding: TextEncoding
    /// The detector's confidence (0...1), or nil when the encoding was declared (--encoding,
    /// a charset parameter, an RTF font or code page).
    public var confidence: Double?
    /// The bytes do not say the case of some letters (TCVN3 writes a capital with tone as the
    /// small letter's byte in the capital font): capitals were restored from context only.
    public var caseMayBeLost: Bool

    public init(encoding: TextEncoding, confidence: Double?, caseMayBeLost: Bool = false) {
        self.encoding = encoding; self.confidence = confidence; self.caseMayBeLost = caseMayBeLost
    }
}
