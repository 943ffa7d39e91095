import DocumentModel
import Foundation
import Testing
import TestSupport
@testable import SearchIndex

/// Reading queries: the word statistics the index gathers, accent restoration, words of
/// several syllables, synonyms, the soft fallback and its opt-outs.
@Suite struct QueryReadingTests {
    /// Real sentences: the same words together in one document and scattered in another.
    static let documents: [IndexDocument] = [
        IndexDocument(id: "together", seq: 1, hash: "a", body: "Ủy ban nhân dân tỉnh ban hành kế hoạch phòng chống thiên tai năm 2024, giao các sở triển khai.",
                      metadata: DocumentMetadata(title: "Triển khai công tác năm 2024", kind: "news")),
        IndexDocument(id: "scattered", seq: 2, hash: "b", body: "Kế toán trưởng lập báo cáo; thu hoạch lúa xong, xã phòng ngừa dịch bệnh, chống rét cho trâu bò, thiên nhiên thuận lợi, tai nạn giảm.",
                      metadata: DocumentMetadata(title: "Tình hình nông thôn năm 2024", kind: "news")),
        IndexDocument(id: "cut", seq: 3, hash: "c", body: "Chính phủ yêu cầu cắt giảm thủ tục hành chính, cắt giảm điều kiện kinh doanh.",
                      metadata: DocumentMetadata(title: "Cắt giảm thủ tục hành chính", kind: "news")),
        IndexDocument(id: "sand", seq: 4, hash: "d", body: "Khai thác cát trái phép; thủ tục cấp phép khai thác cát và hành chính địa phương giảm sút.",
                      metadata: DocumentMetadata(title: "Khai thác cát", kind: "news")),
        IndexDocument(id: "insurance", seq: 5, hash: "e", body: "Người lao động đủ điều kiện được hưởng bảo hiểm xã hội một lần theo quy định của Luật Bảo hiểm xã hội.",
                      metadata: DocumentMetadata(title: "Điều kiện hưởng bảo hiểm xã hội một lần", kind: "legal")),
        IndexDocument(id: "merge", seq: 6, hash: "f", body: "Hướng dẫn sắp xếp thôn, tổ dân phố trên địa bàn tỉnh.",
                      metadata: DocumentMetadata(title: "Sắp xếp thôn, tổ dân phố", kind: "legal")),
        // "thi đua" as one word, and its two syllables in unrelated sentences.
        IndexDocument(id: "emulation", seq: 7, hash: "g", body: "Phát động phong trào thi đua yêu nước. Hội đồng thi đua bình xét danh hiệu thi đua cho các tập thể, khen thưởng thi đua.",
                      metadata: DocumentMetadata(title: "Hướng dẫn công tác khen thưởng", kind: "legal")),
        IndexDocument(id: "race", seq: 8, hash: "h", body: "Cuối năm, tay lái giành danh hiệu vô địch chặng đua; thi thoảng đội xe vẫn gặp sự cố.",
                      metadata: DocumentMetadata(title: "Mùa giải xe máy", kind: "news")),
        // "cuối năm" is a common word, "thi đua" a rarer one.
        IndexDocument(id: "gold", seq: 9, hash: "i", body: "Giá vàng tăng mạnh vào cuối năm.", metadata: DocumentMetadata(title: "Giá vàng", kind: "news")),
        IndexDocument(id: "school", seq: 10, hash: "j", body: "Tổng kết cuối năm tại trường học.", metadata: DocumentMetadata(title: "Tổng kết", kind: "news")),
        IndexDocument(id: "weather", seq: 11, hash: "k", body: "Thời tiết cuối năm lạnh giá.", metadata: DocumentMetadata(title: "Thời tiết", kind: "news")),
    ]

    let directory: URL
    let index: IndexConnection

    init() throws {
        directory = TempDir("vanban-reading-test").url
        index = try IndexConnection(directory: directory)
        try index.write { writer in
            for d in Self.documents { try writer.apply(d) }
            try writer.setAppliedSequence(Self.documents.count)
        }
    }

