import DocumentModel
/// When the text takes effect: "... này có hiệu lực (thi hành) (kể) từ ngày D tháng M năm Y",
/// or "kể từ ngày ký (ban hành)" (then the issue date). The text's own clause names itself
/// ("Nghị định này", "Thông tư này"); a clause about another text is not taken when one about
/// this text exists. Also fills the issue date of a law, which has no dated header line
/// ("Luật này được Quốc hội ... thông qua ngày 29 tháng 11 năm 2024"), and falls back to the
/// first date of the text when nothing better is known.
enum EffectiveDateReader {
    static let effect = Array("hiệu lực".utf8), adoption = Array("thông qua".utf8)
    static let day = Array("ngày".utf8), dayCapital = Array("Ngày".utf8)

    static func read(_ lines: TextLines, into result: inout OfficialText) {
        var own: (String?, Bool)?
        var other: (String?, Bool)?
        var adopted: String?
        for i in 0..<lines.count where lines.length(i) <= 4000 {
            let hasEffect = lines.contains(i, Self.effect)
            let hasAdoption = lines.contains(i, Self.adoption)
            guard hasEffect || hasAdoption else { continue }
            let raw = lines.raw(i)
            // The clause may be broken over the next lines.
            var window = raw
            for k in (i + 1)..<min(lines.count, i + 3) where lines.length(k) <= 400 { window += " " + lines.raw(k) }
            let folded = TextLines.folded(TextLines.clean(window))
            if hasAdoption, adopted == nil, let r = folded.range(of: "thong qua ngay") {
                adopted = VietnameseDate.first(in: String(folded[r.lowerBound...].dropFirst(9))).map(\.iso)
            }
            guard hasEffect, let r = folded.range(of: "co hieu luc") else { continue }
            let after = String(folded[r.upperBound...].prefix(120))
            let onSigning = after.hasPrefix(" ke tu ngay ky") || after.hasPrefix(" tu ngay ky") || after.hasPrefix(" thi hanh ke tu ngay ky")
                || after.hasPrefix(" thi hanh tu ngay ky")
            let date = onSigning ? nil : VietnameseDate.first(in: after).map(\.iso)
            guard onSigning || date != nil else { continue }
            let before = folded[..<r.lowerBound].suffix(40)
            if before.hasSuffix("nay ") || before.contains(" nay ") {
                if own == nil { own = (date, onSigning) }
            } else if other == nil {
                other = (date, onSigning)
            }
        }
        if result.issued == nil, let adopted { result.issued = adopted }
        if result.issued == nil, result.isOfficial {
            // The first date of the text that is not a cited text's ("Nghị định số 45/2010/NĐ-CP
            // ngày 21/4/2010"), outside the "Căn cứ" lines.
            for i in 0..<min(lines.count, 400) where lines.length(i) <= 4000 {
                guard lines.contains(i, Self.day) || lines.contains(i, Self.dayCapital) else { continue }
                let raw = lines.raw(i)
                let folded = TextLines.folded(TextLines.clean(raw))
                guard !folded.hasPrefix("can cu"), let date = VietnameseDate.first(in: folded) else { continue }
                let before = String(folded[..<date.range.lowerBound].suffix(30))
                if !DocumentNumber.find(in: before, requireCapitals: false).isEmpty { continue }
                result.issued = date.iso
                break
            }
        }
        guard let (date, onSigning) = own ?? (result.isOfficial ? other : nil) else { return }
        result.effectiveOnSigning = onSigning
        result.effective = onSigning ? result.issued : date
    }
}
