import Crypto
import Foundation
import Hummingbird

/// Checks `Authorization: Bearer <token>` for write endpoints.
///
/// Both the configured token and the presented one are hashed (SHA-256) and the digests are
/// compared with a loop that always looks at every byte, so neither the token's content nor
/// its length shows in response times.
struct TokenCheck: Sendable {
    private let digest: [UInt8]?

    init(token: String?) {
        digest = token.map { Array(SHA256.hash(data: Array($0.utf8))) }
    }

    func authorize(_ request: Request) throws {
        guard let digest else {
            throw APIError(.forbidden, "writes_disabled",
                           "uploads are disabled: the server was started without a token (--token-file or VANBAN_TOKEN)")
        }
        guard let header = request.headers[.authorization] else {
            throw APIError(.unauthorized, "unauthorized", "this endpoint needs an 'Authorization: Bearer <token>' header",
                           headers: [.wwwAuthenticate: "Bearer realm=\"vanban\""])
        }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw APIError(.unauthorized, "unauthorized", "the Authorization header must be 'Bearer <token>'",
                           headers: [.wwwAuthenticate: "Bearer realm=\"vanban\", error=\"invalid_request\""])
        }
        let presented = Array(SHA256.hash(data: Array(parts[1].trimmingCharacters(in: .whitespaces).utf8)))
        guard Self.constantTimeEqual(presented, digest) else {
            throw APIError(.unauthorized, "unauthorized", "the token is not valid",
                           headers: [.wwwAuthenticate: "Bearer realm=\"vanban\", error=\"invalid_token\""])
        }
    }

    /// True when `a` and `b` are equal; the time taken depends only on their lengths.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(truncatingIfNeeded: a.count ^ b.count)
        let n = max(a.count, b.count)
        for i in 0..<n {
            let x = i < a.count ? a[i] : 0
            let y = i < b.count ? b[i] : 0
            difference |= x ^ y
        }
        return difference == 0 && a.count == b.count
    }
}