    func search(_ q: String, strict: Bool = false) throws -> SearchResults {
        try index.search(SearchRequest(query: q, limit: 20, strict: strict))
    }

    // MARK: Word statistics

    @Test func countsSyllablesAndPairsOfInsertedText() throws {
        let counts = try #require(index.wordCounts)
        #expect(counts.count(form: "cắt") >= 3)
        #expect(counts.count(folded: "cat") >= 5)  // cắt x3 and cát x2, any form
        #expect(counts.count(form: "cat") == 0)  // never written without marks
        #expect(counts.count(forms: "cắt", "giảm") >= 2)
        #expect(counts.count(folded: "cat", "giam") >= 2)
        // No pair across punctuation: "thiên tai, giao" and "phép; thủ" are not pairs.
        #expect(counts.count(folded: "tai", "giao") == 0)
        #expect(counts.count(forms: "phép", "thủ") == 0)
        #expect(counts.count(form: "zzz") == 0)
        #expect(counts.tokens > 100)
        let forms = IndexWordStatistics(counts: counts, connection: index.connection).accentedForms(of: "cat")
        #expect(Set(forms) == ["cắt", "cát"])
    }

    @Test func readersSeeTheWritersCountsAndRebuildsStartAfresh() throws {
        let reader = try IndexConnection(directory: directory, readOnly: true)
        #expect(reader.wordCounts?.count(forms: "thiên", "tai") ?? 0 >= 1)
        try index.write { writer in
            try writer.apply(IndexDocument(id: "new", seq: 9, hash: "n", body: "Ngập lụt ở Quảng Bình, ngập lụt kéo dài."))
        }
        #expect(reader.wordCounts?.count(forms: "ngập", "lụt") ?? 0 >= 2)  // shared mapping: no reload
        try IndexConnection.rebuild(in: directory, appliedThrough: 1) { writer in try writer.apply(Self.documents[0]) }
        let rebuilt = try IndexConnection(directory: directory, readOnly: true)
        #expect(rebuilt.wordCounts?.count(forms: "ngập", "lụt") == 0)
        #expect(rebuilt.wordCounts?.count(forms: "kế", "hoạch") ?? 0 >= 1)
    }

    /// Each mapping counts whole in the process's RSS: the readers of one sketch share one.
    @Test func readersOfOneSketchShareOneMapping() throws {
        let first = try IndexConnection(directory: directory, readOnly: true)
        let second = try IndexConnection(directory: directory, readOnly: true)
        let shared = try #require(first.wordCounts)
        #expect(second.wordCounts === shared)
        #expect(index.wordCounts !== shared)  // the writer keeps its writable mapping
        #expect(shared.count(forms: "thiên", "tai") >= 1)

        // A sketch replaced under the same name (a new inode) is mapped afresh; the old
        // mapping stays valid for the reader that holds it.
        let path = WordCounts.path(forDatabase: index.databaseURL.path)
        let copy = path + ".copy"
        try FileManager.default.copyItem(atPath: path, toPath: copy)
        #expect(rename(copy, path) == 0)
        let third = try IndexConnection(directory: directory, readOnly: true)
        let fresh = try #require(third.wordCounts)
        #expect(fresh !== shared)
        #expect(fresh.count(forms: "thiên", "tai") == shared.count(forms: "thiên", "tai"))
    }

    @Test func aForeignStatisticsFileIsIgnoredNotFatal() throws {
        let path = WordCounts.path(forDatabase: index.databaseURL.path)
        try Data("not a sketch".utf8).write(to: URL(fileURLWithPath: path + ".other"))
        #expect(WordCounts(path: path + ".other", writable: false) == nil)
        #expect(WordCounts(path: directory.appendingPathComponent("missing").path, writable: false) == nil)
        // A generation without statistics is still searched, as typed.
        unlink(path)
        let reader = try IndexConnection(directory: directory, readOnly: true)
        let results = try reader.search(SearchRequest(query: "cat giam thu tuc"))
        #expect(results.reading.restored == nil)
        #expect(results.hits.map(\.id).contains("cut"))
    }

