import Foundation
import Testing
@testable import SearchIndex

@Suite struct QueryLanguageTests {
    let fixture: TestIndex
    init() throws { fixture = try TestIndex() }

    @Test func allWordsMustMatch() throws {
        #expect(try fixture.ids("hòa bình").first == "hoa-peace")
        #expect(try fixture.ids("hòa bình đà nẵng").isEmpty)
    }

    @Test func phrasesNeedAdjacentWords() throws {
        #expect(try fixture.ids("\"công nghiệp hóa\"").contains("hoa-chem"))
        // "chất công nghiệp" does not occur as a phrase (the words occur).
        #expect(try fixture.ids("chất công nghiệp") .contains("hoa-chem"))
        #expect(try fixture.ids("\"chất công nghiệp\"").isEmpty)
    }

    @Test func exclusion() throws {
        let all = try fixture.ids("hoa")
        #expect(all.contains("hoa-peace") && all.contains("hoa-chem"))
        #expect(try fixture.ids("hoa -bình") .contains("hoa-chem"))
        #expect(try !fixture.ids("hoa -bình").contains("hoa-peace"))
        #expect(try !fixture.ids("hoa -\"hòa bình\"").contains("hoa-peace"))
        #expect(try !fixture.ids("hoa NOT chất").contains("hoa-chem"))
    }

    @Test func orBetweenWordsAndGroups() throws {
        let hits = Set(try fixture.ids("\"đà nẵng\" OR \"hóa chất\""))
        #expect(hits == ["danang", "hoa-chem"])
        let grouped = Set(try fixture.ids("(du lịch Đà Nẵng) OR (hòa bình hòa hợp)"))
        #expect(grouped == ["danang", "hoa-peace"])
    }

    @Test func prefixOnBothForms() throws {
        #expect(try fixture.ids("nẵ*").contains("danang"))   // accented prefix
        #expect(try fixture.ids("nan*").contains("danang"))  // folded prefix
        #expect(try !fixture.ids("hó*").contains("hoa-peace"))  // hòa does not start with hó
        #expect(try fixture.ids("hó*").contains("hoa-chem"))
    }

    @Test func titleField() throws {
        #expect(try fixture.ids("title:du").first == "danang")
        #expect(try fixture.ids("title:khách").isEmpty)  // only in the body
        #expect(try fixture.ids("khách").first == "danang")
        #expect(try fixture.ids("title:\"phát triển du lịch\"").first == "danang")
    }

    @Test func metadataFilters() throws {
        #expect(try fixture.ids("hóa kind:legal") == ["hoa-chem"])
        #expect(Set(try fixture.ids("hoa kind:legal")) == ["hoa-chem", "nfd"])
        #expect(try fixture.ids("hoa", filters: Filters(kinds: ["news"])) .contains("hoa-peace"))
        #expect(try fixture.ids("source:\"cong thuong\"") == ["hoa-chem"])
        #expect(try fixture.ids("source:nhân hoa") == ["hoa-peace"])
        #expect(try fixture.ids("hoa year:2021") == ["hoa-chem"])
        #expect(try fixture.ids("hoa from:2020-06 to:2021") == ["hoa-chem"])
        #expect(try fixture.ids("hoa", filters: Filters(from: "2019", to: "2020-01-01")) == ["hoa-peace"])
        #expect(try fixture.ids("date:2023-03") == ["danang"])
        // Only filters: documents listed newest first.
        #expect(try fixture.ids("kind:legal") == ["nfd", "hoa-chem"])
    }

    @Test func paginationAndTotal() throws {
        let all = try fixture.index.search(SearchRequest(query: "thông", limit: 100))
        #expect(all.total == all.hits.count)
        #expect(all.total >= 4)
        var paged: [String] = []
        for offset in stride(from: 0, to: all.total, by: 2) {
            let page = try fixture.index.search(SearchRequest(query: "thông", limit: 2, offset: offset))
            #expect(page.total == all.total)
            paged += page.hits.map(\.id)
        }
        #expect(paged == all.hits.map(\.id))
    }

    @Test func sortByDate() throws {
        let hits = try fixture.index.search(SearchRequest(query: "hoa", limit: 10, sort: .date)).hits
        let dates = hits.compactMap(\.metadata.date)
        #expect(dates == dates.sorted(by: >))
        #expect(hits.count >= 3)
    }

