import Archive
import DocumentModel

/// The JSON line `vanban import --json` prints for each input document.
public enum ImportResultJSON {
    public static func encode(_ r: ImportResult) -> [UInt8] {
        var w = JSONObjectWriter()
        w.add("input", r.input)
        w.add("status", r.status.rawValue)
        w.add("id", r.id, omitNil: false)
        w.add("key", r.key, omitNil: false)
        w.add("hash", r.hash, omitNil: false)
        w.add("seq", r.seq, omitNil: false)
        w.add("reason", r.failure?.message, omitNil: false)
        w.add("failure", r.failure?.kind.rawValue, omitNil: true)
        return w.finish()
    }
}
