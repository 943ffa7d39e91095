import Foundation
import Logging
import VanBanKit

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
        StandardStreams.write(line, to: .standardError)
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
