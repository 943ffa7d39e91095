import Foundation
import Hummingbird
import Logging
import VanBanKit

extension VanBanServer {
    /// Parses a log level name ("info", "warning", ...).
    public static func logLevel(_ name: String) -> Logger.Level? { Logger.Level(rawValue: name.lowercased()) }

    /// Runs the server on `library` (opened by the caller with the result cache it wants)
    /// until SIGINT or SIGTERM: opens the index (catching up with the
    /// archive), keeps it caught up with imports by other processes, logs one line per request
    /// to stderr, and on a signal stops accepting connections and finishes the requests in
    /// progress before returning.
    public static func serve(library: Library, options: ServerOptions, logFormat: LogFormat, logLevel: Logger.Level) async throws {
        LoggingSystem.bootstrap { label in LineLogHandler(label: label, format: logFormat, level: logLevel) }
        let logger = Logger(label: "vanban")
        if let token = options.token, token.utf8.count < 16 {
            logger.warning("the upload token is short (\(token.utf8.count) characters); use at least 16 random characters")
        }
        if let limit = options.sqliteMemoryLimit { Library.limitSQLiteMemory(bytes: limit) }
        // The first search sees every imported document; an index that cannot catch up (a full
        // disk) is served as it is, and /health/ready says it is behind.
        if let warning = try library.prepareIndexForReading() {
            logger.warning("index not caught up", metadata: ["reason": .string(warning)])
        }
        if let interval = options.catchUpInterval {
            library.startCatchingUp(every: interval) { error in
                logger.error("index catch-up failed", metadata: ["error": .string("\(error)")])
            }
        }
        defer { library.stopCatchingUp() }
        let host = options.host
        let uploads = options.token != nil
        let archive = library.archiveURL.path
        let app = application(library: library, options: options, logger: logger) { port in
            logger.notice("listening", metadata: [
                "url": .string("http://\(host.contains(":") ? "[\(host)]" : host):\(port.map(String.init) ?? "?")/"),
                "archive": .string(archive),
                "uploads": .string(uploads ? "enabled" : "disabled (no token)"),
            ])
        }
        try await app.runService()
        logger.notice("stopped")
    }
}
