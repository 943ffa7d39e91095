import Foundation
import Testing
@testable import VanBanKit

/// Official texts through the facade: derived attributes in search hits and `documentView`,
/// number queries, the citation graph with late resolution, validity status transitions, the
/// article view, and reindex giving the same fields.
@Suite struct OfficialTextsTests {
    /// A decree, written as offices write them.
    static func decree(_ number: String, date: (Int, Int, Int), subject: String, body: String, effective: String? = nil) -> String {
        """
        CHÍNH PHỦ
        Số: \(number)
        CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
        Độc lập - Tự do - Hạnh phúc
        Hà Nội, ngày \(date.2) tháng \(date.1) năm \(date.0)
        NGHỊ ĐỊNH
        \(subject)
        Căn cứ Luật Tổ chức Chính phủ số 63/2025/QH15;
        Điều 1. Phạm vi điều chỉnh
        Nghị định này quy định về quản lý hội và tổ chức hội.
        Điều 2. Quy định sửa đổi
        \(body)
        Điều 3. Hiệu lực thi hành
        Nghị định này có hiệu lực thi hành kể từ ngày \(effective ?? "01 tháng 7 năm \(date.0)").
        TM. CHÍNH PHỦ
        THỦ TƯỚNG
        Nguyễn Văn An
        """
    }

    func importText(_ library: Library, _ text: String, key: String) throws -> String {
        var id = ""
        let summary = try library.importDocuments([.payload(ImportPayload(name: key, bytes: Array(text.utf8), metadata: DocumentMetadata(key: key)))]) {
            id = $0.id ?? ""
        }
        #expect(summary.imported == 1 && summary.warnings.isEmpty, "\(summary.warnings)")
        return id
    }

    @Test func statusFollowsLaterTextsAndEdgesResolveLate() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let library = try openLibrary(dir)
        // An amending decree arrives first: its edge to 45/2010 stays a bare number.
        let amending = try importText(library, Self.decree(
            "33/2012/NĐ-CP", date: (2012, 4, 13), subject: "Sửa đổi, bổ sung một số điều của Nghị định số 45/2010/NĐ-CP",
            body: "Sửa đổi, bổ sung khoản 2 Điều 8 của Nghị định số 45/2010/NĐ-CP như sau: ..."), key: "nd-33")
        var view = try library.documentView(idOrKey: amending)
        let edge = try #require(view.outgoing.first { $0.number == "45/2010/NĐ-CP" })
        #expect(edge.relation == "amends" && edge.documentID == nil && edge.scope == "khoản 2 Điều 8")
        // The decree itself arrives: the edge resolves without a reindex, and the decree is amended.
        let base = try importText(library, Self.decree(
            "45/2010/NĐ-CP", date: (2010, 4, 21), subject: "Quy định về tổ chức, hoạt động và quản lý hội",
            body: "Giữ nguyên."), key: "nd-45")
        view = try library.documentView(idOrKey: amending)
        #expect(view.outgoing.first { $0.number == "45/2010/NĐ-CP" }?.documentID == base)
        var decree = try library.documentView(idOrKey: base)
        #expect(decree.metadata.type == "Nghị định" && decree.metadata.number == "45/2010/NĐ-CP")
        #expect(decree.metadata.issued == "2010-04-21" && decree.metadata.effective == "2010-07-01")
        #expect(decree.metadata.issuer == "CHÍNH PHỦ" && decree.metadata.signers == "Nguyễn Văn An")
        #expect(decree.status == .amended)
        #expect(decree.incoming.contains { $0.relation == "amended_by" && $0.documentID == amending })
        #expect(decree.statusEvidence.count == 1)
        // A later decree replaces it: no longer in force.
        let replacing = try importText(library, Self.decree(
            "126/2024/NĐ-CP", date: (2024, 10, 8), subject: "Quy định về tổ chức, hoạt động và quản lý hội",
            body: "Nghị định này thay thế Nghị định số 45/2010/NĐ-CP và Nghị định số 33/2012/NĐ-CP."), key: "nd-126")
        decree = try library.documentView(idOrKey: base)
        #expect(decree.status == .repealed)
        #expect(decree.incoming.contains { $0.relation == "replaced_by" && $0.documentID == replacing })
        // A text that takes effect in the future is not yet in force.
        let future = try importText(library, Self.decree(
            "9/2099/NĐ-CP", date: (2099, 1, 2), subject: "Quy định thử", body: "Không."), key: "nd-future")
        #expect(try library.documentView(idOrKey: future).status == .notYetInForce)
        #expect(try library.documentView(idOrKey: replacing).status == .inForce)

