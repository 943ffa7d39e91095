import VietText

/// The kinds of official text (Decree 30/2020/NĐ-CP, appendix III, and the legal normative
/// types), with the abbreviation their numbers carry. Data, longest name first, so that
/// "THÔNG TƯ LIÊN TỊCH" is recognised before "THÔNG TƯ".
public enum OfficialTypes {
    public struct Entry: Sendable {
        /// As the heading writes it, folded: "thong tu lien tich".
        public let folded: String
        /// As VanBan shows it: "Thông tư liên tịch".
        public let name: String
        /// The abbreviations in numbers, folded ("ttlt"); empty when the type has none.
        public let codes: [String]
    }

    public static let entries: [Entry] = [
        ("Thông tư liên tịch", ["ttlt"]), ("Nghị quyết liên tịch", ["nqlt"]), ("Văn bản hợp nhất", ["vbhn"]),
        ("Chương trình phối hợp", []), ("Quy chế phối hợp", []), ("Bộ luật", []), ("Pháp lệnh", ["pl"]),
        ("Hiến pháp", []), ("Nghị định", ["nd"]), ("Nghị quyết", ["nq"]), ("Quyết định", ["qd"]),
        ("Thông tư", ["tt"]), ("Chỉ thị", ["ct"]), ("Công điện", ["cd"]), ("Công văn", []), ("Kế hoạch", ["kh"]),
        ("Thông báo", ["tb"]), ("Thông cáo", ["tc"]), ("Hướng dẫn", ["hd"]), ("Báo cáo", ["bc"]), ("Tờ trình", ["ttr"]),
        ("Chương trình", ["ctr"]), ("Quy chế", ["qc"]), ("Quy định", ["qyd"]), ("Đề án", ["da"]), ("Phương án", ["pa"]),
        ("Dự án", []), ("Biên bản", ["bb"]), ("Hợp đồng", []), ("Bản ghi nhớ", ["bgn"]), ("Bản thỏa thuận", ["btt"]),
        ("Giấy mời", ["gm"]), ("Lệnh", []), ("Luật", []),
    ].map { Entry(folded: VietText.fold($0.0), name: $0.0, codes: $0.1) }
        .sorted { $0.folded.count > $1.folded.count }

    /// The type a heading line names ("NGHỊ ĐỊNH", "LUẬT SỬA ĐỔI, BỔ SUNG ...") and what follows
    /// the type's name on the same line. The line must be in capitals and start with the name.
    public static func heading(_ line: String) -> (type: String, rest: String)? {
        guard isCapitals(line) else { return nil }
        let folded = VietText.fold(line)
        for entry in entries where folded.hasPrefix(entry.folded) {
            let after = folded.dropFirst(entry.folded.count)
            guard after.isEmpty || after.first == " " || after.first == ":" else { continue }
            // The rest, in the line's own characters (the folded form has the same number of
            // characters for NFC Vietnamese letters, which `clean` guarantees).
            var rest = Substring(line.dropFirst(entry.folded.count))
            rest = rest.drop { $0 == " " }
            if rest.first == ":" { rest = rest.dropFirst().drop { $0 == " " } }
            return (entry.name, String(rest))
        }
        return nil
    }

    /// The type a number's symbol names: "nd-cp" -> Nghị định, "qh15" -> Luật (a number of the
    /// National Assembly without another abbreviation), "vbhn-btc" -> Văn bản hợp nhất; a symbol
    /// without a type abbreviation ("05/BNV-VP") is a công văn's.
    public static func type(ofSymbol symbol: String) -> String? {
        let first = String(symbol.prefix { $0 != "-" && $0 != "/" })
        let code = first.filter { !$0.isNumber }
        if let entry = entries.first(where: { $0.codes.contains(code) }) { return entry.name }
        if code == "qh" { return "Luật" }
        if first.count >= 2, symbol.contains("-") { return "Công văn" }
        return nil
    }

    /// The issuer a number's last symbol group names, for texts whose header does not show it.
    public static func issuer(ofSymbol symbol: String) -> String? {
        let last = symbol.split(whereSeparator: { $0 == "-" || $0 == "/" }).last.map(String.init) ?? ""
        if last.hasPrefix("qh") { return "QUỐC HỘI" }
        return issuerCodes[last]
    }

    /// The type named by `folded` words ("nghi dinh", "nd", "nđ" folded to "nd"), if any.
    public static func type(named folded: String) -> Entry? {
        entries.first { $0.folded == folded || $0.codes.contains(folded) }
    }

    /// True when the line has at least two letters and no lower-case letter.
    public static func isCapitals(_ s: String) -> Bool {
        var letters = 0
        for u in s.unicodeScalars where u.properties.isAlphabetic {
            if u.properties.isLowercase { return false }
            letters += 1
        }
        return letters >= 2
    }

    private static let issuerCodes: [String: String] = [
        "cp": "CHÍNH PHỦ", "ttg": "THỦ TƯỚNG CHÍNH PHỦ", "ubtvqh": "ỦY BAN THƯỜNG VỤ QUỐC HỘI",
        "btc": "BỘ TÀI CHÍNH", "bnv": "BỘ NỘI VỤ", "byt": "BỘ Y TẾ", "bgddt": "BỘ GIÁO DỤC VÀ ĐÀO TẠO",
        "bldtbxh": "BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI", "btp": "BỘ TƯ PHÁP", "bca": "BỘ CÔNG AN",
        "bqp": "BỘ QUỐC PHÒNG", "bct": "BỘ CÔNG THƯƠNG", "bkhdt": "BỘ KẾ HOẠCH VÀ ĐẦU TƯ",
        "bnnptnt": "BỘ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN", "bnnmt": "BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG",
        "btnmt": "BỘ TÀI NGUYÊN VÀ MÔI TRƯỜNG", "bxd": "BỘ XÂY DỰNG", "bgtvt": "BỘ GIAO THÔNG VẬN TẢI",
        "btttt": "BỘ THÔNG TIN VÀ TRUYỀN THÔNG", "bvhttdl": "BỘ VĂN HÓA, THỂ THAO VÀ DU LỊCH",
        "bkhcn": "BỘ KHOA HỌC VÀ CÔNG NGHỆ", "bng": "BỘ NGOẠI GIAO", "nhnn": "NGÂN HÀNG NHÀ NƯỚC VIỆT NAM",
        "ttcp": "THANH TRA CHÍNH PHỦ", "ubdt": "ỦY BAN DÂN TỘC", "vpcp": "VĂN PHÒNG CHÍNH PHỦ",
        "tandtc": "TÒA ÁN NHÂN DÂN TỐI CAO", "vksndtc": "VIỆN KIỂM SÁT NHÂN DÂN TỐI CAO",
        "ktnn": "KIỂM TOÁN NHÀ NƯỚC", "tw": "BAN CHẤP HÀNH TRUNG ƯƠNG",
    ]
}
