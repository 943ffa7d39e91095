import Testing
@testable import SearchIndex

@Suite struct IndexErrorTests {
    /// The words a person sees for each way the index can fail: what happened, never SQLite's name.
    @Test func indexErrorsAreInPlainWords() {
        #expect(SQLiteError(code: 13, message: "database or disk is full").description
            == "index disk is full: no space left to write the index (database or disk is full)")
        #expect(SQLiteError(code: 11, message: "database disk image is malformed").description
            == "the index is damaged (database disk image is malformed); rebuild it with `vanban reindex`")
        for code: Int32 in [1, 5, 8, 10, 14, 26, 3338, 778] {
            #expect(!SQLiteError(code: code, message: "x").description.contains("SQLite"))
        }
    }
}