        // Queries over the graph and the attributes.
        func ids(_ q: String) throws -> [String] { try library.search(SearchRequest(query: q, limit: 20)).hits.map(\.id) }
        #expect(Set(try ids("cites:45/2010/nd-cp")) == [amending, replacing])
        #expect(try ids("replaces:45/2010/NĐ-CP") == [replacing])
        #expect(try ids("amends:45/2010/NĐ-CP") == [amending])
        // 126/2024 replaces both the decree and the one that amended it.
        #expect(Set(try ids("status:het-hieu-luc")) == [base, amending])
        #expect(Set(try ids("status:\"hết hiệu lực\"")) == [base, amending])
        #expect(try ids("status:con-hieu-luc") == [replacing])
        #expect(try ids("number:45/2010/NĐ-CP") == [base])
        #expect(Set(try ids("type:nd year:2012")) == [amending])
        #expect(Set(try ids("signer:\"nguyen van an\" hội")).isSuperset(of: [base, amending]))
        #expect(throws: QueryError.self) { try library.search(SearchRequest(query: "status:khong-ro")) }
        // The graph as text for Graphviz names both ends.
        let dot = GraphJSON.dot(try library.documentView(idOrKey: base))
        #expect(dot.contains("digraph") && dot.contains("bị thay thế bởi") == false && dot.contains("thay thế"))
    }

    /// "nghị định 45/2010" and its variants find the decree itself first, ahead of the texts
    /// that cite it (which mention the number more often).
    @Test func numberQueriesRankTheTextItselfFirst() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let library = try openLibrary(dir)
        let base = try importText(library, Self.decree(
            "45/2010/NĐ-CP", date: (2010, 4, 21), subject: "Quy định về tổ chức, hoạt động và quản lý hội", body: "Giữ nguyên."), key: "nd-45")
        for k in 0..<3 {
            _ = try importText(library, "Tin tức \(k): Nghị định 45/2010/NĐ-CP về hội. Theo Nghị định số 45/2010/NĐ-CP, nghị định 45/2010 quy định ...", key: "tin-\(k)")
        }
        _ = try importText(library, Self.decree(
            "45/2015/NĐ-CP", date: (2015, 5, 6), subject: "Quy định về hoạt động đo đạc", body: "Không."), key: "nd-45-2015")
        for q in ["45/2010/NĐ-CP", "45/2010/nd-cp", "45/2010", "nđ 45/2010", "nghị định 45/2010", "nghi dinh 45/2010",
                  "NĐ-CP 45/2010", "45 / 2010 / NĐ - CP"] {
            let results = try library.search(SearchRequest(query: q))
            #expect(results.hits.first?.id == base, "\(q)")
            #expect(results.hits.first?.numberMatch == true, "\(q)")
        }
        // "nghi dinh so 45": two decrees numbered 45; the newest first, both before the news.
        let so45 = try library.search(SearchRequest(query: "nghi dinh so 45")).hits
        #expect(so45.count >= 2 && so45[0].numberMatch && so45[1].numberMatch)
        // A year is not a number: "luật 2024" is an ordinary query.
        #expect(try library.search(SearchRequest(query: "nghị định 2010")).hits.allSatisfy { !$0.numberMatch })
    }

    @Test func articleViewAndHitLocationAndReindexGiveTheSameFields() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let library = try openLibrary(dir)
        let seed = try Fixtures.seedFiles().first { $0.lastPathComponent.hasPrefix("001_") }!
        _ = try library.importDocuments([.path(seed.path)])
        let id = try library.allCurrentRecords()[0].id
        let view = try library.documentView(idOrKey: id)
        let eight = try #require(view.article("8"))
        #expect(eight.title == "Điều 8. Chế độ thông tin, báo cáo")
        #expect(eight.text.hasPrefix("### **Điều 8. Chế độ thông tin, báo cáo**"))
        #expect(eight.text.contains("Định kỳ 6 tháng") && !eight.text.contains("Điều 9"))
        #expect(view.article("99") == nil)
        #expect(view.metadata.title == "Chương trình phối hợp công tác truyền thông giữa Sở Thông tin và Truyền thông và Hiệp Hội Doanh nghiệp tỉnh Thanh Hóa",
                "a document imported without a title gets '<type> <number> <subject>'")
        // A hit says which article it matched in.
        let hit = try #require(try library.search(SearchRequest(query: "\"rà soát kết quả phối hợp\"")).hits.first)
        #expect(hit.location == "Điều 8. Chế độ thông tin, báo cáo")
        #expect(hit.metadata.type == "Chương trình phối hợp")
        // Reindex: the same derived fields and edges.
        let before = try library.search(SearchRequest(query: "type:\"chương trình phối hợp\"")).hits.map(\.metadata)
        _ = try library.reindex()
        let after = try library.search(SearchRequest(query: "type:\"chương trình phối hợp\"")).hits.map(\.metadata)
        #expect(before == after && before.count == 1)
        #expect(try library.documentView(idOrKey: id).outgoing == view.outgoing)
    }

    /// An agreement and a news article about it both have "chương trình phối hợp truyền thông"
    /// in their titles; the short news page scores higher on BM25 alone. The official text
    /// ranks first; without the boost it would not.
    @Test func anOfficialTextRanksAboveTheNewsAboutIt() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let library = try openLibrary(dir)
        let agreement = try String(contentsOf: try Fixtures.seedFiles().first { $0.lastPathComponent.hasPrefix("001_") }!, encoding: .utf8)
        let news = "Ký chương trình phối hợp truyền thông\n\nSở Thông tin và Truyền thông và Hiệp hội Doanh nghiệp ký chương trình phối hợp truyền thông."
        var ids: [String: String] = [:]
        for (key, text, title) in [("ctph", agreement, "Chương trình phối hợp truyền thông giữa Sở và Hiệp hội"),
                                   ("tin", news, "Ký chương trình phối hợp truyền thông")] {
            try library.importDocuments([.payload(ImportPayload(name: key, bytes: Array(text.utf8),
                                                                  metadata: DocumentMetadata(key: key, title: title)))]) { ids[key] = $0.id }
        }
        let query = SearchRequest(query: "chuong trinh phoi hop truyen thong")
        var plain = Ranking()
        plain.officialTextBoost = 1
        #expect(try library.search(query, ranking: plain).hits.first?.id == ids["tin"], "BM25 alone prefers the short news page")
        #expect(try library.search(query).hits.first?.id == ids["ctph"])
    }
}
