import ArgumentParser
import VanBanKit

@main
struct VanBan: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vanban",
        abstract: "Search and archive for Vietnamese official texts.",
        subcommands: [
            ImportCommand.self, SearchCommand.self, ShowCommand.self, GraphCommand.self, ReindexCommand.self,
            VerifyCommand.self, StatsCommand.self, AnalyzeCommand.self, ServeCommand.self,
        ]
    )
}
