import Foundation
import VanBanKit

/// What the report page's form holds (from the query string): the period, one of three ways,
/// and an optional query.
struct ReportForm: Sendable {
    var q: String
    var from: String
    var to: String
    var half: String
    var year: String

    init(_ query: QueryString) {
        func value(_ name: String, _ limit: Int = 40) -> String {
            String((query[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines).prefix(limit))
        }
        q = value("q", QueryParser.maxQueryCharacters)
        from = value("from")
        to = value("to")
        half = value("half")
        year = value("year")
    }

    /// True when a period is asked for.
    var isReport: Bool { !from.isEmpty || !to.isEmpty || !half.isEmpty || !year.isEmpty }

    /// The same report's parameters, for the JSON, CSV and Markdown links.
    var parameters: [(String, String)] {
        [("q", q), ("from", from), ("to", to), ("half", half), ("year", year)].filter { !$0.1.isEmpty }
    }
}

/// The report page (`GET /report/view`): a form, then the report of the period with a bar
/// chart of documents per month (server-rendered SVG: no script needed), the counts by issuer
/// and type, and the list.
extension Page {
    /// Documents listed on the page; the JSON, CSV and Markdown have them all.
    static let reportListShown = 500

    static let reportStyle = """
        form.report .grid{grid-template-columns:repeat(auto-fit,minmax(9rem,1fr))}
        .chart{margin:.5rem 0 1rem;max-width:100%}.chart svg{width:100%;height:auto;display:block}
        .chart rect{fill:var(--accent)}.chart text{font-size:11px;fill:var(--muted)}
        table.counts{border-collapse:collapse;font-size:.92rem;margin:.3rem 0 1rem}
        table.counts td,table.counts th{border-bottom:1px solid var(--line);padding:.25rem .6rem;text-align:left;vertical-align:top}
        table.counts td.n{text-align:right;font-variant-numeric:tabular-nums}
        .formats a{margin-right:.6rem}

        """

    static func report(form: ReportForm, report: PeriodReport?, error: String?) -> String {
        var html = head(title: "Báo cáo theo kỳ — VanBan")
        html += "<body>\n<header class=\"top\"><div class=\"wrap\">\n<a class=\"brand\" href=\"/\">VanBan<small>Báo cáo theo kỳ</small></a>\n"
        html += """
        <form class="search report" method="get" action="/report/view">
        <div class="bar"><input type="search" name="q" value="\(esc(form.q))" placeholder="Chỉ văn bản có các từ này (không bắt buộc)" aria-label="Từ khóa" maxlength="\(QueryParser.maxQueryCharacters)"><button type="submit">Lập báo cáo</button></div>
        <div class="grid">
        <label>Từ ngày<input type="date" name="from" value="\(esc(form.from))"></label>
        <label>Đến ngày<input type="date" name="to" value="\(esc(form.to))"></label>
        <label>Hoặc nửa năm<input type="text" name="half" value="\(esc(form.half))" placeholder="2024H1"></label>
        <label>Hoặc cả năm<input type="text" name="year" value="\(esc(form.year))" placeholder="2024" inputmode="numeric"></label>
        </div>
        </form>
        </div></header>
        <main class="wrap">

        """
        if let error {
            html += "<p class=\"error\" role=\"alert\">Không thể lập báo cáo: \(esc(error))</p>\n"
        } else if let report {
            html += reportBody(report, form: form)
        } else {
            html += "<p class=\"help\">Chọn kỳ báo cáo: từ ngày đến ngày, nửa năm (<code>2024H1</code> là tháng 1–6, <code>2024H2</code> là tháng 7–12) hoặc cả năm. Văn bản được tính theo ngày ban hành, nếu không có thì theo ngày nhập.</p>\n"
        }
        html += "</main>\n" + footer(nil)
        return html
    }