    /// The writer reserves the sketch's blocks before mapping it, so a full disk means no
    /// statistics rather than a SIGBUS on the first store into a hole; a sketch that cannot be
    /// reserved is left as "not a sketch" for readers.
    @Test func aSketchWithoutDiskSpaceIsNotWritten() throws {
        let path = directory.appendingPathComponent("full.words").path
        #expect(WordCounts(path: path, writable: true, reserve: { _, _ in ENOSPC }) == nil)
        #expect(WordCounts(path: path, writable: false) == nil)
        var info = stat()
        #expect(stat(path, &info) == 0 && info.st_size == 0)

        let counts = try #require(WordCounts(path: path, writable: true))
        #expect(stat(path, &info) == 0)
        #expect(Int(info.st_blocks) * 512 >= Int(info.st_size))  // every block is there
        _ = counts
    }

    // MARK: Accents

    @Test func restoresTheLikelyAccentsAndRanksThemFirst() throws {
        let results = try search("cat giam thu tuc hanh chinh")
        #expect(results.reading.restored == "cắt giảm thủ tục hành chính")
        #expect(results.hits.first?.id == "cut")
        // Both documents still match: restoring accents only ranks.
        #expect(Set(try search("cat thu tuc", strict: true).hits.map(\.id)) == ["cut", "sand"])
        #expect(try search("khai thac cat").reading.restored == "khai thác cát")
    }

    @Test func wordsTypedWithAccentsAreKeptAndGuideTheirNeighbours() throws {
        #expect(try search("cắt giảm").reading.restored == nil)
        #expect(try search("khai thác cat").reading.restored == "khai thác cát")
        // Quoted and prefix words are matched as typed.
        #expect(try search("\"cat giam\"").reading.restored == nil)
    }

    @Test func numbersAndUnknownWordsAreLeftAlone() throws {
        let reading = try index.readQuery("covid 2024 xyzzy")
        #expect(reading.restored == nil)
        #expect(reading.phrases.isEmpty)
    }

    // MARK: Words

    @Test func adjacentWordsRankFarAboveScatteredOnes() throws {
        #expect(try search("ke hoach phong chong thien tai").hits.map(\.id) == ["together", "scattered"])
        #expect(try search("kế hoạch phòng chống thiên tai").hits.map(\.id) == ["together", "scattered"])
    }

    /// Two common syllables can make a rare word ("thủ" of "thủ tướng", "khoa" of "khoa học";
    /// "thủ khoa", a top scorer, is rare): the pair found adjacent weighs what the pair is
    /// worth, estimated from how often it occurs, not the mean of its two common syllables.
    /// The statistics are too thin to read it as a word, so only the pair term can tell.
    @Test func aRarePairOfCommonSyllablesWeighsWhatThePairIsWorth() throws {
        var documents = (0..<40).map { k in
            IndexDocument(id: "filler\(k)", seq: k + 1, hash: "f\(k)",
                          body: "Thủ tướng làm việc với Bộ Khoa học; thủ tục hành chính và khoa học công nghệ, tin số \(k).",
                          metadata: DocumentMetadata(title: "Thủ tướng và khoa học \(k)", kind: "news"))
        }
        documents.append(IndexDocument(id: "topScorer", seq: 41, hash: "t", body: "Em đạt 30 điểm và trở thành thủ khoa của tỉnh.",
                                       metadata: DocumentMetadata(title: "Kết quả kỳ thi", kind: "news")))
        documents.append(IndexDocument(id: "scattered", seq: 42, hash: "s",
                                       body: "Thủ tướng thăm khoa Toán. Học sinh đạt 30 điểm, đạt điểm cao; điểm thi của khoa cao.",
                                       metadata: DocumentMetadata(title: "Thủ tướng thăm khoa Toán", kind: "news")))
        let fixture = try TestIndex(documents: documents)
        let index = fixture.index
        #expect(try !index.readQuery("thu khoa dat 30 diem").phrases.contains("thủ khoa"))
        func ids(_ ranking: Ranking) throws -> [String] {
            try index.search(SearchRequest(query: "thu khoa dat 30 diem", limit: 5), ranking: ranking).hits.map(\.id)
        }
        // The pair term alone: proximity would also credit "scattered" for its words near
        // each other ("đạt 30 điểm, đạt điểm cao"), which is its own test.
        var pairs = Ranking()
        pairs.proximityWeight = 0
        #expect(try ids(pairs).first == "topScorer")
        // With the mean of the syllables' IDF, the text with more of the common words wins.
        var mean = pairs
        mean.pairSpecificity = 0
        #expect(try ids(mean).first == "scattered")
    }

