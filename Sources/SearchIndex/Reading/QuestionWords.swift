import VietText

// The words that end a question, as data: a query ending in one of them asks something the
// answer states without repeating them ("làm thêm giờ tối đa bao nhiêu" is answered by "không
// quá 40 giờ trong 01 tháng"). Only a query's last words are looked up, longest first, so
// "không" inside "không đúng tuyến" is never taken for a question; and they are compared as
// read, with their accents (typed or restored), so "xe may" (máy) is not "mấy".

enum QuestionWords {
    static let list = """
    bao nhiêu
    bao lâu
    bao giờ
    khi nào
    lúc nào
    ở đâu
    như thế nào
    thế nào
    ra sao
    làm sao
    là gì
    những gì
    cái gì
    gì
    không
    hay không
    được không
    có được không
    có không
    tại sao
    vì sao
    """

    /// The question phrases, as accented token lists, longest first.
    static let phrases: [[String]] = list.split(separator: "\n")
        .map { Tokenizer.tokens(in: String($0)).map(\.accented) }
        .filter { !$0.isEmpty }
        .sorted { $0.count > $1.count }

    /// How many of the last words of `words` (accented, as read) form a question phrase, or nil.
    static func trailingLength(_ words: [String]) -> Int? {
        for phrase in phrases where phrase.count <= words.count {
            if Array(words.suffix(phrase.count)) == phrase { return phrase.count }
        }
        return nil
    }
}
