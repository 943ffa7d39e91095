import CSQLite

// Bounded work per search. A query such as `kind:news ch*` or fifty ORed prefixes can ask
// SQLite for far more work than a person waits for, and on a server it holds one of the few
// search threads while it runs. So every search runs under a budget, enforced inside SQLite:
// the virtual machine calls a progress handler every `WorkMeter.interval` instructions, and
// the handler stops the statement (SQLITE_INTERRUPT) once the budget is spent. The Swift side
// checks the same meter between its own steps (snippets of long documents). The search then
// fails with a `QueryError` naming the query ("query too broad: ..."), never with a timeout
// the user cannot act on.

/// What one search may spend.
public struct SearchBudget: Sendable, Equatable {
    /// Wall-clock time from the start of the search (nil: no limit).
    public var time: Duration?
    /// At most this many progress-handler calls, each about `WorkMeter.interval` SQLite
    /// instructions (nil: no limit). A count, not a clock: tests use it to hit the budget
    /// deterministically, whatever the machine's speed.
    public var steps: Int?
    /// At most this many estimated occurrences of the syllables the query's prefixes start
    /// (nil: no limit; see PrefixEstimate.swift): FTS5 merges them in one step no progress
    /// handler can cut short, so they are priced before the search runs.
    public var maxPrefixOccurrences: Int?

    public init(time: Duration? = nil, steps: Int? = nil, maxPrefixOccurrences: Int? = nil) {
        self.time = time
        self.steps = steps
        self.maxPrefixOccurrences = maxPrefixOccurrences
    }

    /// A search answers within a quarter of a second or says why not: the worst query shapes
    /// then delay others by at most this much (issue 11: p99 <= 250 ms or a clear error).
    public static let standard = SearchBudget(time: .milliseconds(250), maxPrefixOccurrences: standardPrefixOccurrences)
    /// Measured on the full corpus (release, 2 busy cores): FTS5 merges about 0.2 ms of lists per
    /// 1,000 occurrences ("ch*", 1.1 million: 240 ms; "gi*", 0.5 million: 108 ms), and the
    /// matches still have to be scored within the time budget after that.
    public static let standardPrefixOccurrences = 500_000
    /// No limit (tuning tools, tests of ranking).
    public static let unlimited = SearchBudget()

    var isUnlimited: Bool { time == nil && steps == nil && maxPrefixOccurrences == nil }
}

/// Counts the work of the statement running on one connection against the current budget.
/// Inactive (never interrupts) outside `IndexConnection.search(_:ranking:budget:)`, so the
/// writer and maintenance queries are never cut short.
final class WorkMeter {
    /// SQLite instructions between two progress calls: a call costs one clock read, so this
    /// keeps the meter's overhead far below 1% while stopping a runaway query within
    /// microseconds.
    static let interval: Int32 = 1000

    private var deadline: ContinuousClock.Instant?
    private var remainingSteps: Int?
    private(set) var active = false
    /// Set when the budget ran out; stays set until the next `start`.
    private(set) var exceeded = false

    func start(_ budget: SearchBudget) {
        deadline = budget.time.map { ContinuousClock.now + $0 }
        remainingSteps = budget.steps
        exceeded = false
        active = !budget.isUnlimited
    }

    func stop() { active = false }

    /// Runs `body` off the meter, and gives the deadline back the time it took: loading a
    /// cache kept for every later search of this index state (row lengths, repost groups,
    /// facet values, official rows) is not the work of the search that happens to come first.
    /// On a large archive that load alone can take longer than a search's budget, which
    /// refused every first search after an index change.
    func unmetered<T>(_ body: () throws -> T) rethrows -> T {
        guard active else { return try body() }
        let started = ContinuousClock.now
        active = false
        defer {
            active = true
            if let d = deadline { deadline = d + (ContinuousClock.now - started) }
        }
        return try body()
    }

    /// One unit of work; true when the budget is spent (and from then on).
    func tick() -> Bool {
        guard active else { return false }
        if exceeded { return true }
        if let steps = remainingSteps {
            if steps <= 0 { exceeded = true; return true }
            remainingSteps = steps - 1
        }
        if let deadline, ContinuousClock.now >= deadline { exceeded = true }
        return exceeded
    }

    /// Installs the meter as `connection`'s progress handler. The meter lives as long as the
    /// connection (both are owned by `Connection`), so the unretained pointer stays valid.
    static func install(_ meter: WorkMeter, on handle: OpaquePointer) {
        sqlite3_progress_handler(handle, interval, { context in
            guard let context else { return 0 }
            return Unmanaged<WorkMeter>.fromOpaque(context).takeUnretainedValue().tick() ? 1 : 0
        }, Unmanaged.passUnretained(meter).toOpaque())
    }
}

/// Thrown by the Swift side of a search when the meter ran out between SQLite statements.
struct BudgetExceeded: Error {}

extension Connection {
    /// Throws when the current search's budget is spent (a check between Swift steps).
    func checkBudget() throws {
        if meter.tick() { throw BudgetExceeded() }
    }
}

extension QueryError {
    /// The answer to a search that ran out of budget: names the query and says what to change.
    static func tooBroad(_ query: String, _ budget: SearchBudget) -> QueryError {
        let shown = query.count > 200 ? String(query.prefix(200)) + "…" : query
        let limit = budget.time.map { " (\(Self.milliseconds($0)) ms)" } ?? ""
        return QueryError("query too broad: \"\(shown)\" needs more work than one search may take\(limit); "
            + "add words or filters, use fewer OR alternatives, or type more letters before *", kind: .tooBroad)
    }

    private static func milliseconds(_ d: Duration) -> Int {
        Int(d.components.seconds * 1000 + d.components.attoseconds / 1_000_000_000_000_000)
    }
}

extension IndexConnection {
    /// `search(_:ranking:)` under `budget`: when the budget runs out, inside SQLite or between
    /// steps, the search stops and throws `QueryError.tooBroad` naming the query.
    public func search(_ request: SearchRequest, ranking: Ranking = Ranking(), budget: SearchBudget,
                       synonyms: SynonymTable = .bundled) throws -> SearchResults {
        try within(budget, query: request.query) { try search(request, ranking: ranking, synonyms: synonyms) }
    }

    /// The rowids of every match of `request` (its whole result set, whatever its page), under
    /// `budget` as a search.
    public func resultRows(_ request: SearchRequest, budget: SearchBudget, synonyms: SynonymTable = .bundled) throws -> [Int] {
        try within(budget, query: request.query) {
            try run(request, ranking: Ranking(), synonyms: synonyms, collectingRows: true).rows ?? []
        }
    }

    /// Runs `body` (the search of `query`) under `budget`.
    private func within<T>(_ budget: SearchBudget, query: String, _ body: () throws -> T) throws -> T {
        if budget.maxPrefixOccurrences != nil {
            try checkPrefixes(of: try QueryParser.parse(query), as: query, budget: budget)
        }
        let meter = connection.meter
        meter.start(budget)
        defer { meter.stop() }
        do {
            return try body()
        } catch let error as QueryError {
            throw error
        } catch where meter.exceeded {
            throw QueryError.tooBroad(query, budget)
        }
    }
}
