import ArgumentParser
import Foundation
import VanBanKit

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Report on a period: the documents dated in it, by month, issuer and type.",
        discussion: """
            A document belongs to the period of its issue date read from the text, else of the \
            date given at import. With a QUERY, only the documents the query finds (the whole \
            result set of `vanban search QUERY`). Markdown by default (pasteable into a report); \
            --json or --csv (the list of documents) for programs.
            Examples:
              vanban report --from 2024-01-01 --to 2024-06-30
              vanban report --half 2024H1 "chuyển đổi số"
              vanban report --year 2024 --csv > 2024.csv
            """)

    @OptionGroup var location: LocationOptions

    @Argument(help: "Only the documents this query finds (the search query language).")
    var query: String?

    @Option(help: ArgumentHelp("First day of the period (YYYY-MM-DD, or YYYY-MM, YYYY).", valueName: "date"))
    var from: String?
    @Option(help: ArgumentHelp("Last day of the period (YYYY-MM-DD, or YYYY-MM, YYYY).", valueName: "date"))
    var to: String?
    @Option(help: ArgumentHelp("A half year: 2024H1 (January-June) or 2024H2 (July-December).", valueName: "half"))
    var half: String?
    @Option(help: ArgumentHelp("A calendar year.", valueName: "year"))
    var year: String?
    @Flag(help: "Print one JSON object.") var json = false
    @Flag(help: "Print the list of documents as CSV.") var csv = false

    func validate() throws {
        if json && csv { throw ValidationError("give either --json or --csv, not both") }
        _ = try period()
    }

    func period() throws -> ReportPeriod {
        do {
            return try ReportPeriod(from: from, to: to, half: half, year: year)
        } catch {
            throw ValidationError(error.message)
        }
    }

    func run() throws {
        let period = try period()
        let library = try location.openLibrary()
        do {
            if let warning = try library.prepareIndexForReading(progress: Output.indexProgress(quiet: json || csv)) {
                Output.printError("vanban: warning: \(warning)")
            }
        } catch {
            throw Output.fail("cannot open the index in \(library.indexURL.path): \(error)")
        }
        let report: PeriodReport
        do {
            report = try library.report(period, query: query)
        } catch let error as QueryError {
            throw Output.fail(error.message)
        } catch {
            throw Output.fail("report failed: \(error)")
        }
        if json {
            Output.writeStdout(ReportJSON.encode(report) + [0x0A])
        } else if csv {
            Output.writeStdout(Array(ReportText.csv(report).utf8))
        } else {
            Output.writeStdout(Array(ReportText.markdown(report).utf8))
        }
    }
}
