import DocumentModel
import Foundation

/// The header block: issuing body, "Số:", place and date, type and subject. It ends at the
/// first "Căn cứ", "Điều", "Chương" or "Phần" line (the body); only its first lines are read.
enum HeaderReader {
    static let numberStarts = ["Số", "SỐ", "Số"].map { Array($0.utf8) }
    static let authenticationMark = Array("XÁC THỰC".utf8)

    /// Lines looked at, at most (gazette texts put page headers and a section title first).
    static let maxLines = 80

    /// A header has a line in capitals ("NGHỊ ĐỊNH", "BỘ TÀI CHÍNH") or one starting with
    /// "Số" or "V/v" among its first lines; a news page (long lines of prose) has none, and is
    /// not read further. Raw bytes only.
    static func mayHaveHeader(_ lines: TextLines) -> Bool {
        for i in 0..<min(lines.count, maxLines) where (4...200).contains(lines.length(i)) {
            if !lines.hasASCIILowercase(i) || lines.starts(i, with: Self.numberStarts) || lines.starts(i, with: Self.subjectStarts) { return true }
        }
        return false
    }
    static let subjectStarts = ["V/v", "v/v", "Về việc"].map { Array($0.utf8) }

    static func read(_ lines: TextLines, into result: inout OfficialText) {
        guard mayHaveHeader(lines) else {
            // Still a displaced header ("Số:" below the first articles) or a consolidated text.
            readDisplacedHeader(lines, into: &result)
            return
        }
        var header: [String] = []
        var headerFolded: [String] = []  // each header line folded once
        for i in 0..<min(lines.count, maxLines) {
            let line = lines.cleaned(i, maxBytes: 400)
            if line.isEmpty { continue }
            let folded = TextLines.folded(line)
            if isBodyStart(folded) { break }
            if isFurniture(line, folded: folded) { continue }
            header.append(line)
            headerFolded.append(folded)
        }
        var headingIndex: Int?
        var numberIndex: Int?
        for (k, line) in header.enumerated() {
            let folded = headerFolded[k]
            if result.number == nil, let (number, rest) = numberOnLine(line, folded: folded) {
                result.number = number
                numberIndex = k
                // "Luật số: 51/2024/QH15": the type stands before the number.
                if result.type == nil, let named = OfficialTypes.heading(line.uppercased()) { result.type = named.type }
                // A flattened two-column header puts the place and date on the same line.
                if result.issued == nil, let (place, date) = placeAndDate(rest) { result.place = place; result.issued = date }
                continue
            }
            // A date line without a place must follow the header's own lines (the motto, the
            // number, the bodies in capitals), not a sentence broken before "ngày ...".
            func afterHeaderLine() -> Bool {
                k == 0 || TextLines.isCapitals(header[k - 1]) || numberOnLine(header[k - 1], folded: headerFolded[k - 1]) != nil
                    || headerFolded[k - 1].hasPrefix("doc lap")
            }
            if result.issued == nil, line.utf8.count <= 200, TextLines.has(folded, "ngay"),
               let (place, date) = placeAndDate(line), place != nil || afterHeaderLine() {
                result.place = place
                result.issued = date
                continue
            }
            if headingIndex == nil, TextLines.isCapitals(line), let heading = OfficialTypes.heading(line) {
                headingIndex = k
                result.type = heading.type
                if !heading.rest.isEmpty { result.subject = heading.rest }
            }
        }
        // The subject: the lines under the heading (or a công văn's "V/v ..."), up to the body.
        if let h = headingIndex {
            var parts = result.subject.map { [$0] } ?? []
            for k in (h + 1)..<min(header.count, h + 7) {
                let line = header[k]
                if (TextLines.isCapitals(line) && OfficialTypes.heading(line) != nil) || isSubjectEnd(headerFolded[k]) { break }
                parts.append(line)
            }
            if !parts.isEmpty { result.subject = sentenceCase(parts.joined(separator: " ")) }
        }
        if let vv = headerFolded.firstIndex(where: { $0.hasPrefix("v/v") || $0.hasPrefix("ve viec") }) {
            var parts = [header[vv]]
            for line in header[(vv + 1)...].prefix(3) where !TextLines.isCapitals(line) && !isSubjectEnd(TextLines.folded(line)) {
                if placeAndDate(line) != nil { break }
                parts.append(line)
            }
            if result.subject == nil { result.subject = parts.joined(separator: " ") }
            if result.type == nil { result.type = "Công văn" }
        }
        if result.number == nil { readConsolidation(lines, header: header, into: &result) }
        if result.number == nil { readDisplacedHeader(lines, into: &result) }
        // No dated header line: the first date of the header is the text's. In a consolidated
        // text that is the line naming the text it consolidates ("Thông tư số 05/2015/TT-BYT
        // ngày 17 tháng 3 năm 2015 ...").
        if result.issued == nil {
            // Lines are broken anywhere ("ngày 14 tháng 6 năm\n2025"): each line is read with
            // the next, and a date counts for the line it starts on.
            for (k, line) in header.enumerated() {
                let folded = TextLines.folded(line)
                let joined = k + 1 < header.count ? folded + " " + TextLines.folded(header[k + 1]) : folded
                if let date = VietnameseDate.first(in: joined),
                   joined.distance(from: joined.startIndex, to: date.range.lowerBound) < folded.count {
                    result.issued = date.iso
                    break
                }
            }
        }
        if result.type == nil, let number = result.number { result.type = OfficialTypes.type(ofSymbol: number.symbol) }
        // Issuers: the capital lines above the number or the heading (consecutive ones are one
        // body under its parent: "ỦY BAN NHÂN DÂN" + "TỈNH THANH HÓA").
        let end = [numberIndex, headingIndex].compactMap { $0 }.min() ?? 0
        var issuers: [String] = []
        var current: [String] = []
        for line in header[..<end] {
            if TextLines.isCapitals(line), OfficialTypes.heading(line) == nil, line.count <= 80 {
                if !current.contains(line) { current.append(line) }
            } else if !current.isEmpty {
                issuers.append(current.joined(separator: " ")); current = []
            }
        }
        if !current.isEmpty { issuers.append(current.joined(separator: " ")) }
        // Two-column layouts repeat the body; joint texts list "BỘ A - BỘ B".
        var seen = Set<String>()
        let fromHeader = issuers.map(undoubled).flatMap(splitJoint).filter { seen.insert($0).inserted }
        if !fromHeader.isEmpty { result.issuers = fromHeader }
        if result.issuers.isEmpty, let number = result.number, let issuer = OfficialTypes.issuer(ofSymbol: number.symbol) {
            result.issuers = [issuer]
        }
    }

