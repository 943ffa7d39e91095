import ArgumentParser
import VanBanKit

@main
struct VanBan: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vanban",
        abstract: "Search and archive for Vietnamese official texts.",
        subcommands: [ImportCommand.self, ShowCommand.self, VerifyCommand.self, StatsCommand.self]
    )
}
