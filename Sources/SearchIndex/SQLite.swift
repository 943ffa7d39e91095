import CSQLite

// A thin layer over the system libsqlite3: connections, prepared statements, errors.
// VanBan needs little of SQLite beyond FTS5 and the tokenizer API, and that part has to be
// written against the C API anyway; a wrapper library would add build time and hide
// nothing we need hidden.

/// An error reported by SQLite. `description` says what went wrong with the index in words
/// a user can act on ("index disk is full: ..."), never the engine's name: the command line
/// prints it as it is (the HTTP server logs it and answers a generic 500).
package struct SQLiteError: Error, CustomStringConvertible {
    public let code: Int32
    public let message: String
    public var description: String {
        switch code & 0xFF {
        case SQLITE_FULL: return "index disk is full: no space left to write the index (\(message))"
        case SQLITE_CORRUPT, SQLITE_NOTADB: return "the index is damaged (\(message)); rebuild it with `vanban reindex`"
        case SQLITE_READONLY, SQLITE_PERM: return "the index cannot be written (\(message))"
        case SQLITE_IOERR: return "the index could not be read or written (\(message), code \(code))"
        case SQLITE_CANTOPEN: return "the index cannot be opened (\(message))"
        case SQLITE_BUSY, SQLITE_LOCKED: return "the index is busy: another process holds its lock (\(message))"
        case SQLITE_INTERRUPT: return "the index operation was interrupted"
        case SQLITE_NOMEM: return "out of memory while using the index"
        default: return "index error \(code): \(message)"
        }
    }
    /// SQLITE_BUSY / SQLITE_LOCKED: another connection holds the lock for too long.
    public var isBusy: Bool { code & 0xFF == SQLITE_BUSY || code & 0xFF == SQLITE_LOCKED }
}

/// SQLite's "copy this buffer now" destructor: the C macro is not imported into Swift.
let SQLITE_TRANSIENT = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// One connection. Not thread-safe by itself: each thread uses its own (SQLite is built
/// serialized here, but statements are per connection and we keep them that way).
final class Connection {
    static let busyTimeoutMilliseconds: Int32 = 30_000
    let handle: OpaquePointer
    private var statements: [String: Statement] = [:]
    /// Corpus statistics for the ranking function registered on this connection.
    let rankStatistics = RankStatistics()
    /// What the tokenizer registered on this connection learns from inserted documents.
    let wordCollector = WordCollector()
    /// The budget of the search running on this connection (see `SearchBudget`).
    let meter = WorkMeter()

    init(path: String, readOnly: Bool = false) throws {
        var db: OpaquePointer?
        let flags = (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
            | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            if let db { sqlite3_close_v2(db) }
            throw SQLiteError(code: rc, message: "\(message) (\(path))")
        }
        handle = db
        sqlite3_extended_result_codes(db, 1)
        // Writers wait for each other instead of failing; readers never wait in WAL mode.
        sqlite3_busy_timeout(db, Self.busyTimeoutMilliseconds)
        WorkMeter.install(meter, on: db)
    }

    deinit {
        statements.removeAll()
        sqlite3_close_v2(handle)
    }

