import ArgumentParser
import Foundation
import Server
import VanBanKit

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the search API and the search page over HTTP.",
        discussion: """
        Endpoints (see openapi.yaml): GET / (search page), GET /view/{id} (document page), \
        GET /search, GET /documents/{id}, GET /documents/{id}/original, POST /documents, \
        GET /health, GET /stats.

        Reads are open. POST /documents needs 'Authorization: Bearer TOKEN', where TOKEN is the \
        first line of --token-file or the environment variable VANBAN_TOKEN; without either, \
        uploads are disabled (403).

        Listens on 127.0.0.1 unless --host says otherwise (--host 0.0.0.0 for every interface). \
        SIGINT or SIGTERM stops accepting connections and lets requests in progress finish. \
        One access log line per request goes to stderr.
        """)

    @OptionGroup var location: LocationOptions

    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on (0: any free port, printed at start).") var port = 8080
    @Option(name: .customLong("token-file"), help: ArgumentHelp("File whose first line is the upload token.", valueName: "path"))
    var tokenFile: String?
    @Option(name: .customLong("body-limit"), help: ArgumentHelp("Largest upload accepted (e.g. 500k, 100MB).", valueName: "size"))
    var bodyLimit = ByteSize(bytes: ImportOptions.defaultMaxSize)
    @Option(name: .customLong("log-level"), help: ArgumentHelp("trace, debug, info, notice, warning, error or critical.", valueName: "level"))
    var logLevel = "info"
    @Option(name: .customLong("log-format"), help: ArgumentHelp("text or json (one JSON object per line).", valueName: "format"))
    var logFormat = "text"
    @Option(name: .customLong("page-size"), help: "Results per page on the search page.") var pageSize = 10
    @Option(name: .customLong("cache-entries"), help: "Search results kept in memory for repeated searches (0: no cache).")
    var cacheEntries = 4096
    @Option(name: .customLong("sqlite-memory"), help: ArgumentHelp("Memory for SQLite's page caches, all connections together (0: SQLite's default of 32 MB per connection).", valueName: "size"))
    var sqliteMemory = ByteSize(bytes: 16_000_000)

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard bodyLimit.bytes > 0 else { throw ValidationError("--body-limit must be positive") }
        guard VanBanServer.logLevel(logLevel) != nil else {
            throw ValidationError("--log-level must be one of: trace, debug, info, notice, warning, error, critical")
        }
        guard LogFormat(rawValue: logFormat.lowercased()) != nil else { throw ValidationError("--log-format must be text or json") }
        guard (1...100).contains(pageSize) else { throw ValidationError("--page-size must be between 1 and 100") }
        guard cacheEntries >= 0 else { throw ValidationError("--cache-entries must be 0 or more") }
    }

    func readToken() throws -> String? {
        if let tokenFile {
            guard let data = FileManager.default.contents(atPath: tokenFile) else {
                throw Output.fail("\(tokenFile): cannot read the token file")
            }
            let firstLine = String(decoding: data, as: UTF8.self).split(whereSeparator: { $0 == "\n" || $0 == "\r" }).first ?? ""
            let token = firstLine.trimmingCharacters(in: .whitespaces)
            if token.isEmpty { throw Output.fail("\(tokenFile): the token file is empty") }
            return token
        }
        if let env = ProcessInfo.processInfo.environment["VANBAN_TOKEN"] {
            let token = env.trimmingCharacters(in: .whitespacesAndNewlines)
            if token.isEmpty { throw Output.fail("VANBAN_TOKEN is set but empty") }
            return token
        }
        return nil
    }

    func run() async throws {
        var options = ServerOptions()
        options.host = host
        options.port = port
        options.token = try readToken()
        options.bodyLimit = bodyLimit.bytes
        options.pageSize = pageSize
        options.sqliteMemoryLimit = sqliteMemory.bytes > 0 ? sqliteMemory.bytes : nil
        var configuration = Library.Configuration()
        configuration.cacheEntries = cacheEntries
        let library = try location.openLibrary(configuration: configuration)
        do {
            try await VanBanServer.serve(library: library, options: options,
                                         logFormat: LogFormat(rawValue: logFormat.lowercased())!,
                                         logLevel: VanBanServer.logLevel(logLevel)!)
        } catch {
            throw Output.fail("\(error)")
        }
    }
}
