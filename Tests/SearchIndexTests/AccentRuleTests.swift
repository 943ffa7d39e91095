import Foundation
import Testing
@testable import SearchIndex

@Suite struct AccentRuleTests {
    let fixture: TestIndex
    init() throws { fixture = try TestIndex() }

    @Test func foldedWordsFindEveryAccentedVariant() throws {
        let hits = try fixture.ids("hoa")
        #expect(hits.contains("hoa-peace"))
        #expect(hits.contains("hoa-chem"))
        #expect(try fixture.ids("da nang").first == "danang")
        #expect(try fixture.ids("thanh hoa").contains("seed1"))
    }

    @Test func accentedWordsMatchOnlyThatWord() throws {
        #expect(try fixture.ids("hóa") .contains("hoa-chem"))
        #expect(try !fixture.ids("hóa").contains("hoa-peace"))
        #expect(try fixture.ids("hòa").contains("hoa-peace"))
        #expect(try !fixture.ids("hòa").contains("hoa-chem"))
    }

    @Test func tonePlacementVariantsFindEachOther() throws {
        // The document writes "hoá" (new style) in its body and "hóa" in its title.
        #expect(try fixture.ids("hoá chất").first == "hoa-chem")
        #expect(try fixture.ids("\"hóa chất\"").first == "hoa-chem")
        // NFD document, queried in NFC with either tone style, and NFD query.
        #expect(try fixture.ids("thuỷ lợi").first == "nfd")
        #expect(try fixture.ids("thủy lợi").first == "nfd")
        #expect(try fixture.ids("Uỷ ban Khánh Hoà").first == "nfd")
        #expect(try fixture.ids("thuỷ lợi".decomposedStringWithCanonicalMapping).first == "nfd")
    }

    @Test func dStrokeFoldsToD() throws {
        #expect(try fixture.ids("Đà Nẵng").first == "danang")
        #expect(try fixture.ids("ĐÀ NẴNG").first == "danang")
        #expect(try fixture.ids("dà nẵng").isEmpty)  // "dà" has a diacritic, so it must match exactly
    }

    @Test func documentNumbersInThreeForms() throws {
        for query in ["45/2010/NĐ-CP", "45/2010/nd-cp", "45 / 2010 / NĐ - CP", "45/2010/NĐ - CP", "5632/QĐ-UBND"] {
            let hits = try fixture.ids(query)
            #expect(hits.first == "seed1", "\(query) -> \(hits)")
        }
        // A number that does not occur finds nothing, though its parts do occur separately.
        #expect(try fixture.ids("45/2013/NĐ-CP").isEmpty)
    }
}
