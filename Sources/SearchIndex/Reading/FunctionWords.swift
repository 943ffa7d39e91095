import VietText

// The function words of Vietnamese, as data: prepositions, conjunctions, plural and
// distributive markers, classifiers of abstraction. In a query of several content words they
// carry almost nothing a document must repeat: "lương tối thiểu từng vùng" is answered by
// "mức lương tối thiểu vùng", "xâm nhập mặn ở miền Tây" by "xâm nhập mặn tại các tỉnh miền
// Tây". They are matched when present (ranked for), never required. Compared as read, with
// their accents (typed or restored): "cac" read as "các" is one, "cát" is not. Words that
// change the meaning ("không", "chưa", "có", "một") are not in the list, and a function word
// inside a word of several syllables ("về hưu") or a synonym's span stays a word.

enum FunctionWords {
    static let list = """
    của cho về ở tại trong trên dưới với theo từ đến
    các những mọi từng mỗi
    và hoặc hay cùng
    là thì mà nên
    được bị bởi do
    này đó ấy kia
    đã đang sẽ vẫn cũng rất
    """

    static let words: Set<String> = Set(list.split(whereSeparator: { $0 == " " || $0 == "\n" })
        .compactMap { Tokenizer.tokens(in: String($0)).first?.accented })

    /// A query keeps at least this many required words besides its function words.
    static let minimumContentWords = 2

    static func contains(_ accented: String) -> Bool { words.contains(accented) }
}
