import DocumentModel
import Foundation
import Testing
import TestSupport
@testable import Extraction

@Suite struct DocumentNumberTests {
    @Test(arguments: [
        ("45/2010/NĐ-CP", "45/2010/nd-cp"), ("45/2010/nd-cp", "45/2010/nd-cp"), ("45 / 2010 / NĐ - CP", "45/2010/nd-cp"),
        ("45/2010/NĐ\u{2013}CP", "45/2010/nd-cp"), ("45/2010/NĐ\u{2212}CP", "45/2010/nd-cp"), ("45/2010/NĐ\u{FF0D}CP", "45/2010/nd-cp"),
        ("5632/QĐ-UBND", "5632/qd-ubnd"), ("58-NQ/TW", "58-nq/tw"), ("13/NQ-CP", "13/nq-cp"), ("51/2024/QH15", "51/2024/qh15"),
        ("13/VBHN-BTC", "13/vbhn-btc"), ("05/BNV-VP", "5/bnv-vp"), ("13/2015/TT- BVHTTDL", "13/2015/tt-bvhttdl"),
        ("36/2006/CT-TTG", "36/2006/ct-ttg"), ("1950/QĐ-TTg", "1950/qd-ttg"),
    ])
    func everyFormHasOneKey(written: String, key: String) throws {
        let number = try #require(DocumentNumber.parse(written), "\(written)")
        #expect(number.key == key)
    }

    @Test func findsNumbersInRunningTextButNotDates() {
        let text = "Căn cứ Nghị định số 45/2010/NĐ-CP ngày 21/4/2010; Nghị quyết số 58-NQ/TW ngày 05/8/2020 và văn bản 05/BNV-VP."
        let found = DocumentNumber.find(in: text).map(\.number.key)
        #expect(found == ["45/2010/nd-cp", "58-nq/tw", "5/bnv-vp"])
        // The byte range is the number as written.
        let first = DocumentNumber.find(in: text)[0]
        #expect(String(decoding: Array(text.utf8)[first.range], as: UTF8.self) == "45/2010/NĐ-CP")
        // Not numbers: dates, fractions, a symbol in lower case in a document's own text.
        #expect(DocumentNumber.find(in: "ngày 21/4/2010, tỷ lệ 1/2, mã 45/abc").isEmpty)
        #expect(DocumentNumber.parse("45/2010") == nil)
        #expect(DocumentNumber.parse("") == nil)
        #expect(DocumentNumber.parse("Thanh Hóa") == nil)
    }

    @Test func typesFromSymbols() throws {
        #expect(OfficialTypes.type(ofSymbol: try #require(DocumentNumber.parse("45/2010/NĐ-CP")).symbol) == "Nghị định")
        #expect(OfficialTypes.type(ofSymbol: try #require(DocumentNumber.parse("51/2024/QH15")).symbol) == "Luật")
        #expect(OfficialTypes.type(ofSymbol: try #require(DocumentNumber.parse("13/VBHN-BTC")).symbol) == "Văn bản hợp nhất")
        #expect(OfficialTypes.type(ofSymbol: try #require(DocumentNumber.parse("05/BNV-VP")).symbol) == "Công văn")
        #expect(OfficialTypes.issuer(ofSymbol: try #require(DocumentNumber.parse("5/2020/TT-BTC")).symbol) == "BỘ TÀI CHÍNH")
    }
}

@Suite struct OfficialTextTests {
    static func seed(_ name: String) throws -> String {
        try String(contentsOf: Fixtures.seeds.appendingPathComponent(name), encoding: .utf8)
    }