    @Test func titleRanksAboveBodyAndPhraseAboveScatteredWords() throws {
        // The agreement's title holds the phrase; news reports mention the words in passing.
        let hits = try fixture.ids("chuong trinh phoi hop cong tac truyen thong")
        #expect(hits.first == "seed1")
    }
}

/// Anything a person can type gives results or a clear message: never an SQLite error,
/// never a crash.
@Suite struct HostileQueryTests {
    let fixture: TestIndex
    init() throws { fixture = try TestIndex() }

    static let hostile: [String] = [
        "\"", "\"\"", "\"thanh hoa", "thanh hoa\"", "\"\"\"\"\"", "-", "--", "- -", "*", "**", "a*", "*hoa",
        "hoa**", "-*", "(", ")", "((((", "))))", "(thanh hoa", "thanh) hoa(", "()", "AND", "OR", "NOT",
        "NEAR", "NEAR(thanh hoa)", "thanh AND OR hoa", "OR thanh OR", "NOT NOT thanh", "AND AND", "a OR b OR",
        "title:", "title:\"\"", "source:", "kind:", ":", "::::", "title:title:hoa", "from:abc", "year:20",
        "to:2021-13", "from:2022 to:2021", "!!!", "...", "—", "“”", "\u{0}", "\u{1}\u{2}\u{7F}",
        "thanh\u{0}hoa", "'; DROP TABLE documents; --", "\" OR 1=1 --", "fts MATCH 'x'", "{title} : x",
        "title : hoa", "^hoa", "hoa + 1", "%_%", "\\", "😀 emoji", "中文", "\u{0301}\u{0323}", "đ", "Ð",
        String(repeating: "thanh hoa ", count: 10_000), String(repeating: "(", count: 500),
        String(repeating: "\"", count: 1001), String(repeating: "hoa ", count: 70), "-thanh", "-\"thanh hoa\"",
        "hoa OR -thanh", "thanh -thanh",
    ]

    @Test(arguments: hostile)
    func hostileQueryGivesResultsOrAClearMessage(query: String) {
        do {
            _ = try fixture.index.search(SearchRequest(query: query))
        } catch let error as QueryError {
            #expect(!error.message.isEmpty)
            #expect(!error.message.lowercased().contains("sqlite"))
            #expect(!error.message.lowercased().contains("fts5"))
        } catch {
            Issue.record("\(query.prefix(40)) raised \(error)")
        }
    }

    @Test func clearMessagesForWhatCannotRun() throws {
        func message(_ query: String) -> String? {
            do { _ = try fixture.index.search(SearchRequest(query: query)); return nil }
            catch let error as QueryError { return error.message }
            catch { return "\(error)" }
        }
        #expect(message("")?.contains("empty") == true)
        #expect(message("   ")?.contains("empty") == true)
        #expect(message("-thanh")?.contains("only excludes") == true)
        #expect(message("from:abc")?.contains("invalid date 'abc'") == true)
        #expect(message("year:20")?.contains("invalid year") == true)
        #expect(message("hoa from:2022 to:2021")?.contains("empty") == true)
        #expect(message(String(repeating: "x ", count: 6000))?.contains("too long") == true)
        #expect(message(String(repeating: "hoa ", count: 70))?.contains("too many terms") == true)
        #expect(message("thanh hoa") == nil)
        #expect(message("!!!")?.contains("empty") == true)
    }

    @Test func invalidPaging() {
        #expect(throws: QueryError.self) { try fixture.index.search(SearchRequest(query: "hoa", limit: 0)) }
        #expect(throws: QueryError.self) { try fixture.index.search(SearchRequest(query: "hoa", limit: 5000)) }
        #expect(throws: QueryError.self) { try fixture.index.search(SearchRequest(query: "hoa", offset: -1)) }
    }

    @Test func wordsThatLookLikeOperatorsStillSearch() throws {
        // Lower-case "or"/"and"/"not" and NEAR are words.
        #expect(throws: Never.self) { try fixture.index.search(SearchRequest(query: "near or and not")) }
        #expect(try fixture.ids("\"hòa bình\" AND hợp").first == "hoa-peace")
    }
}