    static func reportBody(_ report: PeriodReport, form: ReportForm) -> String {
        let period = "từ \(ReportText.vietnameseDate(report.period.from)) đến \(ReportText.vietnameseDate(report.period.to))"
        let quoted = report.query.map { " có “\(esc($0))”" } ?? ""
        var html = "<h1>Báo cáo văn bản \(esc(period))</h1>\n"
        html += "<p class=\"summary\"><strong class=\"total\">\(number(report.total))</strong> văn bản\(quoted) (theo ngày ban hành; văn bản không có ngày ban hành theo ngày nhập).</p>\n"
        let query = PercentEncoding.query(form.parameters)
        html += "<p class=\"formats\">Tải về: <a href=\"/report?\(esc(query))\">JSON</a><a href=\"/report?\(esc(PercentEncoding.query(form.parameters + [("format", "csv")])))\">CSV</a><a href=\"/report?\(esc(PercentEncoding.query(form.parameters + [("format", "markdown")])))\">Markdown</a></p>\n"
        html += "<h2>Số văn bản theo tháng</h2>\n<div class=\"chart\">\(monthChart(report.byMonth))</div>\n"
        func counts(_ title: String, _ rows: [ReportCount], none: String) -> String {
            var table = "<h2>\(esc(title))</h2>\n<table class=\"counts\"><tbody>\n"
            for row in rows {
                table += "<tr><td>\(esc(row.name ?? none))</td><td class=\"n\">\(number(row.count))</td></tr>\n"
            }
            return table + "</tbody></table>\n"
        }
        html += counts("Theo cơ quan ban hành", report.byIssuer, none: "(không ghi cơ quan ban hành)")
        html += counts("Theo loại văn bản", report.byType, none: "(khác: tin, bài không phải văn bản)")
        html += "<h2>Danh sách</h2>\n"
        if report.documents.isEmpty { return html + "<p class=\"help\">Không có văn bản nào trong kỳ.</p>\n" }
        html += "<table class=\"counts\"><thead><tr><th>Ngày</th><th>Số ký hiệu</th><th>Tiêu đề</th><th>Cơ quan ban hành / nguồn</th></tr></thead><tbody>\n"
        for document in report.documents.prefix(reportListShown) {
            let m = document.metadata
            let title = displayTitle(m.title, fileName: nil, id: document.id)
            html += "<tr><td>\(esc(ReportText.vietnameseDate(document.date)))</td><td>\(esc(m.number ?? ""))</td>"
            html += "<td><a href=\"/view/\(PercentEncoding.component(document.id))\">\(esc(title))</a></td><td>\(esc(m.issuer ?? m.source ?? ""))</td></tr>\n"
        }
        html += "</tbody></table>\n"
        if report.documents.count > reportListShown {
            html += "<p class=\"help\">Trang này hiển thị \(number(reportListShown)) văn bản đầu; bản CSV và JSON có đủ \(number(report.documents.count)) văn bản.</p>\n"
        }
        return html
    }

    /// A bar per month, its height the month's documents (server-rendered SVG). Each bar has a
    /// <title> ("03/2024: 12 văn bản"); months are labelled under the bars when there is room,
    /// else each January by its year.
    static func monthChart(_ months: [ReportCount]) -> String {
        let barWidth = months.count <= 24 ? 28.0 : max(2.0, 672.0 / Double(months.count))
        let gap = months.count <= 24 ? 6.0 : barWidth * 0.2
        let top = 16.0, plot = 160.0, bottom = 20.0
        let width = max(Double(months.count) * (barWidth + gap) + gap, 120)
        let highest = max(months.map(\.count).max() ?? 0, 1)
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width.rounded(.up))) \(Int(top + plot + bottom))\" role=\"img\" aria-label=\"Số văn bản theo tháng\">"
        for (k, month) in months.enumerated() {
            let x = gap + Double(k) * (barWidth + gap)
            let height = Double(month.count) / Double(highest) * plot
            let y = top + plot - height
            let name = ReportText.vietnameseDate(month.name ?? "")
            svg += "<g><title>\(esc(name)): \(month.count) văn bản</title>"
            svg += "<rect x=\"\(format(x))\" y=\"\(format(y))\" width=\"\(format(barWidth))\" height=\"\(format(height))\"></rect>"
            if months.count <= 24 && month.count > 0 {
                svg += "<text x=\"\(format(x + barWidth / 2))\" y=\"\(format(y - 3))\" text-anchor=\"middle\">\(month.count)</text>"
            }
            svg += "</g>"
            let parts = (month.name ?? "").split(separator: "-")
            if months.count <= 24, parts.count == 2 {
                svg += "<text x=\"\(format(x + barWidth / 2))\" y=\"\(format(top + plot + 14))\" text-anchor=\"middle\">\(esc(String(parts[1])))/\(esc(String(parts[0].suffix(2))))</text>"
            } else if parts.count == 2, parts[1] == "01" {
                svg += "<text x=\"\(format(x))\" y=\"\(format(top + plot + 14))\">\(esc(String(parts[0])))</text>"
            }
        }
        svg += "<line x1=\"0\" y1=\"\(format(top + plot))\" x2=\"\(Int(width.rounded(.up)))\" y2=\"\(format(top + plot))\" stroke=\"#9aa3ad\"></line></svg>"
        return svg
    }

    private static func format(_ value: Double) -> String { String(format: "%.1f", value) }
}
