import DocumentModel
import Foundation
import TestSupport
@testable import SearchIndex

/// A fresh index in a temporary directory, filled with the five seed documents and a few
/// small documents built for the accent rules. Removed when the value is deinitialised.
final class TestIndex {
    let directory: URL
    let index: IndexConnection

    /// The five seeds: (id, title, kind, source, date, text).
    static func seeds() throws -> [IndexDocument] {
        return try Fixtures.seedFiles().enumerated().map { k, url in
            let file = url.lastPathComponent
            let text = try String(contentsOf: url, encoding: .utf8)
            let title = text.split(separator: "\n").first { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
                .map { $0.replacingOccurrences(of: "**", with: "").trimmingCharacters(in: .whitespaces) }
            return IndexDocument(id: "seed\(k)", seq: k + 1, hash: "h\(k)", body: text, metadata: DocumentMetadata(key: file, title: title, source: k == 1 ? "Sở Thông tin và Truyền thông Thanh Hóa" : "báo điện tử", kind: k == 1 ? "agreement" : "news", date: "2022-0\(k + 1)-15"))
        }
    }

    /// Small documents for the accent rules, numbered after the seeds.
    static let extras: [IndexDocument] = [
        IndexDocument(id: "hoa-peace", seq: 10, hash: "x1", body: "Hòa bình, hòa hợp dân tộc.", metadata: DocumentMetadata(title: "Hòa bình và hợp tác", source: "Báo Nhân Dân", kind: "news", date: "2020-01-01")),
        IndexDocument(id: "hoa-chem", seq: 11, hash: "x2", body: "Ngành hoá chất và công nghiệp hoá.", metadata: DocumentMetadata(title: "Công nghiệp hóa chất", source: "Bộ Công Thương", kind: "legal", date: "2021-05-05")),
        IndexDocument(id: "danang", seq: 12, hash: "x3", body: "Thành phố Đà Nẵng đón khách.", metadata: DocumentMetadata(title: "Đà Nẵng phát triển du lịch", source: "Báo Đà Nẵng", kind: "news", date: "2023-03-03")),
        IndexDocument(id: "nfd", seq: 13, hash: "x4", body: "Ủy ban nhân dân tỉnh Khánh Hòa ban hành quy định về thuỷ lợi.".decomposedStringWithCanonicalMapping, metadata: DocumentMetadata(title: "Quyết định về thủy lợi".decomposedStringWithCanonicalMapping, source: "UBND Khánh Hòa", kind: "legal", date: "2024-07-01")),
        IndexDocument(id: "xss", seq: 14, hash: "x5", body: "Văn bản có <b>thẻ</b> & ký tự đặc biệt \"quote\" 'apos'.", metadata: DocumentMetadata(title: "<script>alert(1)</script>", kind: "news", date: "2019-01-01")),
    ]

    init(documents: [IndexDocument]? = nil) throws {
        directory = TempDir("vanban-index-test").url
        index = try IndexConnection(directory: directory)
        let docs = try documents ?? (Self.seeds() + Self.extras)
        try index.write { writer in
            for doc in docs { try writer.apply(doc) }
            try writer.setAppliedSequence(docs.map(\.seq).max() ?? 0)
        }
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    func ids(_ query: String, limit: Int = 20, filters: Filters = Filters(), sort: SearchSort = .relevance) throws -> [String] {
        try index.search(SearchRequest(query: query, limit: limit, filters: filters, sort: sort)).hits.map(\.id)
    }
}
