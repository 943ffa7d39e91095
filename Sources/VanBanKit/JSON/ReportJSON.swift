import DocumentModel
import SearchIndex

/// The `--json` shape of a period report (also `GET /report`'s).
public enum ReportJSON {
    /// {from, to, query, total, by_month: [{month, count}], by_issuer: [{issuer, count}],
    /// by_type: [{type, count}], documents: [{id, period_date, date_source, <metadata fields>}]}.
    /// `period_date` is the date the document is counted at: the issue date read from the text
    /// (`date_source` "issued"), else the date given at import ("imported"). `issuer` and
    /// `type` are null for the documents without one; a joint text counts under each issuer.
    public static func encode(_ report: PeriodReport) -> [UInt8] {
        var w = JSONObjectWriter()
        w.add("from", report.period.from)
        w.add("to", report.period.to)
        w.add("query", report.query, omitNil: false)
        w.add("total", report.total)
        func counts(_ rows: [ReportCount], _ key: String) -> [[UInt8]] {
            rows.map { row in
                var r = JSONObjectWriter()
                r.add(key, row.name, omitNil: false)
                r.add("count", row.count)
                return r.finish()
            }
        }
        w.addArray("by_month", counts(report.byMonth, "month"))
        w.addArray("by_issuer", counts(report.byIssuer, "issuer"))
        w.addArray("by_type", counts(report.byType, "type"))
        w.addArray("documents", report.documents.map { document in
            var d = JSONObjectWriter()
            d.add("id", document.id)
            d.add("period_date", document.date)
            d.add("date_source", document.dateIsIssued ? "issued" : "imported")
            d.add(document.metadata)
            return d.finish()
        })
        return w.finish()
    }
}
