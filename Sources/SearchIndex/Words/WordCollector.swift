import VietText

// What the index learns about words while it tokenizes documents: the FTS5 tokenizer hands
// every document token to the connection's collector, which counts syllables and adjacent
// pairs in `WordCounts` and remembers each accented form of a folded syllable (for the
// `accent_forms` table). Collecting costs no second tokenizing pass.
//
// The repost signature of a news body is built in the same pass (`sketch`).
//
// Only text being inserted is collected: the writer switches `isCollecting` on around its
// INSERT into fts, so the re-tokenizing FTS5 does to delete an old version counts nothing,
// and queries (tokenized with the query flag) never reach here.

final class WordCollector {
    var counts: WordCounts?
    var isCollecting = false
    /// The repost signature of one column value being built as it is tokenized (the body of
    /// a news document being inserted), and that value's bytes: the tokenizer feeds `sketch`
    /// only a value with exactly these bytes, so the title never enters it (a title equal to
    /// the body would sketch the same). When no value matched (`sketched` false), the writer
    /// computes the signature from the body itself: same values, one more pass.
    var sketch: RepostSignature.Builder?
    var sketchTarget: UnsafeBufferPointer<UInt8>?
    var sketched = false
    /// Keys of the (folded, accented) pairs known to be in `accent_forms` or in `newForms`.
    private var knownForms = Set<UInt64>()
    private(set) var knownFormsLoaded = false
    /// Forms seen for the first time, written to `accent_forms` when the writer finishes.
    var newForms: [(folded: String, accented: String)] = []

    // The previous token of the current column value, for pairs: its folded and form keys.
    private var previousFolded: UInt64 = 0
    private var previousForm: UInt64 = 0
    private var previousEnd = -1

    /// Starts a new column value: no pair spans two values.
    func beginValue() { previousEnd = -1 }

    /// Forgets the forms of a rolled-back transaction: they are reloaded from the table.
    func forgetForms() {
        knownForms.removeAll()
        newForms.removeAll()
        knownFormsLoaded = false
    }

    func loadKnownForms(_ pairs: [(String, String)]) {
        for (folded, accented) in pairs { knownForms.insert(WordKey.pair(WordKey.of(folded), WordKey.form(WordKey.of(accented)))) }
        knownFormsLoaded = true
    }

    /// Counts `token` of `bytes` (the column value being tokenized). Two tokens make a pair
    /// only when nothing but spaces separates them: "Hà Nội, Huế" has the pair "hà nội" and
    /// not "nội huế" (a word never spans punctuation).
    @inline(__always)
    func collect(_ token: TokenView, in bytes: UnsafeBufferPointer<UInt8>) {
        guard let counts else { return }
        let folded = WordKey.of(token.folded)
        let form = WordKey.form(token.hasDiacritics ? WordKey.of(token.accented) : folded)
        counts.addToken()
        counts.add(folded)
        counts.add(form)
        if token.hasDiacritics {
            let pairing = WordKey.pair(folded, form)
            if knownForms.insert(pairing).inserted {
                newForms.append((String(decoding: token.folded, as: UTF8.self), String(decoding: token.accented, as: UTF8.self)))
            }
        }
        if previousEnd >= 0 && token.start - previousEnd <= 2 && onlySpaces(bytes, previousEnd, token.start) {
            counts.add(WordKey.pair(previousFolded, folded))
            counts.add(WordKey.pair(previousForm, form))
        }
        previousFolded = folded
        previousForm = form
        previousEnd = token.end
    }

    @inline(__always)
    private func onlySpaces(_ bytes: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> Bool {
        guard from < to else { return false }
        for k in from..<to where bytes[k] != 0x20 { return false }
        return true
    }
}
