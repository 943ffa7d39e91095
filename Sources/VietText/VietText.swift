// String-level entry points over the tokenizer: folding and normalisation of whole texts.
// Both rewrite each token and copy everything between tokens, so they agree with the index
// by construction: fold(x) holds exactly the folded forms the index holds for x.

public enum VietText {
    /// Lower case, every diacritic removed, đ/Đ -> d; characters between words unchanged
    /// except stray combining marks, which are dropped. "Thanh Hoá, ĐÀ NẴNG" -> "thanh hoa, da nang".
    public static func fold(_ text: String) -> String {
        rewrite(text, preserveCase: false) { $0.folded }
    }

    /// NFC with canonical tone placement, case kept: "THANH HOÁ" -> "THANH HÓA",
    /// "thuỷ" -> "thủy", NFD "Hoà" -> "Hòa". Characters between words are unchanged.
    public static func normalize(_ text: String) -> String {
        rewrite(text, preserveCase: true) { $0.accented }
    }

    private static func rewrite(
        _ text: String, preserveCase: Bool, _ form: (TokenView) -> UnsafeBufferPointer<UInt8>
    ) -> String {
        var text = text
        return text.withUTF8 { input in
            var output: [UInt8] = []
            output.reserveCapacity(input.count)
            var copied = 0
            Tokenizer.scan(input, preserveCase: preserveCase) { token in
                copyGap(input, from: copied, to: token.start, into: &output, dropMarks: !preserveCase)
                output.append(contentsOf: form(token))
                copied = token.end
            }
            copyGap(input, from: copied, to: input.count, into: &output, dropMarks: !preserveCase)
            return String(decoding: output, as: UTF8.self)
        }
    }

    /// Copies the bytes between two tokens; when folding, drops combining marks found there.
    private static func copyGap(
        _ input: UnsafeBufferPointer<UInt8>, from: Int, to: Int, into output: inout [UInt8], dropMarks: Bool
    ) {
        guard from < to else { return }
        let gap = UnsafeBufferPointer(rebasing: input[from..<to])
        guard dropMarks else { output.append(contentsOf: gap); return }
        for scalar in String(decoding: gap, as: UTF8.self).unicodeScalars {
            if ScalarTable.shared.info(scalar.value).kind == ScalarKind.mark.rawValue { continue }
            output.append(contentsOf: String(scalar).utf8)
        }
    }
}
