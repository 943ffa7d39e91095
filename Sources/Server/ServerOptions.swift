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
    /// Memory for SQLite's page caches, all connections together (nil: SQLite's own limits,
    /// 32 MB per connection). The index files stay in the OS page cache either way.
    public var sqliteMemoryLimit: Int? = 16_000_000
    /// The `Server` response header (nil: none).
    public var serverName: String? = "vanban"

    public init() {}
}
