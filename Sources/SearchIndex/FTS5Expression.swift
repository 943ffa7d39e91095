// Compiles a parsed `Clause` into an FTS5 MATCH expression. Every piece of user text is an
// FTS5 string literal holding only token characters and spaces (the parser cleaned it), so
// the expression is always well formed; FTS5 tokenizes the literals with VanBan's tokenizer.

/// A compiled MATCH expression and its phrases, in the order FTS5 numbers them (the order
/// they appear in the expression text).
package struct CompiledExpression: Sendable {
    public var expression: String
    public var phrases: [String]
}

extension Clause {
    /// The FTS5 expression, or nil when nothing in the clause can be matched on its own
    /// (a group made only of exclusions, e.g. the right side of "a OR -b").
    public func fts5Expression() -> String? { compile()?.expression }

    /// The expression and its phrase literals, built in one walk so they cannot disagree.
    package func compile() -> CompiledExpression? {
        switch self {
        case .text(let term):
            return CompiledExpression(expression: term.fts5Expression(), phrases: [term.fts5Literal()])
        case .any(let clauses):
            let parts = clauses.compactMap { $0.compile() }
            guard !parts.isEmpty else { return nil }
            return CompiledExpression(
                expression: parts.count == 1 ? parts[0].expression : parts.map { "(\($0.expression))" }.joined(separator: " OR "),
                phrases: parts.flatMap(\.phrases))
        case .all(let clauses):
            var positives: [CompiledExpression] = []
            var negatives: [CompiledExpression] = []
            for clause in clauses {
                if case .excluded(let inner) = clause {
                    if let compiled = inner.compile() { negatives.append(compiled) }
                } else if let compiled = clause.compile() {
                    positives.append(compiled)
                }
            }
            guard !positives.isEmpty else { return nil }
            // Positives first and in order: ranking relies on the leading phrases being the
            // query's words as typed (see IndexConnection.leadingPhrase).
            var expression = positives.count == 1
                ? positives[0].expression : positives.map { "(\($0.expression))" }.joined(separator: " AND ")
            for negative in negatives { expression = "(\(expression)) NOT (\(negative.expression))" }
            return CompiledExpression(expression: expression,
                                      phrases: positives.flatMap(\.phrases) + negatives.flatMap(\.phrases))
        case .excluded:
            return nil
        }
    }
}

extension Term {
    /// The phrase alone, without its column filter: `"thanh hoa"`, `"hoa" *`.
    func fts5Literal() -> String {
        "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" + (isPrefix ? " *" : "")
    }

    func fts5Expression() -> String {
        guard let column else { return fts5Literal() }
        return "{\(column)} : \(fts5Literal())"
    }
}

private extension String {
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: Character(target), omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