    /// The joint agreement of seed 001 (Markdown in a .txt, no number, two signers), field by field.
    @Test func seed001JointAgreement() throws {
        let text = try Self.seed("001_f06a74d7aed0fe0b.txt")
        let o = OfficialText.read(text)
        #expect(o.type == "Chương trình phối hợp")
        #expect(o.number == nil)
        #expect(o.subject == "công tác truyền thông giữa Sở Thông tin và Truyền thông và Hiệp Hội Doanh nghiệp tỉnh Thanh Hóa")
        #expect(o.derivedTitle == "Chương trình phối hợp công tác truyền thông giữa Sở Thông tin và Truyền thông và Hiệp Hội Doanh nghiệp tỉnh Thanh Hóa")
        #expect(o.issuers == ["SỞ THÔNG TIN VÀ TRUYỀN THÔNG", "HIỆP HỘI DOANH NGHIỆP TỈNH"])
        #expect(o.signers.map(\.name) == ["Đỗ Hữu Quyết", "Cao Tiên Đoàn"])
        #expect(o.signers.map(\.position) == ["GIÁM ĐỐC", "CHỦ TỊCH"])
        #expect(o.effectiveOnSigning)
        #expect(o.issued == nil, "the agreement is not dated; a cited decree's date is not its date")
        #expect(o.recipients.count == 13)
        #expect(o.recipients.first == "Bộ Thông tin và Truyền thông (để b/c)")
        #expect(o.recipients.last == "Lưu: Văn phòng Sở TT&TT và HHDN")
        #expect(o.bases.map { $0.number?.text } == ["45/2010/NĐ-CP", "03/2013/TT-BNV", "5632/QĐ-UBND", "26/2022/QĐ-UBND"])
        #expect(o.citations.contains { $0.number.key == "58-nq/tw" && $0.relation == .mentions })
        #expect(o.citations.filter { $0.relation == .bases }.map(\.number.key).contains("33/2012/nd-cp"))
        // Structure: chapters with their titles, nine articles, Điều 8 exactly as written.
        let articles = o.outline.filter { $0.level == .article }
        #expect(articles.map(\.label) == (1...9).map(String.init))
        #expect(o.outline.first?.title == "Chương I. QUY ĐỊNH CHUNG")
        #expect(o.outline.contains { $0.title == "Chương II. CÁC NỘI DUNG PHỐI HỢP" })
        let eight = try #require(o.article("8"))
        #expect(eight.title == "Điều 8. Chế độ thông tin, báo cáo")
        let slice = String(decoding: Array(text.utf8)[eight.start..<eight.end], as: UTF8.self)
        #expect(slice.contains("Định kỳ 6 tháng (trước ngày 10/7)"))
        #expect(!slice.contains("Điều 9"))
        // The last article stops where the signatures start.
        let nine = try #require(o.article("9"))
        #expect(!String(decoding: Array(text.utf8)[nine.start..<nine.end], as: UTF8.self).contains("Đỗ Hữu Quyết"))
    }

    /// News pages (seeds 002-004) are not official texts: no attributes, even with a licence
    /// number or a dateline in them.
    @Test func newsPagesHaveNoAttributes() throws {
        for name in ["002_c131465e5c03bbba.txt", "003_4860862a9c49c086.txt", "004_78017ee27995344c.txt"] {
            let o = OfficialText.read(try Self.seed(name))
            #expect(!o.isOfficial, "\(name)")
            #expect(o.issued == nil && o.type == nil && o.signers.isEmpty, "\(name)")
        }
    }

    @Test func relationsReadFromTheClause() {
        let text = """
            CHÍNH PHỦ
            Số: 12/2026/NĐ-CP
            Hà Nội, ngày 10 tháng 3 năm 2026
            NGHỊ ĐỊNH
            Sửa đổi, bổ sung một số điều của Nghị định số 70/2015/NĐ-CP
            Căn cứ Luật Tổ chức Chính phủ số 63/2025/QH15;
            Điều 1. Sửa đổi, bổ sung khoản 2 Điều 8 của Nghị định số 70/2015/NĐ-CP như sau:
            Điều 2. Bãi bỏ Điều 5 của Thông tư số 11/2019/TT-BTC.
            Điều 3. Hiệu lực thi hành
            Nghị định này có hiệu lực thi hành kể từ ngày 01 tháng 7 năm 2026 và thay thế Nghị định số 99/2010/NĐ-CP.
            Quyết định số 55/QĐ-TTg hết hiệu lực kể từ ngày Nghị định này có hiệu lực.
            Luật số 32/2013/QH13 đã được sửa đổi, bổ sung bởi Luật số 46/2014/QH13.
            Thông tư này hướng dẫn Nghị định số 80/2020/NĐ-CP.
            """
        let o = OfficialText.read(text)
        #expect(o.type == "Nghị định" && o.number?.text == "12/2026/NĐ-CP")
        #expect(o.issued == "2026-03-10" && o.place == "Hà Nội" && o.effective == "2026-07-01")
        #expect(o.issuers == ["CHÍNH PHỦ"])
        #expect(o.subject == "Sửa đổi, bổ sung một số điều của Nghị định số 70/2015/NĐ-CP")
        let by = Dictionary(uniqueKeysWithValues: o.citations.map { ($0.number.key, $0) })
        #expect(by["63/2025/qh15"]?.relation == .bases)
        #expect(by["70/2015/nd-cp"]?.relation == .amends)
        #expect(by["70/2015/nd-cp"]?.scope == "khoản 2 Điều 8")
        #expect(by["11/2019/tt-btc"]?.relation == .repeals)
        #expect(by["11/2019/tt-btc"]?.scope == "Điều 5")
        #expect(by["99/2010/nd-cp"]?.relation == .replaces)
        #expect(by["55/qd-ttg"]?.relation == .repeals)
        // The passive describes a third text: only mentioned here.
        #expect(by["46/2014/qh13"]?.relation == .mentions)
        #expect(by["80/2020/nd-cp"]?.relation == .guides)
        #expect(by["12/2026/nd-cp"] == nil, "its own number is not a citation")
    }

