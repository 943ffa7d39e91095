import VietText

// The words that frame a topical query rather than name its subject, as data: "phòng chống
// bạo lực học đường" asks about school violence, and the articles about it need not say
// "phòng chống"; "quy định về xuất khẩu lao động" is answered by texts that regulate labour
// export, whatever verb they use. Like function words they are matched when present (ranked
// for), never required, when enough content words remain; only a whole word of the query
// (a unit the reader joined, compared as read with its accents) counts, so "quy" or
// "chính" alone, or "chính sách" inside a synonym's span, stay words.

enum FrameWords {
    static let list = """
    quy định
    phòng chống
    chính sách
    hướng dẫn
    tình hình
    vấn đề
    thông tin
    thực trạng
    giải pháp
    biện pháp
    """

    static let entries: Set<String> = Set(list.split(separator: "\n").map { line in
        Tokenizer.tokens(in: String(line)).map(\.accented).joined(separator: " ")
    }.filter { !$0.isEmpty })

    static func contains(_ words: [String]) -> Bool { entries.contains(words.joined(separator: " ")) }
}
