import DocumentModel
import SearchIndex

/// A period report as Markdown (readable on a terminal, pasteable into a report: the tables
/// are padded to line up) and as CSV (the list, one document a row, RFC 4180).
public enum ReportText {
    /// "2024-03-15" -> "15/03/2024", "2024-03" -> "03/2024" (as Vietnamese texts write dates).
    public static func vietnameseDate(_ iso: String) -> String {
        let parts = iso.split(separator: "-")
        return parts.reversed().joined(separator: "/")
    }

    public static func markdown(_ report: PeriodReport) -> String {
        var out = "# Báo cáo văn bản từ \(vietnameseDate(report.period.from)) đến \(vietnameseDate(report.period.to))\n\n"
        if let query = report.query { out += "Truy vấn: \(cell(query))\n\n" }
        out += "Tổng số: **\(report.total)** văn bản (theo ngày ban hành; văn bản không có ngày ban hành theo ngày nhập).\n\n"
        out += "## Theo tháng\n\n"
        out += table(["Tháng", "Số văn bản"], report.byMonth.map { [vietnameseDate($0.name ?? ""), "\($0.count)"] }, numeric: [1])
        out += "\n## Theo cơ quan ban hành\n\n"
        out += table(["Cơ quan ban hành", "Số văn bản"], report.byIssuer.map { [$0.name ?? "(không ghi cơ quan ban hành)", "\($0.count)"] }, numeric: [1])
        if report.byIssuer.count > 1 { out += "\nVăn bản liên tịch được tính cho mỗi cơ quan ban hành.\n" }
        out += "\n## Theo loại văn bản\n\n"
        out += table(["Loại văn bản", "Số văn bản"], report.byType.map { [$0.name ?? "(khác: tin, bài không phải văn bản)", "\($0.count)"] }, numeric: [1])
        out += "\n## Danh sách\n\n"
        if report.documents.isEmpty {
            out += "Không có văn bản nào trong kỳ.\n"
        } else {
            let rows = report.documents.enumerated().map { k, d in
                [String(k + 1), vietnameseDate(d.date), d.metadata.number ?? "", d.metadata.type ?? "",
                 d.metadata.title ?? "", d.metadata.issuer ?? d.metadata.source ?? "", d.id]
            }
            out += table(["#", "Ngày", "Số ký hiệu", "Loại", "Tiêu đề", "Cơ quan ban hành / nguồn", "Mã"], rows, numeric: [0])
        }
        return out
    }

    /// The documents, one a row: period_date, date_source, id, number, type, title, issuer, source, kind, url.
    public static func csv(_ report: PeriodReport) -> String {
        var out = "period_date,date_source,id,number,type,title,issuer,source,kind,url\r\n"
        for d in report.documents {
            let m = d.metadata
            out += [d.date, d.dateIsIssued ? "issued" : "imported", d.id, m.number, m.type, m.title, m.issuer, m.source, m.kind, m.url]
                .map { csvField($0 ?? "") }.joined(separator: ",") + "\r\n"
        }
        return out
    }

    static func csvField(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// A value as one Markdown table cell: one line, pipes escaped.
    static func cell(_ value: String) -> String {
        value.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).joined(separator: " ")
            .replacingOccurrences(of: "|", with: "\\|")
    }

    /// A GitHub-flavoured Markdown table padded to line up (by characters, as a terminal shows them).
    static func table(_ header: [String], _ rows: [[String]], numeric: Set<Int>) -> String {
        let cells = ([header] + rows).map { $0.map(cell) }
        var widths = Array(repeating: 3, count: header.count)
        for row in cells { for (i, c) in row.enumerated() { widths[i] = max(widths[i], c.count) } }
        func line(_ row: [String]) -> String {
            "| " + row.enumerated().map { i, c in
                let pad = String(repeating: " ", count: widths[i] - c.count)
                return numeric.contains(i) ? pad + c : c + pad
            }.joined(separator: " | ") + " |\n"
        }
        let rule = "|" + widths.indices.map { i in
            numeric.contains(i) ? " " + String(repeating: "-", count: widths[i] - 1) + ": " : " " + String(repeating: "-", count: widths[i]) + " "
        }.joined(separator: "|") + "|\n"
        return line(cells[0]) + rule + cells.dropFirst().map(line).joined()
    }
}
