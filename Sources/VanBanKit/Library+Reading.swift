import Foundation
import SearchIndex

// Reads survive an index that cannot be written. Searching needs no write: readers are
// read-only connections. Only catching up with the archive writes, and a full disk or a
// read-only index directory must not turn every search into an error: the index is searched
// as it is (without the documents it has not applied yet) and the reason is reported.

extension Library {
    /// Opens the index for commands that only read it (search, analyze, graph, serve):
    /// `prepareIndex`, except that when the index exists but cannot be brought up to date, it
    /// is used as it is and the reason comes back as a warning for the user ("the index could
    /// not catch up ...: index disk is full: ..."). Throws only when the index cannot be read.
    public func prepareIndexForReading(progress: ((IndexProgress) -> Void)? = nil) throws -> String? {
        do {
            try prepareIndex(waitForWriters: false, progress: progress)
            return nil
        } catch {
            // Readable as it is? Then search it, and say why it may be behind.
            guard (try? readers.withReader { try $0.appliedSequence() }) != nil else { throw error }
            let behind = (try? indexLag()).map { $0 > 0 ? " (\($0) manifest record\($0 == 1 ? "" : "s") not indexed yet)" : "" } ?? ""
            return "the index in \(indexURL.path) could not catch up with the archive\(behind): \(error); searching it as it is"
        }
    }

    /// How many manifest records the index has not applied (0 when caught up).
    func indexLag() throws -> Int {
        let last = try lastSeq()
        return max(0, last - (try readers.withReader { try $0.appliedSequence() }))
    }
}

extension Library {
    /// `SearchBudget.standard`, or VANBAN_SEARCH_BUDGET_MS milliseconds when set (0: no limit),
    /// for an operator whose machine or archive needs another bound.
    public static let environmentSearchBudget: SearchBudget = {
        guard let text = ProcessInfo.processInfo.environment["VANBAN_SEARCH_BUDGET_MS"], let ms = Int(text), ms >= 0 else {
            return .standard
        }
        // The prefix bound scales with the time: it stands for the work of one uninterruptible step.
        return ms == 0 ? .unlimited : SearchBudget(time: .milliseconds(ms),
                                                   maxPrefixOccurrences: SearchBudget.standardPrefixOccurrences / 250 * ms)
    }()
}