    /// NFD text and tone-mark variants read the same.
    @Test func nfdHeaderReadsTheSame() {
        let text = "BỘ TÀI CHÍNH\nSố: 05/2020/TT-BTC\nHà Nội, ngày 5 tháng 1 năm 2020\nTHÔNG TƯ\nHướng dẫn quản lý thuế\nCăn cứ Luật Quản lý thuế;\n"
        let nfc = OfficialText.read(text)
        let nfd = OfficialText.read(text.decomposedStringWithCanonicalMapping)
        #expect(nfc.type == "Thông tư" && nfc.number?.key == "5/2020/tt-btc" && nfc.issued == "2020-01-05")
        #expect(nfd.type == nfc.type && nfd.number == nfc.number && nfd.issued == nfc.issued && nfd.place == "Hà Nội")
        #expect(OfficialText.read("").isOfficial == false)
    }

    /// A gazette page header names the body, then the text's own header names it again,
    /// broken over two lines (Công báo, Thông tư 02/2025/TT-BLĐTBXH): one issuer, once.
    @Test func gazettePageHeaderOverTheTextsOwnHeader() {
        let text = "2\nCÔNG BÁO/Số 233 + 234/Ngày 02-02-2025\n\nVĂN BẢN QUY PHẠM PHÁP LUẬT\nBỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI\n\n"
            + "BỘ LAO ĐỘNG - THƯƠNG BINH\nVÀ XÃ HỘI\n\nSố: 02/2025/TT-BLĐTBXH\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
            + "Độc lập - Tự do - Hạnh phúc\n\nHà Nội, ngày 10 tháng 01 năm 2025\nTHÔNG TƯ\n"
            + "Quy định Chế độ báo cáo thống kê Ngành Lao động - Thương binh và Xã hội\n\nCăn cứ Luật Thống kê ngày 23/11/2015;\n"
        let o = OfficialText.read(text)
        #expect(o.issuers == ["BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI"])
        #expect(o.type == "Thông tư" && o.number?.text == "02/2025/TT-BLĐTBXH" && o.issued == "2025-01-10")
        // Two different bodies stay two.
        #expect(HeaderReader.undoubled("BỘ Y TẾ BỘ TÀI CHÍNH") == "BỘ Y TẾ BỘ TÀI CHÍNH")
        #expect(HeaderReader.undoubled("BỘ Y TẾ BỘ Y TẾ") == "BỘ Y TẾ")
    }

    /// The corpus sample's gazette texts, against the corpus's own labels: the reader finds the
    /// type, the number of the title and the date for nearly all of them.
    @Test(.enabled(if: Fixtures.hasSampleCorpus)) func corpusSampleGazetteTexts() throws {
        let legal = try Fixtures.sampleCorpusRecords().filter { ($0["kind"] as? String) == "legal" }
        #expect(legal.count >= 20)
        var typeOK = 0, numberOK = 0, numbered = 0, dateOK = 0
        for record in legal {
            let text = record["text"] as? String ?? ""
            let o = OfficialText.read(text)
            let label = (record["doc_type"] as? String ?? "")
            let want = ["VB HN": "Văn bản hợp nhất", "NQ": "Nghị quyết"][label] ?? label
            if o.type == want { typeOK += 1 }
            let title = record["title"] as? String ?? ""
            if let r = title.range(of: " số "), title.distance(from: title.startIndex, to: r.lowerBound) < 40,
               let n = DocumentNumber.find(in: String(title[r.upperBound...])).first?.number {
                numbered += 1
                if o.number?.key == n.key { numberOK += 1 }
            }
            if o.issued == record["date"] as? String { dateOK += 1 }
            #expect(o.isOfficial, "\(record["id"] ?? "")")
        }
        #expect(Double(typeOK) >= 0.9 * Double(legal.count), "type \(typeOK)/\(legal.count)")
        #expect(Double(numberOK) >= 0.95 * Double(numbered), "number \(numberOK)/\(numbered)")
        #expect(Double(dateOK) >= 0.85 * Double(legal.count), "issued \(dateOK)/\(legal.count)")
    }
}
