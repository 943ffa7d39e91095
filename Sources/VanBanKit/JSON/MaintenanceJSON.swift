import Archive
import DocumentModel

/// The JSON of `vanban verify --json`: the counts, then every problem found.
public enum VerifyJSON {
    public static func encode(_ report: VerifyReport) -> [UInt8] {
        var w = JSONObjectWriter()
        w.add("ok", report.isClean)
        w.add("objects", report.objects)
        w.add("records", report.records)
        w.add("original_bytes", report.originalBytes)
        w.add("stored_bytes", report.storedBytes)
        w.add("unreferenced_objects", report.unreferencedObjects)
        w.add("errors", report.errors.count)
        w.add("warnings", report.warnings.count)
        w.add("seconds", (report.seconds * 1000).rounded() / 1000)
        w.addArray("problems", report.problems.map { p in
            var o = JSONObjectWriter()
            o.add("severity", p.severity.rawValue)
            o.add("path", p.path)
            o.add("message", p.message)
            return o.finish()
        })
        return w.finish()
    }
}

/// The JSON of `vanban reindex --json`.
public enum ReindexJSON {
    public static func encode(_ summary: ReindexSummary) -> [UInt8] {
        var w = JSONObjectWriter()
        w.add("documents", summary.documents)
        w.add("bytes", summary.bytes)
        w.add("seconds", (summary.seconds * 1000).rounded() / 1000)
        w.add("mb_per_s", summary.seconds > 0 ? (Double(summary.bytes) / summary.seconds / 1e6 * 10).rounded() / 10 : 0)
        w.add("applied_seq", summary.appliedSequence)
        w.add("index_bytes", summary.indexBytes)
        w.add("generation", summary.generation)
        return w.finish()
    }
}
