import Foundation
import Testing
@testable import VanBanKit

/// Directory imports are safe by default: links out of the tree and special files are
/// skipped with a note, never read.
@Suite struct SafeInputTests {
    @Test func linksLeavingTheTreeAreSkippedUnlessFollowed() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let outside = try dir.write("bi-mat.txt", "Mật khẩu của máy chủ\n")
        let tree = dir.file("tai-lieu")
        try FileManager.default.createDirectory(at: tree, withIntermediateDirectories: true)
        _ = try dir.write("tai-lieu/thong-bao.txt", "Thông báo của Sở Tư pháp tỉnh Thanh Hoá\n")
        try FileManager.default.createSymbolicLink(atPath: tree.appendingPathComponent("passwd").path, withDestinationPath: outside.path)
        try FileManager.default.createSymbolicLink(atPath: tree.appendingPathComponent("ban-sao.txt").path, withDestinationPath: "thong-bao.txt")
        #expect(mkfifo(tree.appendingPathComponent("ong-dan").path, 0o644) == 0)

        let lib = try openLibrary(dir)
        var (summary, results) = try importAll(lib, [.path(tree.path)])
        #expect(results.map { ($0.input as NSString).lastPathComponent } == ["ban-sao.txt", "thong-bao.txt"],
                "the inside link is read (same document twice), the outside one and the FIFO are not")
        #expect(summary.failed == 0)
        #expect(summary.warnings.contains { $0.contains("passwd: skipped: a symbolic link to \(outside.resolvingSymlinksInPath().path)") && $0.contains("--follow-symlinks") })
        #expect(summary.warnings.contains { $0.contains("ong-dan: skipped: a named pipe (FIFO), not a regular file") })
        #expect(try lib.allCurrentRecords().count == 1)

        var options = ImportOptions()
        options.followSymlinks = true
        (summary, results) = try importAll(lib, [.path(tree.path)], options: options)
        #expect(results.contains { $0.input.hasSuffix("/passwd") && $0.status == .imported })
    }

    @Test func fileNamesThatAreNotUTF8Import() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let tree = dir.file("tai-lieu")
        try FileManager.default.createDirectory(at: tree, withIntermediateDirectories: true)
        // "bản\xFF.txt" and a directory "th\xFEư" with a file in it, written by their bytes.
        func create(_ bytes: [UInt8], directory: Bool = false, text: String = "") {
            let path: [CChar] = Array(tree.path.utf8CString.dropLast()) + [0x2F] + bytes.map { CChar(bitPattern: $0) } + [0]
            if directory { #expect(mkdir(path, 0o755) == 0); return }
            let fd = open(path, O_WRONLY | O_CREAT, 0o644)
            #expect(fd >= 0)
            _ = Array(text.utf8).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            close(fd)
        }
        create(Array("bản".utf8) + [0xFF] + Array(".txt".utf8), text: "Thông báo của Sở Tư pháp\n")
        create([0x74, 0x68, 0xFE] + Array("ư".utf8), directory: true)
        create([0x74, 0x68, 0xFE] + Array("ư/Huế.txt".utf8), text: "Cố đô Huế\n")
        let lib = try openLibrary(dir)
        let (summary, results) = try importAll(lib, [.path(tree.path)])
        #expect(summary.imported == 2 && summary.failed == 0, "\(results.map(\.failure))")
        #expect(results.map { String($0.input.dropFirst(tree.path.count + 1)) } == ["bản\\xFF.txt", "th\\xFEư/Huế.txt"])
        #expect(try lib.allCurrentRecords().map(\.fileName) == ["bản\\xFF.txt", "Huế.txt"])
    }
}
