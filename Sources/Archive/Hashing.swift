import Crypto

/// SHA-256 naming of objects and documents.
package enum ContentHash {
    private static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    /// 64 lowercase hex digits of the SHA-256 of `bytes`.
    public static func sha256Hex(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBytes { sha256Hex($0) }
    }

    public static func sha256Hex(_ bytes: UnsafeRawBufferPointer) -> String {
        hex(SHA256.hash(data: bytes))
    }

    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        var out = [UInt8]()
        out.reserveCapacity(64)
        for b in digest {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The document id for an external key: the first 16 hex digits of SHA-256("key:" + key).
    public static func documentID(key: String) -> String {
        String(sha256Hex(Array(("key:" + key).utf8)).prefix(16))
    }

    /// The document id for a keyless document: the first 16 hex digits of its content hash.
    public static func documentID(contentHash: String) -> String {
        String(contentHash.prefix(16))
    }

    /// The id of a document with this key (if any) and content hash.
    public static func documentID(key: String?, contentHash: String) -> String {
        if let key { return documentID(key: key) }
        return documentID(contentHash: contentHash)
    }

    /// True when `s` is exactly `count` lowercase hex digits (any length when count is nil).
    public static func isLowerHex(_ s: String, count: Int? = nil) -> Bool {
        var n = 0
        for c in s.utf8 {
            guard (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) else { return false }
            n += 1
        }
        return count.map { $0 == n } ?? (n > 0)
    }
}

/// Incremental SHA-256, for streaming verification.
struct StreamingSHA256 {
    private var hasher = SHA256()
    mutating func update(_ bytes: UnsafeRawBufferPointer) { hasher.update(bufferPointer: bytes) }
    func finalizeHex() -> String { ContentHash.hex(hasher.finalize()) }
}
