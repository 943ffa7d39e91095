// The synonym and abbreviation list, as data: one entry per line.
//
//   left = right     the same thing (abbreviations): each side also finds the other
//   left => right    everyday words => the words of the law: a query holding `left` also
//                    finds `right`; a query holding `right` does not find `left`
//   # comment
//
// Sides are written with their diacritics; they are matched against the query folded, so
// "bhxh", "BHXH" and "rut bao hiem xa hoi" find their entries. Several right sides are
// written as several lines. A synonym always ranks below the literal words (`Ranking`).
// Entries must be safe out of context: "rút" alone is not "hưởng" (rút tiền, rút kinh
// nghiệm), so the entry names the context ("rút bảo hiểm xã hội").

enum SynonymList {
    static let text = """
    # Abbreviations of state bodies and programmes
    ubnd = ủy ban nhân dân
    hđnd = hội đồng nhân dân
    mttq = mặt trận tổ quốc
    tand = tòa án nhân dân
    vksnd = viện kiểm sát nhân dân
    csgt = cảnh sát giao thông
    pccc = phòng cháy chữa cháy
    atgt = an toàn giao thông
    attp = an toàn thực phẩm
    gd&đt = giáo dục và đào tạo
    gdđt = giáo dục và đào tạo
    lđtbxh = lao động thương binh và xã hội
    tn&mt = tài nguyên và môi trường
    tnmt = tài nguyên và môi trường
    nn&ptnt = nông nghiệp và phát triển nông thôn
    nnptnt = nông nghiệp và phát triển nông thôn
    gtvt = giao thông vận tải
    khcn = khoa học và công nghệ
    kh&cn = khoa học và công nghệ
    tt&tt = thông tin và truyền thông
    tttt = thông tin và truyền thông
    vh-tt-dl = văn hóa, thể thao và du lịch
    vhttdl = văn hóa, thể thao và du lịch
    kh&đt = kế hoạch và đầu tư
    khđt = kế hoạch và đầu tư
    ntm = nông thôn mới
    # Insurance, tax, money
    bhxh = bảo hiểm xã hội
    bhyt = bảo hiểm y tế
    bhtn = bảo hiểm thất nghiệp
    gtgt = giá trị gia tăng
    vat = thuế giá trị gia tăng
    tncn = thu nhập cá nhân
    tndn = thu nhập doanh nghiệp
    nsnn = ngân sách nhà nước
    ttck = thị trường chứng khoán
    bđs = bất động sản
    dnnn = doanh nghiệp nhà nước
    dnnvv = doanh nghiệp nhỏ và vừa
    htx = hợp tác xã
    fdi = đầu tư trực tiếp nước ngoài
    oda = hỗ trợ phát triển chính thức
    gdp = tổng sản phẩm trong nước
    cpi = chỉ số giá tiêu dùng
    # Documents and procedures
    tthc = thủ tục hành chính
    cchc = cải cách hành chính
    qppl = quy phạm pháp luật
    vbqppl = văn bản quy phạm pháp luật
    gcn = giấy chứng nhận
    qsdđ = quyền sử dụng đất
    cmnd = chứng minh nhân dân
    cccd = căn cước công dân
    đkkd = đăng ký kinh doanh
    # Health, education, society
    thpt = trung học phổ thông
    thcs = trung học cơ sở
    hssv = học sinh, sinh viên
    ctxh = công tác xã hội
    cnvc = công nhân viên chức
    cbcc = cán bộ, công chức
    cbccvc = cán bộ, công chức, viên chức
    # Everyday words => the words of the law
    xuất khẩu lao động => đi làm việc ở nước ngoài theo hợp đồng
    rút bảo hiểm xã hội => hưởng bảo hiểm xã hội
    rút bhxh => hưởng bảo hiểm xã hội
    lương hưu => lương hưu hằng tháng
    bán hàng qua mạng => thương mại điện tử
    bán hàng online => thương mại điện tử
    mua bán online => thương mại điện tử
    trái tuyến => không đúng tuyến
    khám chữa bệnh trái tuyến => khám bệnh, chữa bệnh không đúng tuyến
    khám chữa bệnh => khám bệnh, chữa bệnh
    sổ đỏ => giấy chứng nhận quyền sử dụng đất
    sổ hồng => giấy chứng nhận quyền sở hữu nhà ở
    tăng ca => làm thêm giờ
    nghỉ đẻ => nghỉ thai sản
    nghỉ sinh => nghỉ thai sản
    tiền lương tối thiểu => lương tối thiểu vùng
    lương tối thiểu => mức lương tối thiểu
    mất việc => thất nghiệp
    trợ cấp mất việc => trợ cấp thất nghiệp
    về hưu => nghỉ hưu
    nghỉ hưu sớm => nghỉ hưu trước tuổi
    sáp nhập => sắp xếp
    sáp nhập => hợp nhất
    gộp tỉnh => sắp xếp đơn vị hành chính
    nhập tỉnh => sắp xếp đơn vị hành chính
    phạt nguội => xử phạt vi phạm hành chính
    phạt xe => xử phạt vi phạm hành chính
    nồng độ cồn => nồng độ cồn trong máu hoặc hơi thở
    uống rượu lái xe => nồng độ cồn
    bằng lái => giấy phép lái xe
    bằng lái xe => giấy phép lái xe
    đăng kiểm => kiểm định an toàn kỹ thuật
    xe máy => xe mô tô
    thuế nhà đất => thuế sử dụng đất phi nông nghiệp
    thuế thu nhập => thuế thu nhập cá nhân
    làm giấy tờ => thủ tục hành chính
    một cửa => cơ chế một cửa
    nộp hồ sơ online => dịch vụ công trực tuyến
    qua mạng => trực tuyến
    online => trực tuyến
    miễn học phí => miễn, giảm học phí
    giảm học phí => miễn, giảm học phí
    người nghèo => hộ nghèo
    ma túy => chất ma túy
    cai nghiện => cai nghiện ma túy
    đất nông nghiệp => đất sản xuất nông nghiệp
    đền bù => bồi thường
    đền bù đất => bồi thường, hỗ trợ, tái định cư
    giải tỏa => giải phóng mặt bằng
    tiền điện => giá điện
    giá xăng => giá bán lẻ xăng dầu
    xăng dầu => kinh doanh xăng dầu
    tiếp dân => tiếp công dân
    đơn thư => khiếu nại, tố cáo
    giảm biên chế => tinh giản biên chế
    cắt giảm biên chế => tinh giản biên chế
    nghỉ phép năm => nghỉ hằng năm
    nghỉ phép => nghỉ hằng năm
    thuế khoán => phương pháp khoán
    nộp thuế khoán => thuế theo phương pháp khoán
    """
}
