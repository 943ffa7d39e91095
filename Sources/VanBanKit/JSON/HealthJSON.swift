import Archive
import DocumentModel

/// The JSON of `GET /health`: whether the index can be read and how far it is behind the archive.
public enum HealthJSON {
    public static func encode(_ status: Library.Status) -> [UInt8] {
        var w = JSONObjectWriter()
        w.add("status", "ok")
        w.add("documents", status.documents)
        w.add("manifest_seq", status.manifestSequence)
        w.add("applied_seq", status.appliedSequence)
        w.add("index_lag", status.lag)
        w.add("caught_up", status.caughtUp)
        w.add("generation", status.generation)
        return w.finish()
    }

    /// `GET /health/ready`: {status: "ready" | "catching_up", index_lag, manifest_seq, applied_seq}.
    public static func encodeReadiness(_ status: Library.Status) -> [UInt8] {
        var w = JSONObjectWriter()
        w.add("status", status.caughtUp ? "ready" : "catching_up")
        w.add("index_lag", status.lag)
        w.add("manifest_seq", status.manifestSequence)
        w.add("applied_seq", status.appliedSequence)
        return w.finish()
    }

    /// The answer when the index cannot be read (the details go to the server's log).
    public static func encodeUnavailable() -> [UInt8] {
        var inner = JSONObjectWriter()
        inner.add("code", "unavailable")
        inner.add("message", "the index cannot be read; the problem is in the server log")
        var w = JSONObjectWriter()
        w.add("status", "error")
        w.addRaw("error", inner.finish())
        return w.finish()
    }
}
