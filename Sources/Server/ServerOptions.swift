import Foundation
import Logging
import VanBanKit

/// How `vanban serve` runs.
public struct ServerOptions: Sendable {
    /// Address to listen on. Loopback by default: listening on every interface is an explicit choice.
    public var host = "127.0.0.1"
    public var port = 8080
    /// Largest request body accepted (uploads), in bytes; larger ones get 413.
    public var bodyLimit = 100_000_000
    /// The bearer token for write endpoints; nil disables them (403).
    public var token: String?
    /// Hits per page on the search page.
    public var pageSize = 10
    /// Uploads received and imported at the same time; more wait their turn.
    public var concurrentUploads = 2
    /// How often the index catches up with imports made by other processes (nil: never).
    public var catchUpInterval: Duration? = .seconds(2)
    /// Seconds before an idle keep-alive connection is closed.
    public var idleTimeoutSeconds = 60
    /// Search results kept in memory for repeated requests (0: no cache).
    public var cacheEntries = 4096
    /// Memory for SQLite's page caches, all connections together (nil: SQLite's own limits,
    /// 32 MB per connection). The index files stay in the OS page cache either way.
    public var sqliteMemoryLimit: Int? = 16_000_000
    /// The `Server` response header (nil: none).
    public var serverName: String? = "vanban"

    public init() {}
}

/// Log output for the server.
public enum LogFormat: String, Sendable, CaseIterable {
    /// `2025-01-31T08:00:00Z info vanban: request method=GET path=/search status=200 ...`
    case text
    /// One JSON object per line: {"time", "level", "label", "message", ...metadata}.
    case json
}

/// A swift-log handler writing one line per event to standard error, as text or JSON.
/// Lines are written with a single write(2) so concurrent requests never interleave.
public struct LineLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    public let label: String
    public let format: LogFormat

    public init(label: String, format: LogFormat, level: Logger.Level) {
        self.label = label
        self.format = format
        self.logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var all = metadata
        if let extra = event.metadata { all.merge(extra) { $1 } }
        let time = Self.timestamp()
        var line: [UInt8]
        switch format {
        case .json:
            var w = JSONObjectWriter()
            w.add("time", time)
            w.add("level", event.level.rawValue)
            w.add("label", label)
            w.add("message", event.message.description)
            for key in all.keys.sorted() { w.add(key, Self.plain(all[key]!)) }
            line = w.finish()
        case .text:
            var s = "\(time) \(event.level.rawValue) \(label): \(event.message)"
            for key in all.keys.sorted() {
                let value = Self.plain(all[key]!)
                let needsQuotes = value.isEmpty || value.contains { $0 == " " || $0 == "\"" || $0 == "=" }
                s += " \(key)=" + (needsQuotes ? "\"" + value.replacingOccurrences(of: "\"", with: "\\\"") + "\"" : value)
            }
            line = Array(s.utf8)
        }
        // One line per event, whatever the text holds.
        for k in line.indices where line[k] == 0x0A || line[k] == 0x0D { line[k] = 0x20 }
        line.append(0x0A)
        line.withUnsafeBytes { buffer in
            var done = 0
            while done < buffer.count {
                let n = write(2, buffer.baseAddress! + done, buffer.count - done)
                if n < 0 { if errno == EINTR { continue }; return }
                done += n
            }
        }
    }

    static func plain(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let s): return s
        case .stringConvertible(let c): return c.description
        case .array(let a): return "[" + a.map(plain).joined(separator: ", ") + "]"
        case .dictionary(let d): return "{" + d.keys.sorted().map { "\($0): \(plain(d[$0]!))" }.joined(separator: ", ") + "}"
        }
    }

    static func timestamp() -> String {
        var tv = timeval()
        gettimeofday(&tv, nil)
        var t = time_t(tv.tv_sec)
        var tmv = tm()
        gmtime_r(&t, &tmv)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tmv.tm_year + 1900, tmv.tm_mon + 1, tmv.tm_mday,
                      tmv.tm_hour, tmv.tm_min, tmv.tm_sec, Int(tv.tv_usec / 1000))
    }
}
