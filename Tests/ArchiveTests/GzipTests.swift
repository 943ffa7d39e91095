import Foundation
import Testing
@testable import Archive

@Suite struct GzipTests {
    @Test(arguments: [0, 1, 100, 65_536, 1_000_003])
    func roundTripThroughZlibAndZcat(size: Int) throws {
        var rng = SystemRandomNumberGenerator()
        // Half compressible text, half random bytes.
        var bytes = [UInt8]()
        bytes.reserveCapacity(size)
        let text = Array("Căn cứ Nghị định số 45/2010/NĐ-CP ngày 21/4/2010 của Chính phủ. ".utf8)
        while bytes.count < size {
            if bytes.count % 2 == 0 { bytes.append(contentsOf: text.prefix(size - bytes.count)) }
            else { bytes.append(UInt8.random(in: 0...255, using: &rng)) }
        }
        let gz = Gzip.compress(bytes)
        #expect(gz.count >= 18)
        #expect(gz[0] == 0x1F && gz[1] == 0x8B, "gzip magic")
        #expect(try Gzip.decompress(gz) == bytes)

        let dir = TempDir(); defer { dir.cleanup() }
        let f = dir.file("x.gz")
        try Data(gz).write(to: f)
        #expect(try zcat(f.path) == bytes, "zcat prints the original")
        var streamed = [UInt8]()
        let read = try Gzip.inflateFile(f.path) { streamed.append(contentsOf: $0) }
        #expect(read == gz.count)
        #expect(streamed == bytes)
    }

    @Test func compressionLevelSixShrinksVietnameseText() throws {
        let seed = try Fixtures.bytes(Fixtures.seeds.appendingPathComponent("001_f06a74d7aed0fe0b.txt"))
        let gz = Gzip.compress(seed)
        #expect(gz.count < seed.count / 2)
        #expect(try Gzip.decompress(gz) == seed)
    }

    @Test func truncatedStreamIsReportedAsTruncated() throws {
        let gz = Gzip.compress(Array(repeating: UInt8(ascii: "a"), count: 10_000) + Array("Hà Nội".utf8))
        for cut in [1, 5, gz.count / 2, gz.count - 1] {
            #expect(throws: ArchiveError.self) { try Gzip.decompress(Array(gz.prefix(cut))) }
            let dir = TempDir(); defer { dir.cleanup() }
            try Data(gz.prefix(cut)).write(to: dir.file("t.gz"))
            do {
                try Gzip.inflateFile(dir.file("t.gz").path) { _ in }
                Issue.record("truncated file at \(cut) was accepted")
            } catch {
                #expect(error.message.contains("truncated gzip") || error.message.contains("corrupt"), "\(error)")
            }
        }
        let dir = TempDir(); defer { dir.cleanup() }
        try Data().write(to: dir.file("empty.gz"))
        #expect(throws: ArchiveError("truncated gzip (empty file)")) { try Gzip.inflateFile(dir.file("empty.gz").path) { _ in } }
    }

    @Test func corruptAndTrailingDataAreErrors() throws {
        let original = Array(String(repeating: "Thanh Hóa và Thanh Hoá ", count: 500).utf8)
        var gz = Gzip.compress(original)
        var flipped = gz
        flipped[gz.count / 2] ^= 0x40
        do {
            let out = try Gzip.decompress(flipped)
            #expect(out != original, "a flipped byte must not go unnoticed")
            Issue.record("flipped deflate byte was accepted")
        } catch {
            #expect(error.message.contains("corrupt gzip") || error.message.contains("truncated"), "\(error)")
        }
        gz.append(contentsOf: [1, 2, 3])
        #expect(throws: ArchiveError("trailing data after the gzip stream")) { try Gzip.decompress(gz) }
    }
}