    /// Proximity: two texts hold the same words as often, each word whole, at the same length;
    /// the one that says them in one sentence ("ưu đãi cho hợp tác xã") is about the subject,
    /// the one that names them in different paragraphs is not. Without the term they tie.
    @Test func wordsSaidTogetherRankAboveWordsSaidApart() throws {
        var documents = (0..<30).map { k in
            IndexDocument(id: "filler\(k)", seq: k + 1, hash: "f\(k)",
                          body: "Ủy ban nhân dân huyện họp bàn kế hoạch phát triển kinh tế, tin số \(k).",
                          metadata: DocumentMetadata(title: "Tin địa phương \(k)", kind: "news"))
        }
        let padding = "Các sở, ngành và địa phương tổ chức triển khai thực hiện nghiêm túc, báo cáo kết quả định kỳ hằng quý."
        documents.append(IndexDocument(id: "together", seq: 31, hash: "t",
                                       body: "Tỉnh ban hành chính sách ưu đãi cho hợp tác xã nông nghiệp mới. \(padding) \(padding)",
                                       metadata: DocumentMetadata(title: "Tin kinh tế", kind: "news")))
        documents.append(IndexDocument(id: "apart", seq: 32, hash: "a",
                                       body: "Tỉnh ban hành chính sách ưu đãi. \(padding) \(padding) Hợp tác xã nông nghiệp tổng kết.",
                                       metadata: DocumentMetadata(title: "Tin kinh tế", kind: "news")))
        let fixture = try TestIndex(documents: documents)
        let index = fixture.index
        func scores(_ ranking: Ranking) throws -> [String: Double] {
            let hits = try index.search(SearchRequest(query: "chinh sach uu dai hop tac xa", limit: 5), ranking: ranking).hits
            return Dictionary(uniqueKeysWithValues: hits.map { ($0.id, $0.score) })
        }
        let ranked = try scores(Ranking())
        #expect(ranked.keys.sorted() == ["apart", "together"])
        #expect(ranked["together", default: 0] > ranked["apart", default: 0] + 1)
        var without = Ranking()
        without.proximityWeight = 0
        let flat = try scores(without)
        #expect(abs(flat["together", default: 0] - flat["apart", default: 1]) < 0.01)
    }

    /// A word counts as a word: its syllables scattered over unrelated sentences ("đua" of a race,
    /// "thi" of "thi thoảng") do not make "thi đua", even when they cover the whole query; the
    /// text about "danh hiệu thi đua" wins though it lacks the common "cuối năm".
    @Test func aWordsSyllablesScatteredAreNotTheWord() throws {
        #expect(try index.readQuery("danh hiệu thi đua cuối năm").phrases.contains("thi đua"))
        let results = try search("danh hiệu thi đua cuối năm")
        #expect(results.hits.first?.id == "emulation")
        #expect(results.hits.map(\.id).contains("race"))
    }

