import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A raw HTTP/1 exchange over a socket: what a hostile or old client sends, byte for byte,
/// beyond what an HTTP client library would let us send. Reads until the server closes the
/// connection; a receive timeout (a guard against a hung test, not a measurement) ends it too.
struct RawExchange {
    var status: Int
    var headers: [String: String]
    var body: [UInt8]
    /// The server closed the connection (rather than the read timing out).
    var closedByServer: Bool
    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:] }
    var errorCode: String? { (json["error"] as? [String: Any])?["code"] as? String }
    var errorMessage: String? { (json["error"] as? [String: Any])?["message"] as? String }

    /// Runs the blocking exchange on a Dispatch thread: blocking one of Swift concurrency's few
    /// threads could starve the server under test, which answers on those same threads.
    static func send(_ request: [UInt8], port: Int, host: String = "localhost") async throws -> RawExchange {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try blockingSend(request, port: port, host: host) })
            }
        }
    }

    static func blockingSend(_ request: [UInt8], port: Int, host: String) throws -> RawExchange {
        // The first address getaddrinfo gives, as NIO binds it: with several test servers on
        // "localhost", another address could be another test's server on the same port.
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), nil, &list) == 0, let a = list else { throw RawError("cannot resolve \(host)") }
        defer { freeaddrinfo(list) }
        var fd = socket(a.pointee.ai_family, Int32(SOCK_STREAM.rawValue), 0)
        if fd >= 0 && connect(fd, a.pointee.ai_addr, a.pointee.ai_addrlen) != 0 { close(fd); fd = -1 }
        guard fd >= 0 else { throw RawError("cannot connect to \(host):\(port)") }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var sent = 0
        while sent < request.count {
            let n = request[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { break }  // the server may answer and close before reading everything
            sent += n
        }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        var closed = false
        while true {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n > 0 { response += buffer[0..<n]; continue }
            closed = n == 0 || errno == ECONNRESET
            break
        }
        return try parse(response, closed: closed)
    }

    static func parse(_ bytes: [UInt8], closed: Bool) throws -> RawExchange {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let end = (0...max(0, bytes.count - 4)).first(where: { bytes.count >= 4 && Array(bytes[$0..<$0 + 4]) == separator }) else {
            throw RawError("no HTTP response head in \(bytes.count) bytes: \(String(decoding: bytes.prefix(200), as: UTF8.self))")
        }
        let lines = String(decoding: bytes[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw RawError("bad status line \(lines[0])") }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body = Array(bytes[(end + 4)...])
        if let length = headers["content-length"].flatMap(Int.init), body.count > length { body = Array(body.prefix(length)) }
        return RawExchange(status: status, headers: headers, body: body, closedByServer: closed)
    }
}

struct RawError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
