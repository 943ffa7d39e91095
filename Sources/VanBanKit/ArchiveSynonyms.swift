import Foundation
import SearchIndex

/// The synonym list a search of this archive uses: the list shipped with VanBan
/// (`SynonymTable.bundled`) plus the archive's own `synonyms.txt`, read again whenever that
/// file changes (size, modification time or inode), so an entry added there applies to the
/// next search without a rebuild or a reindex. The archive's file is the user's: VanBan reads
/// it and never writes it. A line it cannot read is reported (`notice`, once per version of the
/// file) and skipped; the other entries apply.
final class ArchiveSynonyms: @unchecked Sendable {
    static let fileName = "synonyms.txt"

    private struct Stamp: Equatable {
        var size: Int
        var modified: Date
        var inode: Int
    }

    private let url: URL
    private let notice: @Sendable (String) -> Void
    private let lock = NSLock()
    /// The stamp of the file the table was read from (nil: no file), and a number that changes
    /// with every table read (results cached under another number are not reused).
    private var current: (stamp: Stamp?, table: SynonymTable, version: Int)

    init(archive: URL, notice: @escaping @Sendable (String) -> Void) {
        url = archive.appendingPathComponent(Self.fileName)
        self.notice = notice
        current = (nil, .bundled, 0)
    }

    /// The list as the archive's file is now, and its version.
    func table() -> (table: SynonymTable, version: Int) {
        let stamp = Self.stamp(of: url)
        return lock.withLock {
            if stamp != current.stamp {
                current = (stamp, read(stamp), current.version + 1)
                for problem in current.table.problems { notice("warning: \(problem)") }
            }
            return (current.table, current.version)
        }
    }

    private func read(_ stamp: Stamp?) -> SynonymTable {
        guard stamp != nil else { return .bundled }
        do {
            let data = try Data(contentsOf: url)
            guard let text = String(data: data, encoding: .utf8) else {
                notice("warning: \(url.path) is not UTF-8 text; its synonyms are not used")
                return .bundled
            }
            return SynonymTable.bundled.adding(text, name: url.path)
        } catch {
            notice("warning: cannot read \(url.path) (\(error.localizedDescription)); its synonyms are not used")
            return .bundled
        }
    }

    private static func stamp(of url: URL) -> Stamp? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: url.path) else { return nil }
        return Stamp(size: (attributes[.size] as? NSNumber)?.intValue ?? -1,
                     modified: attributes[.modificationDate] as? Date ?? .distantPast,
                     inode: (attributes[.systemFileNumber] as? NSNumber)?.intValue ?? -1)
    }
}