    /// On the 200 documents of the sample corpus: the words of administration are read as
    /// words, with their accents.
    @Test(.enabled(if: Fixtures.hasSampleCorpus)) func readsWordsOfTheSampleCorpus() throws {
        let directory = TempDir("vanban-reading-sample").url
        defer { try? FileManager.default.removeItem(at: directory) }
        let index = try IndexConnection(directory: directory)
        let records = try Fixtures.sampleCorpusRecords()
        try index.write { writer in
            for (k, o) in records.enumerated() {
                try writer.apply(IndexDocument(id: "d\(k)", seq: k + 1, hash: "\(k)", body: o["text"] as? String ?? "",
                                               metadata: DocumentMetadata(title: o["title"] as? String)))
            }
        }
        let reading = try index.readQuery("thu tuc hanh chinh ngan sach nha nuoc")
        #expect(reading.restored == "thủ tục hành chính ngân sách nhà nước")
        #expect(reading.phrases.contains("thủ tục hành chính"))
        #expect(try index.readQuery("nghi dinh cua chinh phu").restored == "nghị định của chính phủ")
        #expect(try index.readQuery("bao hiem xa hoi").phrases == ["bảo hiểm xã hội"])
        // Two common words that are not one word stay apart.
        #expect(try !index.readQuery("nhà nước và").phrases.contains { $0.hasSuffix("và") })
    }

    @Test func capitalizedWordsAreOneName() throws {
        #expect(try index.readQuery("tranh chấp Đồng Tâm").phrases.contains("Đồng Tâm"))
    }

    // MARK: Synonyms

    @Test func abbreviationsFindTheWordsAndTheWordsTheAbbreviation() throws {
        let results = try search("bhxh một lần")
        #expect(results.hits.first?.id == "insurance")
        #expect(results.reading.synonyms == ["bhxh → bảo hiểm xã hội"])
        #expect(try index.readQuery("BHXH").synonyms == ["BHXH → bảo hiểm xã hội"])
    }

    @Test func everydayWordsFindTheWordsOfTheLaw() throws {
        let results = try search("rút bảo hiểm xã hội một lần")
        #expect(results.hits.map(\.id) == ["insurance"])
        #expect(results.reading.synonyms.contains("rút bảo hiểm xã hội → hưởng bảo hiểm xã hội"))
        // "+rút" opts out: the word itself must be there.
        #expect(try search("+rút bảo hiểm xã hội một lần").hits.isEmpty)
    }

    // MARK: Function words

    @Test func functionWordsAreMatchedWhenPresentNotRequired() throws {
        // The text says "sắp xếp thôn, tổ dân phố", without "các".
        let results = try search("hướng dẫn sắp xếp các thôn")
        #expect(results.hits.first?.id == "merge")
        #expect(results.reading.functionWords == ["các"])
        // Strict: every word, "các" too.
        let strict = try search("hướng dẫn sắp xếp các thôn", strict: true)
        #expect(strict.hits.isEmpty && strict.reading.functionWords.isEmpty)
        // Too few content words left, or the word is part of a synonym's span: required.
        #expect(try index.readQuery("các thôn").functionWords.isEmpty)
        #expect(try index.readQuery("chế độ về hưu").functionWords.isEmpty)
        // "cát" (sand) is a word, not "các".
        #expect(try index.readQuery("khai thác cát trái phép").functionWords.isEmpty)
    }

