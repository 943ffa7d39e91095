import VietText

// The Vietnamese phrases that mark page furniture around a news article, as data: one entry
// a line, "kind<TAB>phrase". Phrases are compared folded (case and diacritics ignored:
// "TIN LIÊN QUAN" is "tin lien quan"), at the start of a segment (see ArticleSegmenter),
// after leading bullets. The kind says how much of the segment must be the phrase:
//
//   heading  the segment is the phrase alone (a colon allowed): "Liên kết website", "Trả lời"
//   counter  the phrase and then only numbers: "Đang online: 3", "Hôm nay: 865"
//   prefix   the segment starts with the phrase: comment forms, contact and licence footers,
//            links to other articles (">>", "Xem thêm"), share and video prompts
//   caption  a generic photo caption: the phrase, then at most its credit ("Ảnh minh họa.
//            Nguồn: internet"); a caption that describes the photo is article text
//   footer   a prefix that also starts a footer run into the end of a line ("... Theo X Mọi
//            phản ánh, ý kiến ..."): the line is cut before it, written with its capital
//   list     the heading of a list of other articles: it and the list items after it are
//            chrome (ArticleCleaner.markList says where the list ends). Written with a
//            capital in the text ("Tin liên quan", "TIN LIÊN QUAN"), so "tin liên quan đến"
//            in a sentence is not one.
//
// Site names are not listed: a site's banner, slogan and footer are recognised by where they
// stand and what they look like (ArticleCleaner), not by name. To add a phrase, add a line.
enum ChromePhrases {
    static let table = """
        heading	liên kết website
        heading	liên kết
        heading	thống kê truy cập
        heading	trả lời
        heading	bình luận
        heading	gửi bình luận
        heading	ý kiến bạn đọc
        heading	viết bình luận
        heading	chia sẻ
        heading	chia sẻ bài viết
        heading	in bài viết
        heading	tags
        heading	từ khóa
        heading	quay lại
        heading	về đầu trang
        heading	trang chủ
        heading	clip youtube
        heading	bấm xem
        counter	đang online
        counter	đang truy cập
        counter	hôm nay
        counter	hôm qua
        counter	tuần này
        counter	tháng này
        counter	đã truy cập
        counter	tổng truy cập
        counter	tổng số lượt truy cập
        counter	lượt truy cập
        counter	lượt xem
        counter	trực tuyến
        counter	số người online
        prefix	email của bạn sẽ không được hiển thị công khai
        prefix	các trường bắt buộc được đánh dấu
        prefix	gửi bình luận
        prefix	website được thiết kế bởi
        prefix	thiết kế bởi
        prefix	giấy phép số
        prefix	giấy phép hoạt động
        prefix	bản quyền thuộc về
        prefix	bản quyền ©
        prefix	copyright
        prefix	©
        prefix	chịu trách nhiệm:
        prefix	chịu trách nhiệm nội dung
        prefix	chịu trách nhiệm xuất bản
        prefix	ghi rõ nguồn
        prefix	địa chỉ:
        prefix	điện thoại:
        prefix	số đt:
        prefix	đt:
        prefix	fax:
        prefix	email:
        prefix	hotline:
        prefix	mọi phản ánh, ý kiến
        prefix	xem thêm
        prefix	đọc thêm
        prefix	>>
        prefix	mời quý độc giả xem
        prefix	mời bạn đọc xem
        prefix	mời quý vị xem
        prefix	theo dõi chúng tôi
        prefix	like fanpage
        prefix	bấm vào đây
        prefix	click vào đây
        caption	ảnh minh họa
        caption	ảnh minh hoạ
        caption	hình minh họa
        caption	ảnh: internet
        list	tin liên quan
        list	tin cùng chuyên mục
        list	bài viết liên quan
        list	bài liên quan
        list	tin khác
        list	các tin khác
        list	tin mới hơn
        list	tin cũ hơn
        list	tin mới nhất
        list	tin nổi bật
        list	tin đọc nhiều
        list	đọc nhiều nhất
        list	xem nhiều nhất
        list	có thể bạn quan tâm
        list	bài viết cùng chủ đề
        list	cùng chuyên mục
        list	nên đọc
        list	tin bài khác
        footer	mọi phản ánh, ý kiến
        """

    enum Kind: String { case heading, counter, prefix, caption, list, footer }

    struct Entry {
        let kind: Kind
        /// Folded: what segments are compared with.
        let folded: [UInt8]
        /// The forms a list heading takes in running text (capitalised, all capitals), for
        /// cutting a line where a list starts ("... Bình Dương.Tin liên quan").
        let written: [[UInt8]]
    }

    static let entries: [Entry] = table.split(separator: "\n").compactMap { line in
        let parts = line.split(separator: "\t", maxSplits: 1)
        guard parts.count == 2, let kind = Kind(rawValue: parts[0].trimmingSpaces) else { return nil }
        let phrase = parts[1].trimmingSpaces
        let capitalised = phrase.prefix(1).uppercased() + phrase.dropFirst()
        return Entry(kind: kind, folded: Array(VietText.fold(phrase).utf8),
                     written: kind == .list || kind == .footer ? [Array(capitalised.utf8), Array(phrase.uppercased().utf8)] : [])
    }

    static let lists: [Entry] = entries.filter { $0.kind == .list }
    /// What the segmenter cuts a line before: list headings and footers, as written.
    static let cutBefore: [Entry] = entries.filter { $0.kind == .list || $0.kind == .footer }
    /// First bytes of the written list headings (a quick filter for the segmenter).
    static let listFirstBytes: Set<UInt8> = Set(cutBefore.flatMap { $0.written.compactMap(\.first) })
}

private extension Substring {
    var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
