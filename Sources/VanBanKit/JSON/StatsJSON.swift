import Archive
import DocumentModel

/// The JSON of `vanban stats --json` and `GET /stats`.
public enum StatsJSON {
    public static func encode(_ s: ArchiveStats) -> [UInt8] {
        var w = JSONObjectWriter()
        w.add("documents", s.documents)
        w.add("versions", s.versions)
        w.add("objects", s.objects)
        w.add("original_bytes", s.originalBytes)
        w.add("stored_bytes", s.storedBytes)
        w.add("ratio", (s.ratio * 10000).rounded() / 10000)
        w.addRaw("by_source", groups(s.bySource))
        w.addRaw("by_kind", groups(s.byKind))
        return w.finish()
    }

    static func groups(_ groups: [String: ArchiveStats.Group]) -> [UInt8] {
        var w = JSONObjectWriter()
        for name in groups.keys.sorted() {
            var g = JSONObjectWriter()
            g.add("documents", groups[name]!.documents)
            g.add("bytes", groups[name]!.bytes)
            w.addRaw(name, g.finish())
        }
        return w.finish()
    }
}