    /// A body written twice in a row, as a gazette's page header over the text's own header
    /// puts it ("BỘ Y TẾ" then "BỘ Y TẾ" broken over two lines): the words once.
    static func undoubled(_ issuer: String) -> String {
        let words = issuer.split(separator: " ")
        guard words.count >= 2, words.count % 2 == 0, words[..<(words.count / 2)] == words[(words.count / 2)...] else { return issuer }
        return words[..<(words.count / 2)].joined(separator: " ")
    }

    /// "Số: 158/2025/NĐ-CP", "Số 12/QĐ-UBND", "Luật số: 51/2024/QH15".
    /// A consolidated text (văn bản hợp nhất) carries its own number, place and date at the end,
    /// in the "XÁC THỰC VĂN BẢN HỢP NHẤT" block of the body that authenticates it; its header
    /// repeats the heading of the text it consolidates, then "Nghị định số ... ngày ...". Its
    /// issue date is that text's (a consolidation is not a new text; vbpl.vn dates it so too),
    /// the authentication date is kept apart.
    static func readConsolidation(_ lines: TextLines, header: [String], into result: inout OfficialText) {
        // The block stands at the end of the body, before any appendix.
        var tail: [String] = []
        for i in 0..<lines.count where lines.length(i) <= 80 && lines.contains(i, Self.authenticationMark) {
            // The block's lines around the mark: flattened columns put "Số:" before or after it.
            tail = (max(0, i - 4)..<min(lines.count, i + 8)).map { lines.cleaned($0, maxBytes: 300) }
            break
        }
        guard let mark = tail.firstIndex(where: { TextLines.folded($0).hasPrefix("xac thuc van ban hop nhat") }) else { return }
        for line in tail[(mark + 1)...].prefix(6) + tail[..<mark].reversed() {
            let folded = TextLines.folded(line)
            if result.number == nil, let (number, _) = numberOnLine(line, folded: folded) { result.number = number; continue }
            if result.authenticated == nil, let (place, date) = placeAndDate(line) {
                result.authenticated = date
                if result.place == nil { result.place = place }
            }
        }
        if result.issuers.isEmpty, let body = tail[..<mark].last(where: { TextLines.isCapitals($0) && numberOnLine($0, folded: TextLines.folded($0)) == nil }) {
            result.issuers = [body]
        }
    }

