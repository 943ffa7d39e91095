import DocumentModel

/// A relation between two texts read from the `citations` table, seen from one end.
package struct IndexEdge: Sendable, Equatable {
    /// Outgoing: the citing text's relation ("amends"); incoming: its reverse ("amended_by").
    package var relation: String
    package var number: String
    package var scope: String?
    package var sentence: String
    /// The document at the other end, when the archive has it.
    package var documentID: String?
    package var documentTitle: String?
    /// The other end's effective date, else its issue date or the date given at import.
    package var date: String?
}

/// A document's relations both ways and the status they give it.
package struct DocumentGraph: Sendable {
    package var outgoing: [IndexEdge]
    package var incoming: [IndexEdge]
    package var status: ValidityStatus?
}

extension IndexConnection {
    /// The relations of the document `id`. An edge points at whichever document has the cited
    /// number now: a text cited before it was archived is linked as soon as it arrives.
    package func graph(documentID id: String) throws -> DocumentGraph {
        defer { connection.resetStatements() }
        let outgoing = try connection.cached("""
            SELECT c.relation, c.number, c.scope, c.sentence, t.id, t.title, coalesce(t.effective, t.issued, t.date)
            FROM documents s JOIN citations c ON c.source = s.rowid
            LEFT JOIN documents t ON t.number_key = c.number_key AND t.rowid != s.rowid
            WHERE s.id = ?1 ORDER BY c.rowid
            """)
        outgoing.bind(1, id)
        var out: [IndexEdge] = []
        var seen = Set<String>()
        while try outgoing.step() {
            let edge = IndexEdge(relation: outgoing.string(0) ?? "", number: outgoing.string(1) ?? "", scope: outgoing.string(2),
                                 sentence: outgoing.string(3) ?? "", documentID: outgoing.string(4),
                                 documentTitle: outgoing.string(5), date: outgoing.string(6))
            if seen.insert(edge.relation + " " + edge.number + " " + (edge.documentID ?? "")).inserted { out.append(edge) }
        }
        let incoming = try connection.cached("""
            SELECT c.relation, c.number, c.scope, c.sentence, s.id, s.title, coalesce(s.effective, s.issued, s.date)
            FROM documents t JOIN citations c ON c.number_key = t.number_key
            JOIN documents s ON s.rowid = c.source AND s.rowid != t.rowid
            WHERE t.id = ?1 ORDER BY coalesce(s.effective, s.issued, s.date), s.rowid
            """)
        incoming.bind(1, id)
        var inc: [IndexEdge] = []
        while try incoming.step() {
            let relation = incoming.string(0) ?? "mentions"
            inc.append(IndexEdge(relation: CitationRelation(rawValue: relation)?.reverseName ?? CitationRelation.mentions.reverseName, number: incoming.string(1) ?? "", scope: incoming.string(2),
                                 sentence: incoming.string(3) ?? "", documentID: incoming.string(4),
                                 documentTitle: incoming.string(5), date: incoming.string(6)))
        }
        let status = try connection.cached("SELECT \(ValidityStatus.sql(today: ValidityStatus.today())) FROM documents d WHERE d.id = ?1")
        status.bind(1, id)
        let value = try status.step() ? status.string(0).flatMap(ValidityStatus.init(rawValue:)) : nil
        return DocumentGraph(outgoing: out, incoming: inc, status: value)
    }
}

extension IndexConnection {
    /// For each of `ids`, the archived texts it cites by number (at most `limit` each, official
    /// texts first): what the page shows as "văn bản gốc" beside a news article about them.
    package func citedDocuments(of ids: [String], limit: Int = 3) throws -> [String: [(id: String, title: String?, number: String)]] {
        defer { connection.resetStatements() }
        let statement = try connection.cached("""
            SELECT t.id, t.title, c.number FROM documents s JOIN citations c ON c.source = s.rowid
            JOIN documents t ON t.number_key = c.number_key AND t.rowid != s.rowid
            WHERE s.id = ?1 ORDER BY t.type IS NULL, c.rowid LIMIT ?2
            """)
        var out: [String: [(id: String, title: String?, number: String)]] = [:]
        for id in ids {
            statement.reset()
            statement.bind(1, id)
            statement.bind(2, limit)
            var found: [(id: String, title: String?, number: String)] = []
            while try statement.step() {
                let target = statement.string(0) ?? ""
                if !found.contains(where: { $0.id == target }) { found.append((target, statement.string(1), statement.string(2) ?? "")) }
            }
            if !found.isEmpty { out[id] = found }
        }
        return out
    }
}
