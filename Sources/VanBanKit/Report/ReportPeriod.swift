import DocumentModel

/// The period of a report: from one day to another, both included. Given as `from`/`to`
/// (YYYY-MM-DD, or YYYY-MM / YYYY for the first or last day of that month or year), as a half
/// year ("2024H1": January to June, "2024H2": July to December) or as a year ("2024"). Exactly
/// one of the three ways; a bad value is an error naming it.
public struct ReportPeriod: Sendable, Equatable {
    /// YYYY-MM-DD, both included.
    public let from: String
    public let to: String

    /// At most this many years in one report (the chart has a bar per month).
    public static let maxYears = 100

    public init(from: String? = nil, to: String? = nil, half: String? = nil, year: String? = nil) throws(LibraryError) {
        func given(_ value: String?) -> String? {
            guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
            return value
        }
        let from = given(from), to = given(to), half = given(half), year = given(year)
        let ways = [from != nil || to != nil, half != nil, year != nil].filter { $0 }.count
        guard ways == 1 else {
            throw LibraryError(.usage, ways == 0
                ? "give the period: from and to (YYYY-MM-DD), half (2024H1) or year (2024)"
                : "give the period one way only: from and to, half, or year")
        }
        if let half {
            let upper = half.uppercased().replacingOccurrences(of: "-", with: "")
            guard upper.count == 6, let y = Int(upper.prefix(4)), upper.prefix(4).allSatisfy(\.isASCII),
                  ["H1", "H2"].contains(String(upper.suffix(2))), (1...9999).contains(y) else {
                throw LibraryError(.usage, "half '\(half)' is not a half year (write 2024H1 for January-June 2024, 2024H2 for July-December)")
            }
            let first = upper.hasSuffix("H1")
            self.from = "\(upper.prefix(4))-\(first ? "01-01" : "07-01")"
            self.to = "\(upper.prefix(4))-\(first ? "06-30" : "12-31")"
        } else if let year {
            guard Self.isYear(year) else { throw LibraryError(.usage, "year '\(year)' is not a year (four digits, e.g. 2024)") }
            self.from = "\(year)-01-01"
            self.to = "\(year)-12-31"
        } else {
            guard let from else { throw LibraryError(.usage, "from is missing: a period needs both from and to (to is \(to!))") }
            guard let to else { throw LibraryError(.usage, "to is missing: a period needs both from and to (from is \(from))") }
            self.from = try Self.day(from, name: "from", last: false)
            self.to = try Self.day(to, name: "to", last: true)
        }
        guard self.from <= self.to else {
            throw LibraryError(.usage, "the period is empty: from \(self.from) is after to \(self.to)")
        }
        guard Int(self.to.prefix(4))! - Int(self.from.prefix(4))! < Self.maxYears else {
            throw LibraryError(.usage, "the period from \(self.from) to \(self.to) is longer than \(Self.maxYears) years")
        }
    }

    /// Every month of the period, "YYYY-MM", in order.
    public var months: [String] {
        var (y, m) = (Int(from.prefix(4))!, Int(from.dropFirst(5).prefix(2))!)
        let end = (Int(to.prefix(4))!, Int(to.dropFirst(5).prefix(2))!)
        var months: [String] = []
        while (y, m) <= end {
            months.append(Self.month(y, m))
            m += 1
            if m > 12 { m = 1; y += 1 }
        }
        return months
    }

    static func month(_ y: Int, _ m: Int) -> String {
        String(repeating: "0", count: max(0, 4 - String(y).count)) + "\(y)-" + (m < 10 ? "0\(m)" : "\(m)")
    }

    static func isYear(_ s: String) -> Bool { s.utf8.count == 4 && s.utf8.allSatisfy { (0x30...0x39).contains($0) } && s != "0000" }

    /// `value` (YYYY-MM-DD, YYYY-MM or YYYY) as a day: the first of a month or year, or with
    /// `last` its last day.
    static func day(_ value: String, name: String, last: Bool) throws(LibraryError) -> String {
        let parts = value.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        let problem = "\(name) '\(value)' is not a date (YYYY-MM-DD, YYYY-MM or YYYY)"
        switch parts.count {
        case 1:
            guard isYear(parts[0]) else { throw LibraryError(.usage, problem) }
            return parts[0] + (last ? "-12-31" : "-01-01")
        case 2:
            guard isYear(parts[0]), parts[1].count == 2, let m = Int(parts[1]), (1...12).contains(m) else {
                throw LibraryError(.usage, problem)
            }
            guard last else { return "\(parts[0])-\(parts[1])-01" }
            for d in stride(from: 31, through: 28, by: -1) where DocumentMetadata.isValidDate("\(parts[0])-\(parts[1])-\(d)") {
                return "\(parts[0])-\(parts[1])-\(d)"
            }
            throw LibraryError(.usage, problem)
        case 3:
            guard DocumentMetadata.isValidDate(value) else {
                throw LibraryError(.usage, "\(name) '\(value)' is not a calendar date (YYYY-MM-DD)")
            }
            return value
        default:
            throw LibraryError(.usage, problem)
        }
    }
}
