import ArgumentParser
import VanBanKit

@main
struct VanBan: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vanban",
        abstract: "Search and archive for Vietnamese official texts.",
        subcommands: [
            ImportCommand.self, SearchCommand.self, ShowCommand.self, GraphCommand.self, ReindexCommand.self,
            VerifyCommand.self, PackCommand.self, StatsCommand.self, AnalyzeCommand.self, ReportCommand.self, ServeCommand.self,
        ]
    )

    /// ArgumentParser's own `main`, after making sure no file can take the number of a closed
    /// standard descriptor (see `StandardStreams.reserveClosedDescriptors`).
    static func main() async {
        StandardStreams.reserveClosedDescriptors()
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
