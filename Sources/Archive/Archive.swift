// Archive: VanBan's content-addressed gzip object store and append-only manifest.
// Knows nothing of extraction, SQLite or HTTP (see ../shared/DESIGN.md, "Archive format").

/// An archive operation that failed; `description` is a sentence for a person.
package struct ArchiveError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