    func execute(_ sql: String) throws {
        var error: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &error)
        if rc != SQLITE_OK {
            let message = error.map { String(cString: $0) } ?? lastMessage
            sqlite3_free(error)
            throw SQLiteError(code: rc, message: message)
        }
    }

    /// A prepared statement, cached by its SQL text and reset before reuse.
    func cached(_ sql: String) throws -> Statement {
        if let statement = statements[sql] {
            statement.reset()
            return statement
        }
        let statement = try Statement(self, sql)
        statements[sql] = statement
        return statement
    }

    func prepare(_ sql: String) throws -> Statement { try Statement(self, sql) }

    /// The SQL of every cached statement (tests read their query plans).
    var cachedStatementSQL: [String] { Array(statements.keys) }

    /// Resets every cached statement. A statement left on a row holds its read transaction
    /// open, and the connection would keep seeing that snapshot: searches end with this.
    func resetStatements() {
        for statement in statements.values { sqlite3_reset(statement.handle) }
    }

    var lastMessage: String { String(cString: sqlite3_errmsg(handle)) }
    var changes: Int { Int(sqlite3_changes(handle)) }

    func check(_ rc: Int32) throws {
        if rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW {
            throw SQLiteError(code: rc, message: lastMessage)
        }
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    func transaction<T>(immediate: Bool = true, _ body: () throws -> T) throws -> T {
        try execute(immediate ? "BEGIN IMMEDIATE" : "BEGIN")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    func scalarInt(_ sql: String) throws -> Int? {
        let statement = try cached(sql)
        defer { statement.reset() }  // a statement left on a row keeps its read transaction open
        return try statement.step() ? statement.int(0) : nil
    }
}

/// A prepared statement. Bind parameters are 1-based, columns 0-based, as in SQLite.
final class Statement {
    let handle: OpaquePointer
    unowned let connection: Connection

    init(_ connection: Connection, _ sql: String) throws {
        var statement: OpaquePointer?
        let rc = sqlite3_prepare_v3(connection.handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard rc == SQLITE_OK, let statement else {
            throw SQLiteError(code: rc, message: connection.lastMessage)
        }
        self.handle = statement
        self.connection = connection
    }

    deinit { sqlite3_finalize(handle) }

    func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    func bind(_ index: Int32, _ value: String?) {
        if let value {
            sqlite3_bind_text(handle, index, value, -1, SQLITE_TRANSIENT)
        } else {
            sqlite3_bind_null(handle, index)
        }
    }

    func bind(_ index: Int32, _ value: Int?) {
        if let value { sqlite3_bind_int64(handle, index, Int64(value)) } else { sqlite3_bind_null(handle, index) }
    }

    func bind(_ index: Int32, _ value: Double) {
        sqlite3_bind_double(handle, index, value)
    }

    /// Binds UTF-8 bytes as text without building a String first.
    func bind(_ index: Int32, utf8 bytes: UnsafeBufferPointer<UInt8>) {
        sqlite3_bind_text(handle, index, UnsafeRawPointer(bytes.baseAddress!).assumingMemoryBound(to: CChar.self),
                          Int32(bytes.count), SQLITE_TRANSIENT)
    }

    /// Binds UTF-8 bytes without copying them: the caller keeps `bytes` alive and unchanged
    /// until the statement has run and been reset.
    func bindStatic(_ index: Int32, utf8 bytes: UnsafeBufferPointer<UInt8>) {
        guard let base = bytes.baseAddress, bytes.count > 0 else {
            sqlite3_bind_text(handle, index, "", 0, SQLITE_TRANSIENT)
            return
        }
        let pointer = UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self)
        sqlite3_bind_text(handle, index, pointer, Int32(bytes.count), nil)  // nil: SQLITE_STATIC
    }

    func bind(_ index: Int32, blob bytes: [UInt8]?) {
        guard let bytes else { sqlite3_bind_null(handle, index); return }
        bytes.withUnsafeBytes { raw in
            _ = sqlite3_bind_blob(handle, index, raw.baseAddress, Int32(raw.count), SQLITE_TRANSIENT)
        }
    }

    func blob(_ column: Int32) -> [UInt8]? {
        guard let base = sqlite3_column_blob(handle, column) else { return nil }
        let count = Int(sqlite3_column_bytes(handle, column))
        return Array(UnsafeRawBufferPointer(start: base, count: count))
    }

    /// Steps once: true when a row is available, false when done.
    @discardableResult
    func step() throws -> Bool {
        let rc = sqlite3_step(handle)
        if rc == SQLITE_ROW { return true }
        if rc == SQLITE_DONE { return false }
        throw SQLiteError(code: rc, message: connection.lastMessage)
    }

    /// Runs the statement to completion.
    func run() throws {
        while try step() {}
    }

    func int(_ column: Int32) -> Int { Int(sqlite3_column_int64(handle, column)) }
    func double(_ column: Int32) -> Double { sqlite3_column_double(handle, column) }
    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    func string(_ column: Int32) -> String? {
        guard let text = sqlite3_column_text(handle, column) else { return nil }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }
}