    @Test func frameWordsAreMatchedWhenPresentNotRequired() throws {
        var documents = [
            IndexDocument(id: "violence", seq: 1, hash: "v", body: "Bạo lực học đường gia tăng: học sinh bị bạn đánh ngay trong trường, phụ huynh lo về bạo lực học đường.",
                          metadata: DocumentMetadata(title: "Bạo lực học đường và nỗi lo của phụ huynh", kind: "news")),
            IndexDocument(id: "prevention", seq: 2, hash: "p", body: "Bộ ban hành kế hoạch phòng chống bạo lực học đường; các trường tổ chức phòng chống bạo lực học đường.",
                          metadata: DocumentMetadata(title: "Kế hoạch phòng chống bạo lực học đường", kind: "legal")),
            IndexDocument(id: "family", seq: 3, hash: "f", body: "Phát động phong trào phòng chống bạo lực gia đình, phòng chống tệ nạn xã hội.",
                          metadata: DocumentMetadata(title: "Phòng chống bạo lực gia đình", kind: "news")),
            IndexDocument(id: "storms", seq: 4, hash: "s", body: "Tỉnh triển khai phòng chống thiên tai, phòng chống lụt bão.",
                          metadata: DocumentMetadata(title: "Phòng chống lụt bão", kind: "news")),
        ]
        // Each syllable in other words too, as in a real archive: the statistics then join
        // "phòng chống", "bạo lực" and "học đường", not the five syllables into one word.
        for k in 0..<40 {
            let bodies = ["Phòng chống dịch bệnh, phòng chống cháy nổ, phòng chống ma túy ở xã số \(k).",
                          "Bạo lực gia đình, bạo lực gia đình và bạo lực gia đình ở xã số \(k).",
                          "Học sinh, học sinh giỏi và học sinh nghèo ở xã số \(k)."]
            for (n, body) in bodies.enumerated() {
                documents.append(IndexDocument(id: "other\(k)-\(n)", seq: 10 + 3 * k + n, hash: "o\(k)-\(n)", body: body,
                                               metadata: DocumentMetadata(title: "Tin xã số \(k)", kind: "news")))
            }
        }
        let fixture = try TestIndex(documents: documents)
        let index = fixture.index
        let results = try index.search(SearchRequest(query: "phong chong bao luc hoc duong", limit: 10))
        #expect(results.reading.frameWords == ["phòng chống"])
        // The text that never says "phòng chống" is found; the one that does ranks first.
        #expect(results.hits.map(\.id).prefix(2) == ["prevention", "violence"])
        let strict = try index.search(SearchRequest(query: "phong chong bao luc hoc duong", limit: 10, strict: true))
        #expect(strict.hits.map(\.id) == ["prevention"] && strict.reading.frameWords.isEmpty)
        // Too few content words left ("lụt" alone): required. Half a frame word is a word.
        #expect(try index.readQuery("phòng chống lụt").frameWords.isEmpty)
        #expect(try index.readQuery("chống bạo lực học đường").frameWords.isEmpty)
        // Quoted, it is required as typed.
        #expect(try index.readQuery("\"phòng chống\" bạo lực học đường").frameWords.isEmpty)
    }

    // MARK: Soft fallback

    @Test func fewMatchesFallBackToMostOfTheWords() throws {
        // One document says "sắp xếp thôn, tổ dân phố": none says "xóm" with it.
        let results = try search("sắp xếp thôn xóm tổ dân phố")
        #expect(results.reading.softMatch)
        #expect(results.hits.first?.id == "merge")
        #expect(results.reading.optionalWords.contains("xóm"))
        let strict = try search("sắp xếp thôn xóm tổ dân phố", strict: true)
        #expect(strict.hits.isEmpty && !strict.reading.softMatch && strict.reading.strict)
        // A required word is never the one dropped.
        #expect(try search("sắp xếp thôn +xóm tổ dân phố").hits.isEmpty)
        // Two words: nothing to fall back to.
        #expect(try search("thôn xóm").hits.isEmpty)
    }

