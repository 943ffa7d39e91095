import Archive
import Foundation

/// `vanban-bench read-objects ARCHIVE HASHES [ROUNDS]`: reads every object named in HASHES (one
/// SHA-256 a line) through `ObjectStore.bytes`, as `show --original` and `reindex` do (loose
/// file first, else the packs: index lookup, pread of the member, inflate, re-hash), on one
/// thread, ROUNDS times (default 3; the file system cache is warm after the first). Prints
/// one line per round:
///   read-objects: N objects, B original bytes in T s: U us/object, R MB/s (L loose, P packed)
enum ObjectReads {
    static func run(archive: String, hashFile: String, rounds: Int) {
        guard let text = try? String(contentsOfFile: hashFile, encoding: .utf8) else {
            FileHandle.standardError.write(Data("vanban-bench: cannot read \(hashFile)\n".utf8)); exit(1)
        }
        let hashes = text.split(separator: "\n").map(String.init).filter { !$0.isEmpty }
        let store = ObjectStore(archive: URL(fileURLWithPath: archive))
        let loose = hashes.filter { FileManager.default.fileExists(atPath: store.path(for: $0)) }.count
        for _ in 0..<max(1, rounds) {
            var bytes = 0
            let started = Date()
            for h in hashes {
                do { bytes += try store.bytes(h).count } catch {
                    FileHandle.standardError.write(Data("vanban-bench: \(error)\n".utf8)); exit(1)
                }
            }
            let t = Date().timeIntervalSince(started)
            print(String(format: "read-objects: %d objects, %d original bytes in %.3f s: %.1f us/object, %.1f MB/s (%d loose, %d packed)",
                         hashes.count, bytes, t, t / Double(max(1, hashes.count)) * 1e6, Double(bytes) / t / 1e6, loose, hashes.count - loose))
        }
    }
}
