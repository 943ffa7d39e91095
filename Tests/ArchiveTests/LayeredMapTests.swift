import Testing
@testable import Archive

/// The manifest state's dictionary (LayeredMap): a value is the last one set, counts are of
/// distinct keys, and a copy taken (what the manifest publishes to readers) never sees later
/// changes, across the folds of the top layer into the base.
@Suite struct LayeredMapTests {
    @Test func behavesAsADictionaryAcrossFolds() {
        var map = LayeredMap<Int>()
        var plain: [String: Int] = [:]
        var copies: [(LayeredMap<Int>, [String: Int])] = []
        // Enough keys for several folds (the top folds past 4,096 keys), with overwrites.
        for k in 0..<20_000 {
            let key = "văn-bản-\(k % 13_000)"
            map[key] = k
            plain[key] = k
            if k % 2_500 == 0 { copies.append((map, plain)) }
        }
        #expect(map.count == plain.count && map.count == 13_000)
        #expect(Set(map.keys) == Set(plain.keys) && map.keys.count == plain.count)
        #expect(map.values.sorted() == plain.values.sorted())
        for key in ["văn-bản-0", "văn-bản-12999", "văn-bản-6500"] { #expect(map[key] == plain[key]) }
        #expect(map["không-có"] == nil)
        for (copy, expected) in copies {
            #expect(copy.count == expected.count)
            #expect(expected.allSatisfy { copy[$0.key] == $0.value })
        }
        map["văn-bản-0"] = nil
        plain["văn-bản-0"] = nil
        #expect(map.count == plain.count && map["văn-bản-0"] == nil && map.isEmpty == false)
    }
}
