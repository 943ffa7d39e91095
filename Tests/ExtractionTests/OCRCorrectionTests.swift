// Corrections of OCR'd text against the closed vocabulary of official texts: the misreadings
// Tesseract made on the gazette scans of scripts/bench/bench-ocr, the ones it must leave
// alone, and the wiring (OCR'd pages corrected after the cache, text layers never).

import Foundation
import Testing
@testable import Extraction

@Suite struct OCRCorrectionTests {
    @Test func numbersWithAYearGetTheirTypeCodeBack() {
        // bench-ocr legal-16: "TT" read as "TI".
        #expect(OCRCorrection.correct("Số: 02/2025/TI-BLĐTBXH").text == "Số: 02/2025/TT-BLĐTBXH")
        #expect(OCRCorrection.correct("theo Nghị định số 15/2020/NÐ-CP ngày").text == "theo Nghị định số 15/2020/NĐ-CP ngày")
        #expect(OCRCorrection.correct("Quyết định số 12/2024/0Đ-UBND").text == "Quyết định số 12/2024/QĐ-UBND")
        #expect(OCRCorrection.correct("Luật số 51/2024/OH15").text == "Luật số 51/2024/QH15")
        #expect(OCRCorrection.correct("Thông tư liên tịch 05/2015/TTLI-BTC-BYT").text == "Thông tư liên tịch 05/2015/TTLT-BTC-BYT")
        let two = OCRCorrection.correct("Số 1/2021/TI-BYT và số 2/2021/NQ-CP, số 3/2022/C1-TTg")
        #expect(two.text == "Số 1/2021/TT-BYT và số 2/2021/NQ-CP, số 3/2022/CT-TTg" && two.corrections == 2)
    }

    @Test func whatIsNotAMisreadingIsLeftAlone() {
        for text in [
            "Số: 02/2025/TT-BLĐTBXH",            // already right
            "Số: 123/UBND-VP",                    // no year: the first group is the issuer's
            "Công văn 45/BNV-TCBC ngày 2/3/2021", // dates are not numbers
            "tỷ lệ 12/2024/XYZ-AB",               // no type one confusion away
            "năm 1/2021/UBND-VP",                 // a code four confusions away
        ] {
            let result = OCRCorrection.correct(text)
            #expect(result.text == text && result.corrections == 0, "\(text)")
        }
        // Two readings one confusion away ("O" -> NQ or NĐ): no guess.
        #expect(OCRCorrection.correctedCode(Array("NO")) == nil)
        #expect(OCRCorrection.correct("Số 5/2020/NO-CP").corrections == 0)
    }

    @Test func headingsOneEditFromATypeName() {
        // bench-ocr legal-16: "THÔNG TƯ" read as "THOÔNG TƯ".
        #expect(OCRCorrection.correct("Hà Nội, ngày 10 tháng 01 năm 2025\nTHOÔNG TƯ\nQuy định").text
                == "Hà Nội, ngày 10 tháng 01 năm 2025\nTHÔNG TƯ\nQuy định")
        #expect(OCRCorrection.correct("NGHI ĐNH").text == "NGHỊ ĐỊNH")
        #expect(OCRCorrection.correct("  QUYẾT ĐNH ").text == "QUYẾT ĐỊNH")
        // Marks alone do not count: "QUYẾT DINH" folds to the name and is read as it is.
        #expect(OCRCorrection.correct("QUYẾT DINH").corrections == 0)
        // Right already, lower case, a short name, or two names near: unchanged.
        for line in ["THÔNG TƯ", "Thoông tư", "LUẬN", "ĐỀ ÁM", "THÔNG TIN", "CHƯƠNG TRÌNH PHỐI HỢP", "THÔNG BÁO"] {
            #expect(OCRCorrection.correct(line).corrections == 0, "\(line)")
        }
    }

    @Test func editDistanceOfOne() {
        func one(_ a: String, _ b: String) -> Bool { OCRCorrection.withinOneEdit(Array(a), Array(b)) }
        #expect(one("thoong tu", "thong tu") && one("thong tu", "thoong tu") && one("thong ta", "thong tu"))
        #expect(!one("thong tu", "thong tu") && !one("thong", "thong tu") && !one("", "ab"))
        #expect(one("", "a") && one("a", "") && one("ab", "b"))
    }
}

@Suite(.enabled(if: OCRTools.available, "needs pdftotext (poppler-utils)"))
struct OCRCorrectionWiringTests {
    @Test func ocrPagesAreCorrectedAfterTheCacheTextLayersNever() throws {
        // The cache holds what Tesseract read of page 1 (misreadings included); the text
        // layer of page 2 has the same misreadings, which are the document's own.
        let page = OCRResult.Page(page: 1, text: "THOÔNG TƯ\nSố: 02/2025/TI-BLĐTBXH\nQuy định chế độ báo cáo", words: 8, confidenceSum: 760)
        let memory = MemoryCache()
        memory.kept.withLock { $0 = try? [UInt8](JSONEncoder().encode(OCRResult(engine: "test", pages: [page], wanted: [1]))) }
        let pdf = PDF.make(pages: [[], ["THOONG TU 03/2025/TI-BYT trong lop van ban"]])
        let doc = try Extractor().extract(pdf, fileName: "scan.pdf", cache: memory.cache)
        #expect(doc.text.hasPrefix("THÔNG TƯ\nSố: 02/2025/TT-BLĐTBXH\nQuy định chế độ báo cáo"))
        #expect(doc.text.contains("THOONG TU 03/2025/TI-BYT"))
        #expect(memory.stores.withLock { $0 } == 0, "the cached reading is used, not run again")
    }
}
