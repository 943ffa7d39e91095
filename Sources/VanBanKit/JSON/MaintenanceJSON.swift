import Archive
import DocumentModel

/// The JSON of `vanban verify --json`: the counts, then every problem found.
public enum VerifyJSON {
    public static func encode(_ report: VerifyReport) -> [UInt8] {
        var w = JSONObjectWriter()
        w.add("ok", report.isClean)
        w.add("objects", report.objects)
        w.add("packs", report.packs)
        w.add("packed_objects", report.packedObjects)
        w.add("records", report.records)
        w.add("original_bytes", report.originalBytes)
        w.add("stored_bytes", report.storedBytes)
        w.add("unreferenced_objects", report.unreferencedObjects)
        w.add("errors", report.errors.count)
        w.add("warnings", report.warnings.count)
        w.add("seconds", (report.seconds * 1000).rounded() / 1000)
        w.addArray("problems", report.problems.map(problem))
        return w.finish()
    }

    /// One problem of `verify` or `pack`: what it is, where, why.
    static func problem(_ p: VerifyProblem) -> [UInt8] {
        var o = JSONObjectWriter()
        o.add("severity", p.severity.rawValue)
        o.add("path", p.path)
        o.add("message", p.message)
        return o.finish()
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

/// The JSON of `vanban pack --json`.
public enum PackJSON {
    public static func encode(_ r: PackReport) -> [UInt8] {
        var w = JSONObjectWriter()
        w.add("ok", r.problems.isEmpty)
        w.add("pack", r.pack, omitNil: false)
        w.add("objects_packed", r.objectsPacked)
        w.add("from_loose", r.fromLoose)
        w.add("from_packs", r.fromPacks)
        w.add("stored_bytes", r.storedBytes)
        w.add("original_bytes", r.originalBytes)
        w.add("pack_bytes", r.packBytes)
        w.add("index_bytes", r.indexBytes)
        w.add("loose_before", r.looseBefore)
        w.add("loose_after", r.looseAfter)
        w.add("loose_removed", r.looseRemoved)
        w.add("packs_before", r.packsBefore)
        w.add("packs_after", r.packsAfter)
        w.addArray("packs_merged", r.packsMerged.map(jsonString))
        w.addArray("indexes_rebuilt", r.indexesRebuilt.map(jsonString))
        w.add("disk_bytes_before", r.diskBytesBefore)
        w.add("disk_bytes_after", r.diskBytesAfter)
        w.add("seconds", (r.seconds * 1000).rounded() / 1000)
        w.add("mb_per_s", r.seconds > 0 ? (Double(r.originalBytes) / r.seconds / 1e6 * 10).rounded() / 10 : 0)
        var t = JSONObjectWriter()
        for (name, v) in [("scan", r.timings.scan), ("copy", r.timings.copy), ("sync", r.timings.sync), ("remove", r.timings.remove)] {
            t.add(name, (v * 1000).rounded() / 1000)
        }
        w.addRaw("timings", t.finish())
        w.addArray("problems", r.problems.map(VerifyJSON.problem))
        return w.finish()
    }
}

private func jsonString(_ s: String) -> [UInt8] {
    var out: [UInt8] = []
    JSONObjectWriter.appendString(s, to: &out)
    return out
}
