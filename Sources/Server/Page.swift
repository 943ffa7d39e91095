import Foundation
import Hummingbird
import VanBanKit

/// What the search page's form holds (from the query string).
struct SearchForm: Sendable {
    var q: String
    var source: String
    var kind: String
    var from: String
    var to: String
    var sort: SearchSort
    var page: Int
    /// Every word must match (the page's "chỉ văn bản có đủ mọi từ" link).
    var strict: Bool
    /// Reposts collapsed into their best hit (off with `collapse=0`: the "N bài tương tự" link).
    var collapse: Bool

    init(_ query: QueryString) {
        func value(_ name: String) -> String { (query[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        q = String(String.UnicodeScalarView((query["q"] ?? "").unicodeScalars.prefix(QueryParser.maxQueryCharacters)))
        source = String(value("source").prefix(200))
        kind = String(value("kind").prefix(200))
        from = String(value("from").prefix(20))
        to = String(value("to").prefix(20))
        sort = SearchSort(rawValue: value("sort").lowercased()) ?? .relevance
        page = max(1, min(Int(value("page")) ?? 1, 10_000))
        strict = ["1", "true", "on"].contains(value("strict").lowercased())
        collapse = !["0", "false", "off"].contains(value("collapse").lowercased())
    }

    /// True when there is something to search for (words or a filter).
    var isSearch: Bool {
        !q.trimmingCharacters(in: .whitespaces).isEmpty || !source.isEmpty || !kind.isEmpty || !from.isEmpty || !to.isEmpty
    }

    func request(pageSize: Int) -> SearchRequest {
        let offset = min((page - 1) * pageSize, SearchRequest.maxOffset)
        return SearchRequest(query: q, limit: pageSize, offset: offset,
                             filters: Filters(sources: source.isEmpty ? [] : [source], kinds: kind.isEmpty ? [] : [kind],
                                              from: from.isEmpty ? nil : from, to: to.isEmpty ? nil : to),
                             sort: sort, strict: strict, collapse: collapse, facets: true)
    }

    /// The page's URL for another page of the same search (`strict` to change that flag).
    func url(page: Int, strict: Bool? = nil, collapse: Bool? = nil) -> String {
        var pairs: [(String, String)] = [("q", q)]
        if !source.isEmpty { pairs.append(("source", source)) }
        if !kind.isEmpty { pairs.append(("kind", kind)) }
        if !from.isEmpty { pairs.append(("from", from)) }
        if !to.isEmpty { pairs.append(("to", to)) }
        if sort != .relevance { pairs.append(("sort", sort.rawValue)) }
        if page > 1 { pairs.append(("page", String(page))) }
        if strict ?? self.strict { pairs.append(("strict", "1")) }
        if !(collapse ?? self.collapse) { pairs.append(("collapse", "0")) }
        return "/?" + PercentEncoding.query(pairs)
    }
}

/// The HTML pages. Every string that comes from a document or a request goes through `esc`.
enum Page {
    /// Scripts only from this site (the as-you-type helper), styles inline, nothing else.
    static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

    /// HTML escaping for text and attribute values.
    static func esc(_ s: String) -> String { HTMLEscaping.escape(s) }

    /// Vietnamese names for the kinds VanBan's importers use; other kinds show as stored.
    static let kindNames: [String: String] = [
        "legal": "Văn bản pháp luật", "news": "Tin tức", "agreement": "Chương trình phối hợp",
        "decree": "Nghị định", "decision": "Quyết định", "resolution": "Nghị quyết", "circular": "Thông tư",
        "announcement": "Thông báo", "press": "Thông cáo báo chí", "plan": "Kế hoạch", "report": "Báo cáo",
        "directive": "Chỉ thị", "law": "Luật",
    ]

    static func kindName(_ kind: String) -> String { kindNames[kind.lowercased()] ?? kind }

    /// 12345 -> "12.345" (Vietnamese digit grouping).
    static func number(_ n: Int) -> String {
        let digits = String(abs(n))
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += "." }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// 3.25 -> "3,3" (Vietnamese decimal comma).
    static func milliseconds(_ ms: Double) -> String {
        String(format: ms < 10 ? "%.1f" : "%.0f", ms).replacingOccurrences(of: ".", with: ",")
    }

    /// "2024-03-15" -> "15/03/2024"; other values unchanged.
    static func date(_ s: String?) -> String? {
        guard let s, !s.isEmpty else { return nil }
        let parts = s.split(separator: "-")
        if parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2 { return "\(parts[2])/\(parts[1])/\(parts[0])" }
        if parts.count == 2, parts[0].count == 4, parts[1].count == 2 { return "\(parts[1])/\(parts[0])" }
        return s
    }

    static func head(title: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="vi">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer">
        <title>\(esc(title))</title>
        <link rel="icon" href="data:,">
        <style>\(style)</style>
        </head>
        """
    }

    static let style = """
        :root{--fg:#1d2228;--muted:#5b6470;--line:#d9dde3;--accent:#0b5cad;--mark:#ffe58a;--bg:#fff;--soft:#f4f6f8}
        *{box-sizing:border-box}
        body{margin:0;font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",Arial,sans-serif;color:var(--fg);background:var(--bg)}
        a{color:var(--accent)}
        header.top{border-bottom:1px solid var(--line);background:var(--soft)}
        .wrap{max-width:52rem;margin:0 auto;padding:0 1rem}
        header.top .wrap{padding-top:.8rem;padding-bottom:.8rem}
        .brand{font-weight:700;font-size:1.25rem;text-decoration:none;color:var(--fg)}
        .brand small{font-weight:400;color:var(--muted);font-size:.9rem;margin-left:.4rem}
        form.search{margin:.8rem 0 0}
        .bar{display:flex;gap:.5rem}
        .bar input{flex:1;min-width:0;font-size:1.05rem;padding:.55rem .7rem;border:1px solid #9aa3ad;border-radius:.4rem}
        .bar input:focus{outline:2px solid var(--accent);outline-offset:1px}
        button{font-size:1rem;padding:.55rem 1rem;border:0;border-radius:.4rem;background:var(--accent);color:#fff;cursor:pointer}
        details.filters{margin-top:.5rem}
        details.filters summary{cursor:pointer;color:var(--muted);font-size:.95rem}
        .grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(10.5rem,1fr));gap:.5rem .8rem;margin-top:.5rem}
        .grid label{display:flex;flex-direction:column;font-size:.85rem;color:var(--muted)}
        .grid input,.grid select{font-size:1rem;padding:.35rem .45rem;border:1px solid #9aa3ad;border-radius:.3rem;background:#fff;color:var(--fg)}
        main{padding-bottom:3rem}
        .summary{color:var(--muted);margin:1rem 0 .5rem;font-size:.95rem}
        .reading{color:var(--muted);margin:0 0 .75rem;font-size:.9rem;line-height:1.5}.reading .restored{color:var(--fg, inherit)}
        .error{background:#fdecea;border:1px solid #f5c2bd;color:#8a1c12;padding:.6rem .8rem;border-radius:.4rem;margin:1rem 0}
        ol.hits{list-style:none;margin:0;padding:0}
        li.hit{padding:.8rem 0;border-bottom:1px solid var(--line)}
        li.hit h2{font-size:1.08rem;margin:0 0 .15rem;line-height:1.35;overflow-wrap:anywhere}
        li.hit h2 a{text-decoration:none}
        li.hit h2 a:hover{text-decoration:underline}
        .meta{color:var(--muted);font-size:.85rem}
        .meta span+span::before{content:" · "}
        .snippet{margin:.3rem 0 0;overflow-wrap:anywhere}
        mark{background:var(--mark);color:inherit;padding:0 .1em;border-radius:.15em}
        nav.pages{display:flex;gap:.4rem;flex-wrap:wrap;align-items:center;margin:1.2rem 0}
        nav.pages a,nav.pages span{padding:.35rem .7rem;border:1px solid var(--line);border-radius:.35rem;text-decoration:none}
        nav.pages span.current{background:var(--accent);color:#fff;border-color:var(--accent)}
        nav.pages span.gap{border:0}
        .help{color:var(--muted);font-size:.95rem}
        .help code{background:var(--soft);padding:0 .25rem;border-radius:.2rem}
        .help dt{margin-top:.4rem;font-family:ui-monospace,Menlo,Consolas,monospace;color:var(--fg)}
        .help dd{margin-left:1rem}
        article h1{font-size:1.35rem;line-height:1.35;margin:1rem 0 .6rem;overflow-wrap:anywhere}
        dl.info{display:grid;grid-template-columns:max-content 1fr;gap:.2rem .8rem;font-size:.92rem;margin:0 0 1rem}
        dl.info dt{color:var(--muted)}
        dl.info dd{margin:0;overflow-wrap:anywhere}
        .actions{display:flex;gap:.6rem;flex-wrap:wrap;margin:0 0 1rem}
        .actions a{padding:.45rem .9rem;border:1px solid var(--accent);border-radius:.4rem;text-decoration:none}
        .actions a.primary{background:var(--accent);color:#fff}
        .doc-text{white-space:pre-wrap;overflow-wrap:anywhere;border-top:1px solid var(--line);padding-top:1rem;font-size:1rem}
        footer{color:var(--muted);font-size:.85rem;border-top:1px solid var(--line);padding:1rem 0}
        @media (max-width:30rem){body{font-size:15px}.bar button{padding:.55rem .75rem}dl.info{gap:.15rem .6rem}}
        """ + facetStyle + reportStyle

    static func topBar(form: SearchForm?, filterValues: FilterValues?) -> String {
        let form = form ?? SearchForm(.empty)
        var kindControl: String
        if let kinds = filterValues?.kinds, !kinds.isEmpty, kinds.count <= 40 {
            var options = "<option value=\"\">Tất cả</option>"
            var known = false
            for k in kinds {
                let selected = k == form.kind
                known = known || selected
                options += "<option value=\"\(esc(k))\"\(selected ? " selected" : "")>\(esc(kindName(k)))</option>"
            }
            if !form.kind.isEmpty && !known { options += "<option value=\"\(esc(form.kind))\" selected>\(esc(form.kind))</option>" }
            kindControl = "<select name=\"kind\">\(options)</select>"
        } else {
            kindControl = "<input type=\"text\" name=\"kind\" value=\"\(esc(form.kind))\" placeholder=\"ví dụ: news\">"
        }
        var sourceList = ""
        if let sources = filterValues?.sources, !sources.isEmpty {
            sourceList = "<datalist id=\"sources\">" + sources.map { "<option value=\"\(esc($0))\">" }.joined() + "</datalist>"
        }
        let filtersOpen = !form.source.isEmpty || !form.kind.isEmpty || !form.from.isEmpty || !form.to.isEmpty || form.sort != .relevance || form.strict
        return """
        <header class="top"><div class="wrap">
        <a class="brand" href="/">VanBan<small>Tra cứu văn bản</small></a>
        <form class="search" id="search-form" method="get" action="/" role="search">
        <div class="bar">
        <input type="search" name="q" value="\(esc(form.q))" placeholder="Từ khóa hoặc số hiệu văn bản" aria-label="Từ khóa tìm kiếm" autocomplete="off" maxlength="\(QueryParser.maxQueryCharacters)">
        <button type="submit">Tìm kiếm</button>
        </div>
        <details class="filters"\(filtersOpen ? " open" : "")><summary>Bộ lọc và sắp xếp</summary>
        <div class="grid">
        <label>Nguồn<input type="text" name="source" value="\(esc(form.source))" list="sources" placeholder="Tất cả"></label>
        <label>Loại\(kindControl)</label>
        <label>Từ ngày<input type="date" name="from" value="\(esc(form.from))"></label>
        <label>Đến ngày<input type="date" name="to" value="\(esc(form.to))"></label>
        <label>Sắp xếp<select name="sort"><option value="relevance"\(form.sort == .relevance ? " selected" : "")>Liên quan nhất</option><option value="date"\(form.sort == .date ? " selected" : "")>Mới nhất</option></select></label>
        <label class="strict"><input type="checkbox" name="strict" value="1"\(form.strict ? " checked" : "")> Chỉ văn bản có đủ mọi từ</label>
        </div>
        </details>
        \(sourceList)
        </form>
        </div></header>
        """
    }

    static func footer(_ filterValues: FilterValues?) -> String {
        let count = filterValues.map { "Kho lưu trữ có \(number($0.documents)) văn bản. " } ?? ""
        return """
        <footer><div class="wrap">\(count)<a href="/report/view">Báo cáo theo kỳ</a>. API: <a href="/search?q=thanh+hoa">/search</a>, <a href="/report?half=2024H1">/report</a>, <a href="/health">/health</a>, <a href="/stats">/stats</a>.</div></footer>
        <script src="/assets/search.js" defer></script>
        </body>
        </html>
        """
    }

    // MARK: Search page

    /// "2026-11-22T13:24:23Z" -> "22/11/2026 13:24:23 UTC".
    static func timestamp(_ s: String) -> String {
        let parts = s.split(separator: "T")
        guard parts.count == 2, let day = date(String(parts[0])), parts[1].hasSuffix("Z") else { return s }
        return "\(day) \(parts[1].dropLast()) UTC"
    }

    /// What to call a document without a title: its file name, else its id.
    static func displayTitle(_ title: String?, fileName: String?, id: String) -> String {
        if let title, !title.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return title }
        if let fileName, !fileName.isEmpty { return fileName }
        return "Văn bản \(id)"
    }

    static func search(form: SearchForm, results: SearchResults?, error: String?, filterValues: FilterValues?, pageSize: Int,
                       fileNames: [String: String] = [:], originals: [String: [(id: String, title: String?, number: String)]] = [:]) -> String {
        var html = head(title: form.q.isEmpty ? "VanBan — Tìm kiếm văn bản" : "\(form.q) — Tìm kiếm VanBan")
        html += "<body>\n" + topBar(form: form, filterValues: filterValues)
        html += "<main class=\"wrap\" id=\"results\" aria-live=\"polite\">\n"
        if let error {
            html += "<p class=\"error\" role=\"alert\">Không thể tìm kiếm: \(esc(error))</p>\n"
        } else if let results {
            html += resultList(results, form: form, pageSize: pageSize, fileNames: fileNames, originals: originals)
        } else {
            html += helpText
        }
        html += "</main>\n" + footer(filterValues)
        return html
    }

    static func resultList(_ results: SearchResults, form: SearchForm, pageSize: Int, fileNames: [String: String],
                           originals: [String: [(id: String, title: String?, number: String)]] = [:]) -> String {
        var html = ""
        let first = (form.page - 1) * pageSize + 1
        let quoted = form.q.trimmingCharacters(in: .whitespaces).isEmpty ? "" : " cho “\(esc(form.q))”"
        if results.total == 0 {
            html += "<p class=\"summary\">Không tìm thấy kết quả nào\(quoted).</p>\n"
            html += "<p class=\"help\">Gợi ý: gõ không dấu để tìm mọi cách viết (<code>thanh hoa</code> tìm cả “Thanh Hóa”), dùng ít từ hơn, hoặc bỏ bớt bộ lọc.</p>\n"
            return html
        }
        let shown = results.hits.isEmpty ? "" : ", hiển thị \(number(first))–\(number(first + results.hits.count - 1))"
        html += "<p class=\"summary\"><strong class=\"total\">\(number(results.total))</strong> kết quả\(quoted)\(shown) (\(milliseconds(results.tookMilliseconds)) ms)</p>\n"
        html += readingNote(results.reading, form: form)
        if let facets = results.facets { html += facetLinks(facets, form: form) }
        html += "<ol class=\"hits\" start=\"\(first)\">\n"
        let back = form.q.isEmpty ? "" : "?q=" + PercentEncoding.component(form.q)
        for hit in results.hits {
            let title = displayTitle(hit.metadata.title, fileName: fileNames[hit.id], id: hit.id)
            var meta: [String] = []
            if let kind = hit.metadata.kind, !kind.isEmpty { meta.append("<span class=\"kind\">\(esc(kindName(kind)))</span>") }
            if let source = hit.metadata.source, !source.isEmpty { meta.append("<span class=\"source\">\(esc(source))</span>") }
            if let date = date(hit.metadata.date ?? hit.metadata.issued) { meta.append("<span class=\"date\">\(esc(date))</span>") }
            if let type = hit.metadata.type {
                meta.append("<a class=\"type\" href=\"/?q=\(PercentEncoding.component("type:\"\(type)\""))\">\(esc(type))</a>")
            }
            if let number = hit.metadata.number { meta.append("<span class=\"number\">\(esc(number))</span>") }
            if let location = hit.location { meta.append("<span class=\"location\">\(esc(location))</span>") }
            for original in originals[hit.id] ?? [] {
                meta.append("<a class=\"original\" href=\"/view/\(PercentEncoding.component(original.id))\">Văn bản gốc: \(esc(original.title ?? original.number))</a>")
            }
            if !hit.duplicates.isEmpty {
                // The reposts collapsed into this hit: the same search listing every document.
                meta.append("<a class=\"similar\" href=\"\(esc(form.url(page: 1, collapse: false)))\">\(number(hit.duplicates.count)) bài tương tự</a>")
            }
            html += """
            <li class="hit" data-id="\(esc(hit.id))">
            <h2><a href="/view/\(PercentEncoding.component(hit.id))\(back)">\(esc(title))</a></h2>
            <div class="meta">\(meta.joined())</div>
            <p class="snippet">\(hit.snippet.rendered(open: "<mark>", close: "</mark>", escape: esc))</p>
            </li>

            """
        }
        html += "</ol>\n"
        html += pagination(total: results.total, form: form, pageSize: pageSize)
        return html
    }

    /// How the query was read: the accents restored, the words matched as phrases, the
    /// synonyms used, and the fallback to documents lacking one word (with the way back).
    static func readingNote(_ reading: QueryReading, form: SearchForm) -> String {
        var parts: [String] = []
        if let restored = reading.restored {
            parts.append("Kết quả cho: <strong class=\"restored\">\(esc(restored))</strong>")
        }
        if !reading.phrases.isEmpty {
            parts.append("Cụm từ: " + reading.phrases.map { "«\(esc($0))»" }.joined(separator: ", "))
        }
        if !reading.synonyms.isEmpty {
            parts.append("Từ đồng nghĩa, viết tắt: " + reading.synonyms.map(esc).joined(separator: "; "))
        }
        if let question = reading.questionWords {
            parts.append("Từ để hỏi (không bắt buộc): «\(esc(question))»")
        }
        if !reading.functionWords.isEmpty {
            parts.append("Hư từ (không bắt buộc): " + reading.functionWords.map { "«\(esc($0))»" }.joined(separator: ", "))
        }
        if !reading.frameWords.isEmpty {
            parts.append("Từ khái quát (không bắt buộc): " + reading.frameWords.map { "«\(esc($0))»" }.joined(separator: ", "))
        }
        if reading.softMatch {
            parts.append("Ít văn bản có đủ mọi từ: hiển thị cả văn bản thiếu một trong các từ "
                + reading.optionalWords.map { "«\(esc($0))»" }.joined(separator: ", ")
                + " · <a href=\"\(esc(form.url(page: 1, strict: true)))\">Chỉ văn bản có đủ mọi từ</a>")
        } else if form.strict {
            parts.append("Chỉ văn bản có đủ mọi từ · <a href=\"\(esc(form.url(page: 1, strict: false)))\">Tìm rộng hơn</a>")
        }
        guard !parts.isEmpty else { return "" }
        return "<p class=\"reading\">" + parts.joined(separator: "<br>") + "</p>\n"
    }

    static func pagination(total: Int, form: SearchForm, pageSize: Int) -> String {
        let lastPage = max(1, min((total + pageSize - 1) / pageSize, SearchRequest.maxOffset / pageSize + 1))
        guard lastPage > 1 else { return "" }
        let current = min(form.page, lastPage)
        var items: [String] = []
        if current > 1 { items.append("<a href=\"\(esc(form.url(page: current - 1)))\" rel=\"prev\">‹ Trước</a>") }
        var pages = Set([1, lastPage])
        for p in (current - 2)...(current + 2) where p >= 1 && p <= lastPage { pages.insert(p) }
        var previous = 0
        for p in pages.sorted() {
            if p > previous + 1 { items.append("<span class=\"gap\">…</span>") }
            items.append(p == current
                ? "<span class=\"current\" aria-current=\"page\">\(p)</span>"
                : "<a href=\"\(esc(form.url(page: p)))\">\(p)</a>")
            previous = p
        }
        if current < lastPage { items.append("<a href=\"\(esc(form.url(page: current + 1)))\" rel=\"next\">Sau ›</a>") }
        return "<nav class=\"pages\" aria-label=\"Trang kết quả\">\(items.joined())</nav>\n"
    }

    static let helpText = """
        <section class="help">
        <p>Gõ từ khóa có dấu hoặc không dấu. Từ không dấu tìm mọi cách viết: <code>thanh hoa</code> tìm cả “Thanh Hóa” và “Thanh Hoá”; từ có dấu chỉ tìm đúng từ đó.</p>
        <dl>
        <dt>chương trình phối hợp</dt><dd>mọi từ (theo thứ tự nào cũng được)</dd>
        <dt>"chương trình phối hợp"</dt><dd>đúng cụm từ</dd>
        <dt>45/2010/NĐ-CP</dt><dd>số hiệu văn bản, viết cách nào cũng được</dd>
        <dt>-quảng cáo</dt><dd>loại trừ văn bản có từ này</dd>
        <dt>a OR b</dt><dd>một trong hai</dd>
        <dt>truyền*</dt><dd>từ bắt đầu bằng “truyền”</dd>
        <dt>title:"phối hợp"</dt><dd>chỉ tìm trong tiêu đề</dd>
        <dt>from:2021-01-01 to:2021-12 year:2024</dt><dd>theo ngày</dd>
        </dl>
        </section>

        """

    // MARK: Document page

    static func document(_ view: DocumentView, backQuery: String?) -> String {
        let r = view.record
        let text = view.text
        let versions = view.versions
        let title = displayTitle(view.metadata.title, fileName: r.fileName, id: r.id)
        var html = head(title: "\(title) — VanBan")
        let form = backQuery.map { SearchForm(try! QueryString("q=" + PercentEncoding.component($0))) }
        html += "<body>\n" + topBar(form: form, filterValues: nil)
        html += "<main class=\"wrap\">\n<article>\n"
        if let backQuery, !backQuery.isEmpty {
            html += "<p class=\"summary\"><a href=\"/?q=\(esc(PercentEncoding.component(backQuery)))\">‹ Quay lại kết quả tìm kiếm</a></p>\n"
        }
        html += "<h1>\(esc(title))</h1>\n<dl class=\"info\">\n"
        func row(_ label: String, _ value: String?) {
            guard let value, !value.isEmpty else { return }
            html += "<dt>\(label)</dt><dd>\(esc(value))</dd>\n"
        }
        // The attributes ("thuộc tính"): every field known, the derived ones as filter links.
        for (field, value) in view.metadata.presentFields where field.name != "title" && !value.isEmpty {
            html += "<dt>\(esc(field.label))</dt><dd>\(fieldValueHTML(field, value))</dd>\n"
        }
        if let status = view.status {
            html += "<dt>Tình trạng hiệu lực</dt><dd><a href=\"/?q=\(PercentEncoding.component("status:" + status.rawValue))\">\(esc(status.label))</a></dd>\n"
        }
        row("Mã văn bản", r.id)
        row("Tên tệp", r.fileName)
        row("Định dạng", r.mediaType)
        row("Dung lượng", formatBytes(r.size))
        row("Ngày nhập", timestamp(r.importedAt))
        row("Phiên bản", "\(versions)")
        html += "</dl>\n<div class=\"actions\">"
        html += "<a class=\"primary\" href=\"/documents/\(PercentEncoding.component(r.id))/original\" download>Tải bản gốc</a>"
        html += "<a href=\"/documents/\(PercentEncoding.component(r.id))\">Xem JSON</a>"
        html += "<a href=\"/documents/\(PercentEncoding.component(r.id))/graph?format=dot\">Lược đồ (DOT)</a></div>\n"
        html += relations(view)
        html += "<div class=\"doc-text\">\(esc(text))</div>\n</article>\n</main>\n" + footer(nil)
        return html
    }

    /// The relationship diagram as lists of links: what the text cites, and what cites it,
    /// grouped by relation; the evidence of its status first.
    static func relations(_ view: DocumentView) -> String {
        guard !view.outgoing.isEmpty || !view.incoming.isEmpty else { return "" }
        var html = "<section class=\"relations\"><h2>Lược đồ văn bản</h2>\n"
        func group(_ edges: [DocumentRelation]) {
            var order: [String] = []
            var byRelation: [String: [DocumentRelation]] = [:]
            for e in edges {
                if byRelation[e.relation] == nil { order.append(e.relation) }
                byRelation[e.relation, default: []].append(e)
            }
            for relation in order {
                html += "<h3>\(esc(RelationNames.label(relation).capitalizedFirst))</h3><ul>\n"
                for e in byRelation[relation]!.prefix(50) {
                    let name = e.documentTitle ?? e.number
                    let link = e.documentID.map { "<a href=\"/view/\(PercentEncoding.component($0))\">\(esc(name))</a>" } ?? "\(esc(name)) <small>(chưa có trong kho)</small>"
                    let scope = e.scope.map { " — \(esc($0))" } ?? ""
                    html += "<li>\(link)\(scope)<br><small>\(esc(String(e.sentence.prefix(300))))</small></li>\n"
                }
                html += "</ul>\n"
            }
        }
        group(view.incoming.filter { $0.relation != "mentioned_by" } + view.incoming.filter { $0.relation == "mentioned_by" })
        group(view.outgoing)
        return html + "</section>\n"
    }

    /// How a metadata value reads on a page (escaped): kinds by their Vietnamese name, dates
    /// as dd/mm/yyyy, web addresses as links (never javascript: or data:), the derived
    /// attributes as links to every document sharing them.
    static func fieldValueHTML(_ field: MetadataField, _ value: String) -> String {
        func filterLink(_ query: String) -> String {
            "<a href=\"/?q=\(PercentEncoding.component(query))\">\(esc(value))</a>"
        }
        switch field.name {
        case "kind": return esc(kindName(value))
        case "date", "issued", "effective": return esc(date(value) ?? value)
        case "type": return filterLink("type:\"\(value)\"")
        case "number": return filterLink("cites:\(value)")
        case "issuer": return value.components(separatedBy: "; ").map { v in "<a href=\"/?q=\(PercentEncoding.component("issuer:\"\(v)\""))\">\(esc(v))</a>" }.joined(separator: "; ")
        case "url":
            let lower = value.lowercased()
            guard lower.hasPrefix("http://") || lower.hasPrefix("https://") else { return esc(value) }
            return "<a href=\"\(esc(value))\" rel=\"noopener noreferrer nofollow\">\(esc(value))</a>"
        default: return esc(value)
        }
    }

    // MARK: Errors

    static func error(status: HTTPResponse.Status, message: String) -> String {
        let heading: String
        switch status.code {
        case 404: heading = "Không tìm thấy"
        case 400..<500: heading = "Yêu cầu không hợp lệ"
        default: heading = "Lỗi máy chủ"
        }
        var html = head(title: "\(heading) — VanBan") + "<body>\n" + topBar(form: nil, filterValues: nil)
        html += "<main class=\"wrap\"><h1>\(heading)</h1><p class=\"error\">\(esc(message))</p><p><a href=\"/\">Về trang tìm kiếm</a></p></main>\n"
        return html + footer(nil)
    }
}