    /// PDF extraction sometimes moves the header's right-hand column (issuer, "Số:", place and
    /// date) below the first articles. A line that starts with "Số:" and a number, near the
    /// motto or a place-and-date line, is that header.
    static func readDisplacedHeader(_ lines: TextLines, into result: inout OfficialText) {
        for i in 0..<min(lines.count, 600) where lines.length(i) <= 120 {
            guard lines.starts(i, with: Self.numberStarts) else { continue }
            let line = lines.cleaned(i)
            let folded = TextLines.folded(line)
            guard folded.hasPrefix("so:") || folded.hasPrefix("so "), let (number, rest) = numberOnLine(line, folded: folded) else { continue }
            let near = (max(0, i - 4)..<min(lines.count, i + 6)).map { lines.cleaned($0, maxBytes: 200) }
            let looksLikeHeader = near.contains { TextLines.folded($0).hasPrefix("cong hoa xa hoi chu nghia") || placeAndDate($0) != nil }
            guard looksLikeHeader else { continue }
            result.number = number
            if result.issued == nil {
                if let (place, date) = placeAndDate(rest) { result.place = place; result.issued = date }
                for l in near where result.issued == nil {
                    if let (place, date) = placeAndDate(l) { result.place = place; result.issued = date }
                }
            }
            if result.issuers.isEmpty {
                let above = near.prefix(4).filter { TextLines.isCapitals($0) && !isFurniture($0, folded: TextLines.folded($0)) && OfficialTypes.heading($0) == nil }
                if let last = above.last { result.issuers = [last] }
            }
            return
        }
    }

    /// The number and what follows it on the line.
    static func numberOnLine(_ line: String, folded: String) -> (DocumentNumber, String)? {
        // "Số: ..." at the start of the line, or "<Type> số: ..." ("Luật số: 51/2024/QH15");
        // "Giấy phép số 12/GP-TTĐT" in a news site's footer is not a text's own number.
        let range: Range<String.Index>
        if folded.hasPrefix("so:") || folded.hasPrefix("so ") { range = folded.startIndex..<folded.index(folded.startIndex, offsetBy: 2) }
        else if let r = folded.range(of: " so:"), OfficialTypes.type(named: String(folded[..<r.lowerBound])) != nil {
            range = folded.index(after: r.lowerBound)..<folded.index(r.lowerBound, offsetBy: 3)
        } else { return nil }
        // The number must follow "số" closely: "Số: 15/QĐ-BNV", not a cited one further on.
        let offset = folded.distance(from: folded.startIndex, to: range.lowerBound)
        guard offset <= 30 else { return nil }
        let after = String(line.dropFirst(offset + 2))
        guard let first = DocumentNumber.find(in: after).first, first.range.lowerBound <= 6 else { return nil }
        let rest = String(decoding: Array(after.utf8)[first.range.upperBound...], as: UTF8.self)
        return (first.number, rest)
    }

    /// "Thanh Hóa, ngày 24 tháng 9 năm 2021" -> ("Thanh Hóa", "2021-09-24"). The place is what
    /// stands before the date, when it is short enough to be one.
    static func placeAndDate(_ line: String) -> (String?, String)? {
        let folded = TextLines.folded(line)
        guard let date = VietnameseDate.first(in: folded) else { return nil }
        let beforeCount = folded.distance(from: folded.startIndex, to: date.range.lowerBound)
        var place = String(line.prefix(beforeCount)).trimmingCharacters(in: CharacterSet(charactersIn: " ,*_"))
        if !looksLikePlace(place) { place = "" }
        // The date line of the header starts with the place, or is the date alone: "ngày 01
        // tháng 3 năm 2018." ending a sentence broken over lines is not one.
        if place.isEmpty {
            guard folded.hasPrefix("ngay"), line.count <= 32, let last = line.last, !".,;:)".contains(last) else { return nil }
        }
        return (place.isEmpty ? nil : place, date.iso)
    }

