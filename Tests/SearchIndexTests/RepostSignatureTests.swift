// Repost signatures: the one the writer builds while FTS5 tokenizes a body is the one
// computed from the body alone (the two paths must agree: groups compare signatures made
// either way), and the one-permutation estimate tracks the shingle sets' similarity.

import DocumentModel
import Foundation
import Testing
import TestSupport
@testable import SearchIndex

@Suite struct RepostSignatureTests {
    @Test func theWriterSignsTheBodyAsItIndexesIt() throws {
        let seeds = try TestIndex.seeds()
        let nfd = seeds[4].body.decomposedStringWithCanonicalMapping
        var docs = seeds.enumerated().map { k, doc in
            IndexDocument(id: doc.id, seq: doc.seq, hash: doc.hash, body: doc.body, metadata: doc.metadata, signsReposts: true)
        }
        // NFD, a title equal to the body, and a body too short to have a signature.
        docs.append(IndexDocument(id: "nfd", seq: 20, hash: "n", body: nfd, metadata: DocumentMetadata(title: "Bình Dương"), signsReposts: true))
        let same = seeds[3].body
        docs.append(IndexDocument(id: "same", seq: 21, hash: "s", body: same, metadata: DocumentMetadata(title: same), signsReposts: true))
        docs.append(IndexDocument(id: "short", seq: 22, hash: "t", body: "Hai câu ngắn. Không đủ.", signsReposts: true))
        let t = try TestIndex(documents: docs)
        let read = try t.index.connection.cached("SELECT id, repost_signature FROM documents")
        var stored: [String: [UInt8]?] = [:]
        while try read.step() { stored[read.string(0)!] = read.blob(1) }
        read.reset()
        #expect(stored.count == docs.count)
        for doc in docs {
            #expect(stored[doc.id]! == RepostSignature(body: doc.body)?.bytes, "\(doc.id)")
        }
        #expect(stored["short"]! == nil && stored["seed0"]! != nil)
        #expect(stored["nfd"]! == stored["seed4"]!, "NFD and NFC bodies are one text")
    }

    @Test func similarityTracksTheShareOfCommonShingles() {
        // Bodies of distinct five-word shingles: a shared prefix of `common` words out of 400.
        func body(_ tag: String, common: Int) -> String {
            (0..<400).map { $0 < common ? "từ\($0)" : "\(tag)\($0)" }.joined(separator: " ")
        }
        let a = RepostSignature(body: body("a", common: 400))!
        #expect(a.similarity(RepostSignature(body: body("b", common: 400))!) == 1)
        for common in [100, 200, 300] {
            // Shingles wholly inside the common part: common - 4 of 396 on each side.
            let shared = Double(common - 4), jaccard = shared / (2 * 396 - shared)
            let estimate = RepostSignature(body: body("a", common: common))!.similarity(RepostSignature(body: body("b", common: common))!)
            #expect(abs(estimate - jaccard) < 0.2, "\(common): \(estimate) vs \(jaccard)")
        }
        #expect(RepostSignature(body: body("a", common: 0))!.similarity(RepostSignature(body: body("b", common: 0))!) < 0.1)
    }
}

@Suite struct BandKeyFilterTests {
    @Test func neverMissesAKeyItWasGivenAndRarelyClaimsOneItWasNot() {
        var rng = TestSupport.SplitMix(seed: 10)
        var filter = BandKeyFilter(capacity: 50_000)
        let keys = (0..<50_000).map { _ in Int64(Int32(truncatingIfNeeded: rng.next())) }
        for key in keys { filter.insert(key) }
        #expect(keys.allSatisfy(filter.mayContain))
        let others = (0..<20_000).map { _ in Int64(Int32(truncatingIfNeeded: rng.next())) + (1 << 33) }
        let claimed = others.filter(filter.mayContain).count
        #expect(claimed < 20_000 / 25, "\(claimed) false positives of 20,000")
        #expect(filter.count == 50_000 && filter.capacity >= 50_000)
    }

    /// Grouping across batches and writers goes through the filter: a repost applied by a
    /// later writer (the filter loaded from the table) still finds the earlier document.
    @Test func aRepostInALaterWriteFindsTheEarlierDocument() throws {
        let body = try TestIndex.seeds()[4].body
        let first = IndexDocument(id: "a", seq: 1, hash: "a", body: body, metadata: DocumentMetadata(kind: "news"), signsReposts: true)
        let t = try TestIndex(documents: [first])
        try t.index.write { writer in
            try writer.apply(IndexDocument(id: "b", seq: 2, hash: "b", body: body + "\nNguồn: TTXVN", metadata: DocumentMetadata(kind: "news"), signsReposts: true))
            try writer.setAppliedSequence(2)
        }
        let read = try t.index.connection.cached("SELECT id, repost_group FROM documents ORDER BY id")
        var groups: [String: String?] = [:]
        while try read.step() { groups[read.string(0)!] = read.string(1) }
        read.reset()
        #expect(groups["a"]! == "a" && groups["b"]! == "a")
    }
}
