// Compiles a parsed `Clause` into an FTS5 MATCH expression. Every piece of user text is an
// FTS5 string literal holding only token characters and spaces (the parser cleaned it), so
// the expression is always well formed; FTS5 tokenizes the literals with VanBan's tokenizer.

extension Clause {
    /// The FTS5 expression, or nil when nothing in the clause can be matched on its own
    /// (a group made only of exclusions, e.g. the right side of "a OR -b").
    public func fts5Expression() -> String? {
        switch self {
        case .text(let term):
            return term.fts5Expression()
        case .any(let clauses):
            let parts = clauses.compactMap { $0.fts5Expression() }
            guard !parts.isEmpty else { return nil }
            return parts.count == 1 ? parts[0] : parts.map { "(\($0))" }.joined(separator: " OR ")
        case .all(let clauses):
            var positives: [String] = []
            var negatives: [String] = []
            for clause in clauses {
                if case .excluded(let inner) = clause {
                    if let expression = inner.fts5Expression() { negatives.append(expression) }
                } else if let expression = clause.fts5Expression() {
                    positives.append(expression)
                }
            }
            guard !positives.isEmpty else { return nil }
            var expression = positives.count == 1 ? positives[0] : positives.map { "(\($0))" }.joined(separator: " AND ")
            for negative in negatives { expression = "(\(expression)) NOT (\(negative))" }
            return expression
        case .excluded:
            return nil
        }
    }
}

extension Term {
    func fts5Expression() -> String {
        let literal = "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" + (isPrefix ? " *" : "")
        guard let column else { return literal }
        return "{\(column)} : \(literal)"
    }
}

private extension String {
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: Character(target), omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