    /// "Hà Nội", "Thanh Hóa", "TP. Hồ Chí Minh", "Thành phố Đà Nẵng": a few words, mostly
    /// capitalised, no digits; not a clause ("của Quốc hội, có hiệu lực thi hành kể từ").
    static func looksLikePlace(_ s: String) -> Bool {
        let words = s.split(separator: " ")
        guard (1...6).contains(words.count), s.count <= 40, let first = s.first, first.isUppercase,
              !s.contains(where: { $0.isNumber || $0 == "/" || $0 == ":" || $0 == ";" }) else { return false }
        let capitalised = words.filter { $0.first?.isUppercase == true }.count
        return capitalised * 2 >= words.count && !TextLines.folded(s).contains("hieu luc")
    }

    /// Where the header ends.
    static func isBodyStart(_ folded: String) -> Bool {
        folded.hasPrefix("can cu") || folded.hasPrefix("dieu 1") || folded.hasPrefix("chuong i")
            || folded.hasPrefix("phan thu") || folded.hasPrefix("theo de nghi") || folded.hasPrefix("kinh gui")
    }

    static func isSubjectEnd(_ folded: String) -> Bool {
        isBodyStart(folded) || folded.hasPrefix("quoc hoi ban hanh") || folded.hasPrefix("chinh phu ban hanh")
            || folded.hasPrefix("dieu ") || folded.hasPrefix("-----") || folded.hasPrefix("___")
    }

    /// Lines that are not part of any attribute: the motto, gazette page headers and numbers,
    /// section titles of the gazette, rules.
    static func isFurniture(_ line: String, folded: String) -> Bool {
        if folded.hasPrefix("cong hoa xa hoi chu nghia") || folded.hasPrefix("doc lap - tu do") || folded.hasPrefix("doc lap") && folded.contains("hanh phuc") {
            return true
        }
        // The gazette's own section titles: "VĂN BẢN QUY PHẠM PHÁP LUẬT", "VĂN BẢN PHÁP LUẬT KHÁC",
        // "VĂN BẢN HỢP NHẤT - BỘ Y TẾ" (a consolidated text repeats the heading of the text it
        // consolidates below them).
        if folded.hasPrefix("cong bao") || folded.contains("cong bao/so") || folded.hasPrefix("van ban quy pham phap luat") || folded.hasPrefix("van ban phap luat khac")
            || folded.hasPrefix("van ban hop nhat -") || folded == "van ban hop nhat" {
            return true
        }
        if line.allSatisfy({ $0.isNumber || $0 == " " }) { return true }
        if line.allSatisfy({ "_-–—=*.".contains($0) || $0 == " " }) { return true }
        if folded.hasPrefix("nguoi ky:") || folded.hasPrefix("email:") || folded.hasPrefix("co quan:") || folded.hasPrefix("thoi gian ky") {
            return true
        }
        return false
    }

    /// "BỘ TÀI CHÍNH - BỘ NỘI VỤ" -> both; a dash inside one name ("LAO ĐỘNG - THƯƠNG BINH")
    /// is kept.
    static func splitJoint(_ issuer: String) -> [String] {
        let parts = issuer.components(separatedBy: " - ")
        guard parts.count > 1 else { return [issuer] }
        let bodies = ["bo ", "uy ban", "ngan hang", "toa an", "vien kiem sat", "ban ", "hoi dong", "kiem toan", "thanh tra", "tong lien doan", "trung uong"]
        guard parts.allSatisfy({ p in bodies.contains { TextLines.folded(p).hasPrefix($0) } }) else { return [issuer] }
        return parts
    }

    /// A subject written in capitals ("SỬA ĐỔI, BỔ SUNG MỘT SỐ ĐIỀU ...") reads better in
    /// sentence case; one in mixed case is kept as written.
    static func sentenceCase(_ s: String) -> String {
        guard TextLines.isCapitals(s) else { return s }
        let lower = s.lowercased()
        return lower.prefix(1).uppercased() + lower.dropFirst()
    }
}
