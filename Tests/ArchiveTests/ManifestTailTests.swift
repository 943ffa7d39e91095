import Foundation
import Testing
@testable import Archive

/// `lastSequence()` reads only the end of the manifest; it must agree with a full read.
@Suite struct ManifestTailTests {
    @Test func agreesWithAFullReadThroughAppendsTornTailsAndPadding() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let m = Manifest(archive: dir.url)
        #expect(try m.lastSequence() == 0)  // no manifest yet
        try Data().write(to: m.url)
        #expect(try m.lastSequence() == 0)  // empty manifest
        // Enough records to cross several pages (the writer pads lines to page boundaries)
        // and more than the 64 KiB the tail reader looks at.
        for batch in 0..<40 {
            _ = try m.append { tx in for i in 0..<10 { _ = tx.add(record(batch * 10 + i + 1)) } }
        }
        #expect(try Data(contentsOf: m.url).count > 64 * 1024)
        #expect(try m.lastSequence() == 400)
        #expect(try m.lastSequence() == Manifest(archive: dir.url).refresh().lastSeq)

        // A torn last line (a crash mid-append) is not counted.
        var torn = try Data(contentsOf: m.url)
        torn.append(contentsOf: record(401).jsonLine().prefix(30))
        try torn.write(to: m.url)
        #expect(try m.lastSequence() == 400)
        // Nor is a complete last line that does not parse.
        torn.append(contentsOf: Array("}garbage\n".utf8))
        try torn.write(to: m.url)
        #expect(try m.lastSequence() == 400)
        #expect(try Manifest(archive: dir.url).refresh().lastSeq == 400)
    }
}