    /// Two words of several syllables: the commoner may be missing, never the rarer one
    /// ("thực phẩm bẩn" is the subject; "tràn lan" alone is any spread of anything).
    @Test func ofTwoWordsOnlyTheCommonerIsDropped() throws {
        var bodies = Array(repeating: "Thực phẩm bẩn vẫn tràn lan ở các chợ.", count: 2)
        bodies += Array(repeating: "Cơ quan chức năng thu giữ thực phẩm bẩn tại chợ đầu mối.", count: 2)
        bodies += Array(repeating: "Hàng giả tràn lan trên mạng xã hội.", count: 4)
        bodies += (0..<20).map { "Ủy ban nhân dân huyện họp bàn kế hoạch phát triển kinh tế, tin số \($0)." }
        let fixture = try TestIndex(documents: bodies.enumerated().map { k, body in
            IndexDocument(id: k < 2 ? "both\(k)" : k < 4 ? "dirty\(k)" : k < 8 ? "spread\(k)" : "filler\(k)",
                          seq: k + 1, hash: "\(k)", body: body, metadata: DocumentMetadata(title: "Tin \(k)", kind: "news"))
        })
        let index = fixture.index
        for query in ["thực phẩm bẩn tràn lan", "thuc pham ban tran lan"] {
            let results = try index.search(SearchRequest(query: query, limit: 10))
            #expect(results.reading.phrases == ["thực phẩm bẩn", "tràn lan"], "\(query)")
            #expect(results.reading.softMatch && results.reading.optionalWords == ["tràn lan"], "\(query)")
            #expect(Set(results.hits.prefix(2).map(\.id)) == ["both0", "both1"], "\(query)")
            #expect(Set(results.hits.map(\.id)) == ["both0", "both1", "dirty2", "dirty3"], "\(query)")
            // --strict: both words.
            let strict = try index.search(SearchRequest(query: query, limit: 10, strict: true))
            #expect(Set(strict.hits.map(\.id)) == ["both0", "both1"], "\(query)")
        }
    }

    @Test func aNumberThatMatchesNothingIsDroppedLikeAWord() throws {
        // A title typed with a wrong number (or a scan whose number OCR misread): the text
        // is still found by its words; the number, quoted, must match.
        let results = try search("sắp xếp thôn tổ dân phố 99/2099/TT-BNV")
        #expect(results.hits.first?.id == "merge")
        #expect(results.reading.softMatch)
        #expect(results.reading.optionalWords.contains { $0.contains("2099") })
        #expect(try search("sắp xếp thôn tổ dân phố \"99/2099/TT-BNV\"").hits.isEmpty)
        #expect(try search("sắp xếp thôn tổ dân phố +99/2099/TT-BNV").hits.isEmpty)
    }

    @Test func hostileQueriesStayBounded() throws {
        let many = Array(repeating: "thon to dan pho cat giam", count: 10).joined(separator: " ")
        let results = try search(many)
        #expect(results.hits.count <= 20)
        let nfd = try search("cat giam thu tuc hanh chinh".decomposedStringWithCanonicalMapping)
        #expect(nfd.hits.first?.id == "cut")
        // Exclusions and OR groups are read without restoring what they contain.
        #expect(try search("thu tuc -cat").hits.map(\.id) == [])
        #expect(try search("(cat OR giam) thu tuc").hits.count == 2)
    }
}

/// Close readings checked against the documents: the pair model alone prefers "đón thủ" (as in
/// "đón Thủ tướng", common here), the documents about "tiếp dân" say "đơn thư".
@Suite struct ReadingsCheckedAgainstDocumentsTests {
    let index: IndexConnection

    init() throws {
        var bodies = Array(repeating: "Lãnh đạo tỉnh đón Thủ tướng tại sân bay.", count: 6)
        bodies += Array(repeating: "Các đơn vị triển khai kế hoạch.", count: 4)
        bodies += Array(repeating: "Công tác tiếp dân và giải quyết đơn thư khiếu nại của công dân.", count: 3)
        index = try IndexConnection(directory: TempDir("vanban-reading-check").url)
        try index.write { writer in
            for (k, body) in bodies.enumerated() {
                try writer.apply(IndexDocument(id: "d\(k)", seq: k + 1, hash: "\(k)", body: body,
                                               metadata: DocumentMetadata(title: "Tin \(k)", kind: "news")))
            }
            try writer.setAppliedSequence(bodies.count)
        }
    }

    @Test func theDocumentsDecideBetweenCloseReadings() throws {
        #expect(try index.readQuery("tiep dan va don thu").restored == "tiếp dân và đơn thư")
        #expect(try index.readQuery("don thu tuong").restored == "đón thủ tướng")
        let results = try index.search(SearchRequest(query: "tiep dan va don thu", limit: 5))
        #expect(results.hits.count == 3)
    }
}
