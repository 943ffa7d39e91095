import ArgumentParser
import Foundation
import VanBanKit

/// Where the archive and the index live; shared by every command.
struct LocationOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Archive directory (default: $VANBAN_ARCHIVE, else ./archive).", valueName: "dir"))
    var archive: String?

    @Option(name: .long, help: ArgumentHelp("Index directory (default: $VANBAN_INDEX, else DIR/.index for --archive DIR, else ./index).", valueName: "dir"))
    var index: String?

    var archiveURL: URL { URL(fileURLWithPath: Self.pick(archive, "VANBAN_ARCHIVE", "archive")) }

    /// The index named, else the one inside a named archive (`Library.defaultIndexURL`: an
    /// index never silently belongs to another archive), else ./index beside ./archive.
    var indexURL: URL {
        let named = Self.pick(index, "VANBAN_INDEX", "")
        if !named.isEmpty { return URL(fileURLWithPath: named) }
        if !Self.pick(archive, "VANBAN_ARCHIVE", "").isEmpty { return Library.defaultIndexURL(archive: archiveURL) }
        return URL(fileURLWithPath: "index")
    }

    private static func pick(_ option: String?, _ variable: String, _ fallback: String) -> String {
        if let option, !option.isEmpty { return option }
        if let env = ProcessInfo.processInfo.environment[variable], !env.isEmpty { return env }
        return fallback
    }

    /// Opens the library, turning a missing archive into "vanban: ..." and exit status 1.
    func openLibrary(create: Bool = false, configuration: Library.Configuration = .init()) throws -> Library {
        var configuration = configuration
        if configuration.notice == nil { configuration.notice = { Output.printError("vanban: \($0)") } }
        do {
            return try Library(archive: archiveURL, index: indexURL, create: create, configuration: configuration)
        } catch {
            throw Output.fail("\(error)")
        }
    }
}

/// A byte count given as 1048576, 500k, 100M, 100MB, 1.5G, 64KiB, 10MiB...
/// k/M/G (and kB/MB/GB) are powers of 1000; KiB/MiB/GiB are powers of 1024.
struct ByteSize: ExpressibleByArgument {
    let bytes: Int

    init(bytes: Int) { self.bytes = bytes }

    init?(argument: String) {
        let s = argument.trimmingCharacters(in: .whitespaces)
        let digits = s.prefix { $0.isNumber || $0 == "." }
        guard let value = Double(digits), value >= 0 else { return nil }
        let unit = s.dropFirst(digits.count).trimmingCharacters(in: .whitespaces).lowercased()
        let scale: Double
        switch unit {
        case "", "b", "bytes": scale = 1
        case "k", "kb": scale = 1e3
        case "m", "mb": scale = 1e6
        case "g", "gb": scale = 1e9
        case "kib": scale = 1024
        case "mib": scale = 1024 * 1024
        case "gib": scale = 1024 * 1024 * 1024
        default: return nil
        }
        let total = value * scale
        guard total < Double(Int.max / 2) else { return nil }
        bytes = Int(total)
    }

    var defaultValueDescription: String { formatBytes(bytes) }
}
