// Archive: VanBan's content-addressed gzip object store and append-only manifest.
// Knows nothing of extraction, SQLite or HTTP (see ../shared/DESIGN.md, "Archive format").
import CSystemZlib

public enum ArchiveModule {
    /// The zlib library version linked at run time.
    public static var zlibRuntimeVersion: String { String(cString: CSystemZlib.zlibVersion()) }
}

/// An archive operation that failed; `description` is a sentence for a person.
public struct ArchiveError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
