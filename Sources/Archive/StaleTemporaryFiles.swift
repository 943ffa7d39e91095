import Foundation
import Platform

// Temporary object files (`objects/xx/.tmp-<pid>-<random>-<n>`, and a packer's
// `objects/pack/.tmp-<pid>-<random>-pack|idx`) are renamed into place when their batch (or
// pack) commits and removed when it fails; only a process that dies in between leaves them
// behind. The next writer removes those of dead processes, holding the writers' lock
// (so no process is between deciding and appending), and never those of a process that is
// alive: it may be writing them right now, outside the lock.

extension ObjectStore {
    /// The pid in a temporary object file's name, nil when `name` is not one.
    static func temporaryFileOwner(_ name: String) -> pid_t? {
        guard name.hasPrefix(".tmp-") else { return nil }
        return pid_t(name.dropFirst(5).prefix { $0 != "-" })
    }

    /// True when process `pid` may still be alive (so its files are left alone).
    static func mayBeAlive(_ pid: pid_t) -> Bool {
        if pid == getpid() { return true }
        return kill(pid, 0) == 0 || errno == EPERM
    }

    /// Removes the temporary object files of processes that are no longer alive, and the
    /// `.tmp-` files whose name has no pid. Call with the writers' lock held. Returns how
    /// many were removed.
    @discardableResult
    public func removeStaleTemporaryFiles() -> Int {
        guard let dirs = try? POSIX.listDirectory(objectsPath) else { return 0 }
        var removed = 0
        for dir in dirs where dir.utf8.count == 2 || dir == PackFormat.relativeDirectory.split(separator: "/").last.map(String.init) {
            let dirPath = objectsPath + "/" + dir
            guard let names = try? POSIX.listDirectory(dirPath) else { continue }
            for name in names where name.hasPrefix(".tmp-") {
                if let pid = Self.temporaryFileOwner(name), Self.mayBeAlive(pid) { continue }
                if unlink(dirPath + "/" + name) == 0 { removed += 1 }
            }
        }
        return removed
    }
}
